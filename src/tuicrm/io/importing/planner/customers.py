"""Customer rows, and the customer fields that follow from imported children (pending follow-up,
first contact, won deals, latest tier), and the customers' search text."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tuicrm.domain.limits import field_limit
from tuicrm.io.importing.cells import naive_utc, person_name
from tuicrm.io.importing.fields import CUSTOMER_VALUE_SET
from tuicrm.io.importing.keys import (
    MACHINE_ID,
    OUR_CODE,
    email_key,
    name_key,
    names_compatible,
    phone_key,
    same,
)
from tuicrm.io.importing.lengths import fit
from tuicrm.io.importing.planner.parents import ParentPlanner
from tuicrm.io.importing.report import Issue
from tuicrm.io.importing.rows import Reject, Row, header_of


class CustomerPlanner(ParentPlanner):
    """Customer rows and what imported children change on their customer."""

    def customer_row(self, row: Row) -> str:
        as_contact = self.parent_row(row)
        if as_contact is not None:
            return as_contact
        d = row.data
        name, person, linked = self._customer_name(row)
        our_code = self._customer_codes(row)
        src = row.src or our_code or (row.ext_ids[0] if row.ext_ids else None)
        id_lines = tuple(n for n in row.notes for e in row.ext_ids if n.endswith(f": {e}"))
        if our_code and our_code in self.by_code and not self._is_ours(row, our_code, d):
            # That code is another customer's: keep the file's code in the notes.
            row.notes.insert(0, f"Code: {our_code}")
        values = {k: v for k, v in d.items() if k in CUSTOMER_VALUE_SET and v is not None}
        values["name"] = name
        contact = self._row_person(row, person, name, values)
        if row.notes:
            values["notes"] = "\n".join(([values["notes"]] if values.get("notes") else []) + row.notes)
        fit("customer", values, row, "notes")
        self._shared = None
        cid: int | None
        if linked is not None:
            cid, how = linked, "id"
            # The row describes a person at that account: their details go on the contact.
            person_bits = {k: values.pop(k) for k in ("phone", "email", "address", "notes") if k in values}
            if contact is not None:
                for k in ("phone", "email", "notes"):
                    if person_bits.get(k) and not contact.get(k):
                        contact[k] = person_bits[k]
        else:
            cid, how = self.find_customer(
                name,
                values.get("phone"),
                values.get("email"),
                our_code,
                src,
                id_lines,
                ours=row.src if row.src and row.src.startswith("tuicrm:") else None,
            )
        if cid is None:
            self._note_new_customer(row, our_code)
            c = self.create_customer(
                values,
                code=our_code,
                src=src,
                filtered=True,
                explicit=row.present,
            )
            outcome = "created"
        else:
            c, outcome = self._merge_customer(row, cid, how, values, src)
        self._remember_ids(c["id"], id_lines)
        for e in row.ext_ids:
            self.registry.setdefault(e, ("customer", c["id"], c["id"]))
        if our_code:
            self.registry.setdefault(our_code, ("customer", c["id"], c["id"]))
        if contact:
            r = self._contact_into(c["id"], contact, row, src=None, explicit_primary=False)
            if r != "skipped" and outcome == "skipped":
                outcome = "merged"
        return outcome

    def contact_or_company_row(self, row: Row) -> str:
        """A contact-sheet row, or the row of a company other rows of the sheet name (a list of
        companies and their people): that one is a customer, not a person of its own."""
        if not self.is_company_row(row):
            return self.contact_row(row)
        d = row.data
        name = d.get("name") or person_name(d.get("first_name"), d.get("last_name"))
        assert name is not None  # is_company_row
        phone = d.get("phone") or d.get("mobile")
        values: dict[str, Any] = {
            "name": name,
            "phone": phone,
            "email": d.get("email"),
            "address": d.get("address"),
        }
        notes = ([d["notes"]] if d.get("notes") else []) + list(row.notes)
        for k, v in d.items():
            if v is not None and k not in (
                "name",
                "first_name",
                "last_name",
                "phone",
                "email",
                "address",
                "notes",
            ):
                if k != "mobile" or v != phone:
                    notes.append(f"{header_of(row, k)}: {v}")
        values = {k: v for k, v in values.items() if v is not None}
        if notes:
            values["notes"] = "\n".join(notes)
        fit("customer", values, row, "notes")
        self._shared = None
        cid, how = self.find_customer(name, phone, d.get("email"), None, row.src)
        if cid is None:
            self._note_new_customer(row, None)
            self.create_customer(values, src=row.src)
            return "created"
        return self._merge_customer(row, cid, how, values, row.src)[1]

    def _customer_name(self, row: Row) -> tuple[str, str | None, int | None]:
        """(customer name, the person the row names, the customer of this import a record id
        in the name cell links to). Rejects a row without a usable name."""
        d = row.data
        person = d.get("contact_name") or person_name(d.get("first_name"), d.get("last_name"))
        name = d.get("name") or person
        linked = None
        if name and person and MACHINE_ID.match(name) and name_key(person) != name_key(name):
            # The company cell holds another system's record id (Salesforce leads): the account
            # of this import when there is one, else the person is the customer.
            hit = self.registry.get(name)
            row.notes.insert(0, f"{header_of(row, 'name')}: {name}")
            linked = hit[2] if hit else None
            name = self.customers[hit[2]]["name"] if hit else person
        if not name:
            cols = [
                row.plan.headers[i]
                for f in ("name", "contact_name", "first_name", "last_name")
                for i in row.plan.fields.get(f, [])
                if i < len(row.plan.headers)
            ]
            raise Reject(
                "no customer name"
                + (
                    f" (the {', '.join(cols)} cell is empty)"
                    if len(cols) == 1
                    else f" (the {', '.join(cols)} cells are empty)"
                    if cols
                    else ""
                )
            )
        if len(name) > (most := field_limit("customer", "name")):
            raise Reject(f"the customer name is {len(name)} characters; at most {most} fit")
        return name, person, linked

    def _customer_codes(self, row: Row) -> str | None:
        """Our customer code on the row (C000123), if any; another system's code or id is kept
        in the notes and as a source id."""
        d = row.data
        code = d.get("code")
        our_code = None
        if code:
            m = OUR_CODE.match(code)
            if m:
                our_code = f"C{int(m[1]):06d}"
            else:
                row.notes.insert(0, f"Code: {code}")
                row.ext_ids.append(code)
        ext = d.get("external_id")
        if ext:
            row.ext_ids.append(ext)
            row.notes.insert(0, f"{header_of(row, 'external_id')}: {ext}")
        return our_code

    def _row_person(
        self, row: Row, person: str | None, name: str, values: dict[str, Any]
    ) -> dict[str, Any] | None:
        """The contact a customer row names. A person who is the customer itself (B2C) is no
        separate contact: their phone and e-mail fill the customer's, the rest goes to notes."""
        d = row.data
        if person and name_key(person) != name_key(name):
            return {
                "name": person,
                "title": d.get("contact_title"),
                "phone": d.get("contact_phone"),
                "email": d.get("contact_email"),
                "im": d.get("contact_im"),
            }
        for k, label in (
            ("contact_phone", "Contact phone"),
            ("contact_email", "Contact email"),
            ("contact_im", "IM"),
            ("contact_title", "Title"),
        ):
            if d.get(k):
                if k == "contact_phone" and not values.get("phone"):
                    values["phone"] = d[k]
                elif k == "contact_email" and not values.get("email"):
                    values["email"] = d[k]
                else:
                    row.notes.append(f"{label}: {d[k]}")
        return None

    def _is_ours(self, row: Row, code: str, d: dict[str, Any]) -> bool:
        """Does our code on the row name the customer that has it (else it is another's)?"""
        cid = self.by_code[code]
        c = self.customers[cid]
        return (
            row.src == f"tuicrm:{cid}"
            or names_compatible(d.get("name") or d.get("contact_name"), c["name"])
            or bool(phone_key(d.get("phone")) and phone_key(d.get("phone")) == phone_key(c.get("phone")))
            or bool(email_key(d.get("email")) and email_key(d.get("email")) == email_key(c.get("email")))
        )

    def _note_new_customer(self, row: Row, our_code: str | None) -> None:
        """Why a row that looks like a known customer makes a new one."""
        if self._dupe:
            other = self.customers[self._dupe[0]]
            # Our own code tells them apart: they were two customers where the file came from.
            (row.notices if self._dupe[1] == "code" else row.warnings).append(
                f"possible duplicate of {other['code']} '{other['name']}': the same name, "
                f"a different {self._dupe[1]}; imported as a separate customer"
            )
        if self._shared:
            other = self.customers[self._shared[0]]
            row.notices.append(
                f"shares its {self._shared[1]} with {other['code']} '{other['name']}'; "
                "imported as a separate customer"
            )
        if our_code and our_code in self.by_code:
            row.warnings.append(
                f"code {our_code} belongs to '{self.customers[self.by_code[our_code]]['name']}'; "
                "this customer gets a new code"
            )

    def _merge_customer(
        self, row: Row, cid: int, how: str, values: dict[str, Any], src: str | None
    ) -> tuple[dict[str, Any], str]:
        """A row that matched customer ``cid``: fill its empty fields. (the customer, outcome)"""
        c = self.customers[cid]
        new = cid in self._new_ids
        self.prefetch([cid])
        values.pop("archived_at", None)  # an import never archives an existing customer
        filled, conflicts = self._fill("customer", c, values, new=new, append_notes="notes")
        kept = self._differing_to_notes("customer", c, values, conflicts, row, new=new)
        if kept:
            filled.append("notes")
        self._update_customer_indexes(c, filled)
        if new:
            self.explicit[cid] = self.explicit[cid] | row.present
        if conflicts:
            row.warnings.append(
                f"matched {c['code']} '{c['name']}' by {how}; kept its "
                + ", ".join(conflicts)
                + (f"; the file's {', '.join(kept)} added to its notes" if kept else " (the file differs)")
            )
        if c.get("archived_at") and not new:
            row.warnings.append(f"matched archived customer {c['code']}; it stays archived")
        if not new:  # a new customer's claim was settled when it was created
            self.claims["customer"].setdefault(cid, src)
        return c, "merged" if filled else "skipped"

    def _finish_customers(self) -> None:
        """Customer fields that follow from imported children: pending follow-up, first contact,
        won deals, latest tier."""
        self._next_follow_ups()
        self._first_contacts()
        self._won_deals()
        self._latest_tiers()

    def _next_follow_ups(self) -> None:
        """The pending follow-up (next date and action) of the latest imported follow-up."""
        for cid, f in self.latest_fu.items():
            c = self.customers[cid]
            new = cid in self._new_ids
            existing_latest = self.fu_latest.get(cid)
            latest_at: Any = naive_utc(f["at"])
            if existing_latest is not None and existing_latest > latest_at:
                continue
            explicit = self.explicit.get(cid, set()) if new else set()
            if f["next_on"] is not None or f["next_action"] is not None:
                if "next_follow_up_on" not in explicit and not same(
                    "next_follow_up_on", c["next_follow_up_on"], f["next_on"]
                ):
                    self._set("customer", c, "next_follow_up_on", f["next_on"], new=new)
                if "next_action" not in explicit and not same(
                    "next_action", c["next_action"], f["next_action"]
                ):
                    self._set("customer", c, "next_action", f["next_action"], new=new)

    def _first_contacts(self) -> None:
        """First contact: the earliest imported follow-up, when the customer has none."""
        for cid, day in self.earliest_fu.items():
            c = self.customers[cid]
            new = cid in self._new_ids
            if c["first_contact_on"] is None and "first_contact_on" not in (
                self.explicit.get(cid, set()) if new else set()
            ):
                self._set("customer", c, "first_contact_on", day, new=new)

    def _won_deals(self) -> None:
        """Won deals: revenue, last deal date, and status won."""
        for cid, opps in self.won.items():
            c = self.customers[cid]
            new = cid in self._new_ids
            explicit = self.explicit.get(cid, set()) if new else set()
            if c["revenue_total"] is None and "revenue_total" not in explicit:
                self._set(
                    "customer",
                    c,
                    "revenue_total",
                    # the configured currency's deals only: revenue is never converted (issue #15)
                    sum((o["amount"] or Decimal(0) for o in opps if not o.get("currency")), Decimal(0)),
                    new=new,
                )
            closed = [o["closed_on"] for o in opps if o.get("closed_on")]
            if c["last_deal_on"] is None and closed and "last_deal_on" not in explicit:
                self._set("customer", c, "last_deal_on", max(closed), new=new)
            if c["status"] == "potential" and "status" not in explicit:
                self._set("customer", c, "status", "won", new=new)

    def _latest_tiers(self) -> None:
        """The tier of the latest imported assessment."""
        for cid, t in self.latest_ta.items():
            c = self.customers[cid]
            new = cid in self._new_ids
            latest = self.ta_latest.get(cid)
            if latest is not None and latest > t["assessed_on"]:
                continue
            if c["tier"] == t["tier"]:
                continue
            if new and "tier" in self.explicit.get(cid, set()) and c["tier"] != "D":
                # The customer sheet names a tier of its own: it stands (a later manual change).
                self.report.issues.append(
                    Issue(
                        "",
                        f"{c['code']} {c['name']}",
                        None,
                        f"the customer sheet says tier {c['tier']}, the latest "
                        f"assessment {t['tier']}; kept {c['tier']}",
                        "note",
                    )
                )
                continue
            self._set("customer", c, "tier", t["tier"], new=new)

    # -- results ------------------------------------------------------------

    def search_text(self, cid: int) -> str:
        """What text search finds customer ``cid`` by, from its planned values and live contacts."""
        from tuicrm.store.customers import search_text_of

        c = self.customers[cid]
        contacts = self.contacts.get(cid)
        return search_text_of(
            c["name"],
            c["alias"],
            c["code"],
            c["email"],
            c["phone"],
            [(x["name"], x["email"], x["phone"], x["mobile"]) for x in contacts if x["archived_at"] is None]
            if contacts
            else (),
        )

    def _search_texts(self) -> None:
        """Search text for the existing customers whose searchable fields or contacts changed. A
        new customer's is made as it is written (``write.apply``, a chunk at a time: 100 000
        texts held at once were 18 MB), and not at all in a dry run."""
        for cid in [cid for cid in self.search_dirty if cid not in self._new_ids]:
            c = self.customers[cid]
            text = self.search_text(cid)
            if text != c.get("search_text"):
                self._set("customer", c, "search_text", text, new=False)
