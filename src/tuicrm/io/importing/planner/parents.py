"""Rows that name their company: a person on a customer list whose ``Related Company`` /
``Parent`` / ``所属公司`` cell names a company of the same import or of the database becomes that
company's contact, not a customer of their own (docs/import.md, "Links")."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from tuicrm.io.importing.cells import person_name
from tuicrm.io.importing.keys import name_key
from tuicrm.io.importing.planner.contacts import ContactPlanner
from tuicrm.io.importing.report import Issue
from tuicrm.io.importing.rows import Row, header_of

PARENT = "parent_name"
# Customer-row fields that carry over to the contact; every other given value goes to its notes.
_PERSON = {
    "name",
    "contact_name",
    "first_name",
    "last_name",
    "contact_title",
    "phone",
    "contact_phone",
    "email",
    "contact_email",
    "contact_im",
    "notes",
    PARENT,
}


def _shown(value: Any) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


class ParentPlanner(ContactPlanner):
    """Customer rows that are people of another row's company."""

    def collect_companies(self, rows: list[Row]) -> None:
        """The names of a customer sheet's rows that name no parent: the companies a parent
        cell may point at (before any row is planned: a person may come before their company)."""
        if not rows or PARENT not in rows[0].plan.fields:
            return  # no parent column: no row is anyone's person
        for r in rows:
            if not r.error and not r.data.get(PARENT):
                name = r.data.get("name") or r.data.get("contact_name")
                if name:
                    self.file_companies.add(name_key(name))

    def collect_named(self, rows: list[Row]) -> None:
        """The companies a contact sheet's rows name (``Related Company``, ``Company``): a row of
        the same sheet that names no company and carries one of these names is that company."""
        for r in rows:
            if not r.error and r.data.get("customer_name"):
                self.named_companies.add(name_key(r.data["customer_name"]))

    def is_company_row(self, row: Row) -> bool:
        d = row.data
        if d.get("customer_name") or d.get("customer_code") or row.link_ids or not self.named_companies:
            return False
        name = d.get("name") or person_name(d.get("first_name"), d.get("last_name"))
        return bool(name) and name_key(name) in self.named_companies

    def order_companies_first(self, rows: list[Row]) -> list[Row]:
        """Company rows of a contact sheet before the people who name them."""
        if not self.named_companies:
            return rows
        first = [r for r in rows if not r.error and self.is_company_row(r)]
        if not first:
            return rows
        return first + [r for r in rows if r.error or not self.is_company_row(r)]

    def order_by_parent(self, rows: list[Row]) -> list[Row]:
        """Rows naming a parent after the others, so the company they name is planned first
        (its own row fills the customer; the person then joins it)."""
        if not rows or PARENT not in rows[0].plan.fields:
            return rows
        return [r for r in rows if not r.data.get(PARENT)] + [r for r in rows if r.data.get(PARENT)]

    def parent_row(self, row: Row) -> str | None:
        """Plan a customer row whose parent cell names a known company as that company's contact;
        None when the row stays a customer (the parent is then kept in its notes)."""
        d = row.data
        parent = d.get(PARENT)
        if not parent:
            return None
        person = (
            d.get("name") or d.get("contact_name") or person_name(d.get("first_name"), d.get("last_name"))
        )
        key = name_key(parent)
        own_contact = (
            d.get("contact_name") and d.get("name") and name_key(d["contact_name"]) != name_key(d["name"])
        )
        known = key in self.file_companies or bool(self.by_name.get(key))
        if not person or own_contact or not known or name_key(person) == key:
            # A company with a parent company (or one not in this import): a customer of its own.
            row.notes.append(f"{header_of(row, PARENT)}: {parent}")
            return None
        self._shared = None
        cid, _how = self.find_customer(parent, None, None, None, None)
        if cid is None:
            cid = self.create_customer({"name": parent[:200]})["id"]
            row.notices.append(f"created customer '{parent}' for this contact")
        phone = d.get("phone") or d.get("contact_phone")
        email = d.get("email") or d.get("contact_email")
        notes = list(row.notes)
        if d.get("notes"):
            notes.insert(0, d["notes"])
        for k, v in d.items():
            if v is None or k in _PERSON:
                continue
            notes.append(f"{header_of(row, k)}: {_shown(v)}")
        for k, used in (("contact_phone", phone), ("contact_email", email)):
            if d.get(k) and d[k] != used:
                notes.append(f"{header_of(row, k)}: {d[k]}")
        contact = {
            "name": person,
            "title": d.get("contact_title"),
            "phone": phone,
            "email": email,
            "im": d.get("contact_im"),
            "notes": "\n".join(notes) or None,
        }
        self.prefetch([cid])
        outcome = self._contact_into(cid, contact, row, src=None, explicit_primary=False)
        self.became_contacts[(row.plan.result.source, row.plan.result.sheet)] += 1
        return outcome

    def report_parents(self) -> None:
        for (source, sheet), n in self.became_contacts.items():
            what = "1 row became a contact" if n == 1 else f"{n:,} rows became contacts"
            self.report.issues.append(Issue(source, sheet, None, f"{what} of their company", "note"))
