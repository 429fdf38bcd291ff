"""Screens: one per file (customers, customer_detail, help; timeline, tiers, pipeline)."""
