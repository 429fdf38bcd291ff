"""Header families: the column names other address books and CRMs export, per kind and field
(documented in docs/import.md, "Header families"). They rank after the base aliases of
:mod:`.aliases`; an alias the base table already maps in a kind keeps its base meaning."""

from __future__ import annotations

FAMILIES: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "Thunderbird": {
        "contacts": {
            "email": ("Primary Email",),
            "mobile": ("Mobile Number",),
            "phone": ("Work Phone", "Home Phone"),
            "im": ("Screen Name", "Chat Name"),
            "customer_name": ("Organization", "Organisation"),
        },
        "customers": {"email": ("Primary Email",), "contact_phone": ("Mobile Number",)},
    },
    "Outlook": {
        "contacts": {
            "email": ("E-mail Address", "Email Address"),
            "mobile": ("Mobile Phone",),
            "phone": ("Business Phone", "Primary Phone"),
            "customer_name": ("Company",),
            "title": ("Job Title",),
        },
    },
    "Google": {
        "contacts": {
            "email": ("E-mail 1 - Value",),
            "phone": ("Phone 1 - Value",),
            "customer_name": ("Organization 1 - Name",),
            "title": ("Organization 1 - Title",),
        },
    },
    "Apple": {
        "contacts": {
            "mobile": ("iPhone", "Mobile"),
            "email": ("Work Email", "Home Email"),
            "customer_name": ("Company",),
        },
    },
    "Zoho": {
        "opportunities": {
            "expected_close_on": ("Closing Date",),
            "name": ("Deal Name", "Potential Name"),
            "plan": ("Description",),
            "next_step": ("Next Step",),
        },
        "contacts": {"customer_name": ("Account Name",), "mobile": ("Mobile",)},
    },
    "HubSpot": {
        "contacts": {"customer_name": ("Associated Company", "Company Name"), "phone": ("Phone Number",)},
        "opportunities": {
            "expected_close_on": ("Close Date",),
            "stage": ("Deal Stage",),
            "name": ("Deal Name",),
            "customer_name": ("Associated Company",),
        },
    },
    "Pipedrive": {
        "opportunities": {
            "contact_name": ("Person - Name",),
            "customer_name": ("Organization - Name",),
            "name": ("Deal - Title",),
            "amount": ("Deal - Value",),
        },
        "contacts": {
            "name": ("Person - Name",),
            "email": ("Person - Email",),
            "phone": ("Person - Phone",),
            "customer_name": ("Person - Organization", "Organization - Name"),
        },
    },
    "Odoo": {
        "opportunities": {
            "customer_name": ("partner_id", "Customer", "partner_name"),
            "amount": ("expected_revenue", "planned_revenue", "Expected Revenue"),
            "expected_close_on": ("date_deadline", "Expected Closing"),
            "stage": ("stage_id",),
            "contact_name": ("contact_name",),
            "plan": ("description",),
        },
        "customers": {"email": ("email_from",), "name": ("partner_name", "Company Name")},
        "contacts": {"customer_name": ("parent_id", "Related Company", "Parent"), "mobile": ("mobile",)},
    },
    "Krayin": {
        "opportunities": {
            "name": ("title",),
            "amount": ("lead_value",),
            "expected_close_on": ("expected_close_date",),
            "lost_reason": ("lost_reason",),
            "contact_name": ("person",),
            "customer_name": ("organization", "person_organization"),
            "plan": ("description",),
        },
        "customers": {"contact_email": ("emails",), "contact_phone": ("contact_numbers",)},
        "contacts": {"email": ("emails",), "phone": ("contact_numbers",), "customer_name": ("organization",)},
    },
    "Salesforce": {
        "contacts": {"customer_name": ("Account.Name", "Account Name", "Related Company", "Parent")},
        "customers": {"name": ("Account.Name",)},
        "opportunities": {"customer_name": ("Account.Name",), "expected_close_on": ("CloseDate",)},
    },
}
