"""Contact rows, and the contacts other rows name (a customer row's person, a deal's decision maker)."""

from __future__ import annotations

from typing import Any

from tuicrm.domain.limits import field_limit
from tuicrm.io.importing.cells import person_name
from tuicrm.io.importing.fields import CONTACT_VALUES
from tuicrm.io.importing.keys import (
    MACHINE_ID,
    email_key,
    name_key,
    names_compatible,
    phone_key,
    text_contains,
)
from tuicrm.io.importing.lengths import fit
from tuicrm.io.importing.planner.identity import Identity
from tuicrm.io.importing.rows import Reject, Row


class ContactPlanner(Identity):
    """Contacts: their own rows, and the people other rows name."""

    def _contact_into(
        self, cid: int, values: dict[str, Any], row: Row, *, src: str | None, explicit_primary: bool
    ) -> str:
        """Add or merge one contact of customer ``cid``."""
        values = {k: v for k, v in values.items() if v is not None}
        fit("contact", values, row, "notes")
        contacts = self.contacts.setdefault(cid, [])
        found = self._find_contact(contacts, values, src)
        if found is None:
            self._new_contact(cid, contacts, values, row, src=src, explicit_primary=explicit_primary)
            return "created"
        new = bool(found.get("_new"))
        values.pop("archived_at", None)
        if not explicit_primary:
            values.pop("is_primary", None)
        given = {k: v for k, v in values.items() if k in CONTACT_VALUES}
        filled, conflicts = self._fill("contact", found, given, new=new, append_notes="notes")
        kept = self._differing_to_notes("contact", found, given, conflicts, row, new=new)
        if kept:
            filled.append("notes")
        if conflicts:
            row.warnings.append(
                f"contact '{found['name']}' exists; kept its "
                + ", ".join(conflicts)
                + (f"; the file's {', '.join(kept)} added to its notes" if kept else " (the file differs)")
            )
        if {"name", "email", "phone", "mobile"} & set(filled):
            self.search_dirty.add(cid)
        self.claims["contact"].setdefault(found["id"], src)
        if row.plan.kind == "contacts":
            for e in row.ext_ids:
                self.registry.setdefault(e, ("contact", found["id"], cid))
        return "merged" if filled else "skipped"

    def _find_contact(
        self, contacts: list[dict[str, Any]], values: dict[str, Any], src: str | None
    ) -> dict[str, Any] | None:
        """The customer's contact these values describe: the same e-mail or phone with a compatible
        name, else the same name unless a phone or e-mail tells them apart (two 妈妈 with
        different numbers are two contacts)."""
        ek = email_key(values.get("email"))
        pks = {phone_key(values.get("phone")), phone_key(values.get("mobile"))} - {None}
        nk = name_key(values.get("name"))
        for x in contacts:
            if (
                nk
                and nk == name_key(x.get("name"))
                and self._claim_ok("contact", x["id"], src)
                and not self._contact_differs(x, ek, pks)
            ):
                return x
        for x in contacts:
            if not names_compatible(values.get("name"), x.get("name")):
                continue  # a shared office line or mailbox: another person
            if (ek and ek == email_key(x.get("email"))) or (
                pks & ({phone_key(x.get("phone")), phone_key(x.get("mobile"))} - {None})
            ):
                return x
        return None

    @staticmethod
    def _contact_differs(x: dict[str, Any], ek: str | None, pks: set[str | None]) -> bool:
        """Both sides have a phone (or an e-mail) and none of them agree: another person."""
        their_pks = {phone_key(x.get("phone")), phone_key(x.get("mobile"))} - {None}
        their_ek = email_key(x.get("email"))
        if (ek and ek == their_ek) or (pks & their_pks):
            return False
        return bool((pks and their_pks) or (ek and their_ek))

    def _new_contact(
        self,
        cid: int,
        contacts: list[dict[str, Any]],
        values: dict[str, Any],
        row: Row,
        *,
        src: str | None,
        explicit_primary: bool,
    ) -> None:
        ident = self._alloc("contact")
        x: dict[str, Any] = {k: None for k in CONTACT_VALUES}
        x.update({k: v for k, v in values.items() if k in CONTACT_VALUES})
        x["id"], x["customer_id"] = ident, cid
        if x.get("role") == "decision-maker" and x.get("is_key_decision_maker") is None:
            x["is_key_decision_maker"] = True
        x["is_key_decision_maker"] = bool(x.get("is_key_decision_maker"))
        if explicit_primary:
            x["is_primary"] = bool(x.get("is_primary"))
        else:
            x["is_primary"] = not any(c.get("is_primary") and not c.get("archived_at") for c in contacts)
        x["_new"] = True
        contacts.append(x)
        self.new_rows["contact"].append(x)
        self.claims["contact"][ident] = src
        for e in row.ext_ids if row.plan.kind == "contacts" else []:
            self.registry.setdefault(e, ("contact", ident, cid))
        self.search_dirty.add(cid)

    def contact_row(self, row: Row) -> str:
        d = row.data
        name = d.get("name") or person_name(d.get("first_name"), d.get("last_name"))
        if not name:
            raise Reject("no contact name")
        if len(name) > (most := field_limit("contact", "name")):
            raise Reject(f"the contact name is {len(name)} characters; at most {most} fit")
        values: dict[str, Any] = {k: d.get(k) for k in CONTACT_VALUES if d.get(k) is not None}
        values["name"] = name
        address = d.get("address")
        cid, unresolved = self.resolve_link(row)
        person_customer = False
        if cid is None and unresolved and not MACHINE_ID.match(unresolved):
            c = self.create_customer({"name": unresolved[:200]})
            cid = c["id"]
            row.notices.append(f"created customer '{unresolved}' for this contact")
        elif cid is None:
            # A person without a company: a B2C customer of their own, with them as its contact.
            phone = d.get("phone") or d.get("mobile")
            self._shared = None
            cid, _how = self.find_customer(name, phone, d.get("email"), None, row.src)
            if cid is not None and self.customers[cid].get("kind") != "B2C" and _how == "name":
                cid = None  # a company that happens to carry the person's name is not them
            if cid is None:
                c = self.create_customer(
                    {"name": name, "kind": "B2C", "phone": phone, "email": d.get("email"), "address": address}
                )
                cid = c["id"]
                person_customer = True
            if unresolved:
                row.warnings.append(
                    f"its company id '{unresolved}' is not in this import; kept as a customer of its own"
                )
        notes = list(row.notes)
        if address and not person_customer and not text_contains(self.customers[cid].get("address"), address):
            notes.insert(0, f"Address: {address}")
        if notes:
            values["notes"] = "\n".join(([values["notes"]] if values.get("notes") else []) + notes)
        src = row.src or (row.ext_ids[0] if row.ext_ids else None)
        self.prefetch([cid])
        outcome = self._contact_into(
            cid, values, row, src=src, explicit_primary="is_primary" in row.plan.extras.values()
        )
        if person_customer and outcome == "created":
            return "created"
        return outcome

    def _decision_maker(self, cid: int, person: str, row: Row) -> int | None:
        for x in self.contacts.setdefault(cid, []):
            if name_key(x.get("name")) == name_key(person):
                found: int = x["id"]
                return found
        self._contact_into(
            cid,
            {"name": person[:200], "role": "decision-maker", "is_key_decision_maker": True},
            row,
            src=None,
            explicit_primary=False,
        )
        made: int = self.contacts[cid][-1]["id"]
        return made
