"""Widgets and modal forms used by the screens."""
