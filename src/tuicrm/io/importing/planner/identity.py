"""Who a row is: the customer a record matches (code, source id, e-mail, phone, name), the
customer a child row belongs to, new customers and their codes."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from tuicrm.io.importing.fields import CUSTOMER_VALUE_SET
from tuicrm.io.importing.headers import SheetPlan
from tuicrm.io.importing.keys import MACHINE_ID, OUR_CODE, email_key, name_key, names_compatible, phone_key
from tuicrm.io.importing.planner.state import PlannerState, Record
from tuicrm.io.importing.report import NO_ACCOUNT
from tuicrm.io.importing.rows import Row


class Identity(PlannerState):
    """Finding and creating the customer a row is about."""

    def _new_code(self, wanted: str | None) -> str:
        if wanted and wanted not in self.by_code:
            m = OUR_CODE.match(wanted)
            assert m is not None  # callers pass our codes only
            self.code_counter = max(self.code_counter, int(m[1]))
            return f"C{int(m[1]):06d}"
        # Skip the codes the file's own rows carry: a row whose code was taken must not take
        # the code of a row still to come (one clash would renumber every customer after it).
        self.code_counter += 1
        code = f"C{self.code_counter:06d}"
        while code in self.by_code or code in self.file_codes:
            self.code_counter += 1
            code = f"C{self.code_counter:06d}"
        return code

    def find_customer(
        self,
        name: str | None,
        phone: str | None,
        email: str | None,
        code: str | None,
        src: str | None,
        id_lines: tuple[str, ...] = (),
        *,
        ours: str | None = None,
    ) -> tuple[int | None, str]:
        """(customer id, how it matched) for a customer-level record, or (None, '').

        The identity rule (docs/import.md "Identity"): the same code or source id, or the same
        phone or e-mail (with a compatible name) is the same record; the same name is the same
        record unless a code, phone or e-mail says otherwise; then it is another record and a
        possible duplicate (``self._dupe``). ``id_lines`` are the ``Header: id`` lines the row
        keeps of another system's codes (门店编号, Record Id); ``ours``: the row's ``tuicrm id``.
        """
        self._dupe = None
        if code and code in self.by_code:
            cid = self.by_code[code]
            c = self.customers[cid]
            if (
                not name
                or (ours is not None and ours == f"tuicrm:{cid}")
                or names_compatible(name, c["name"])
                or (phone_key(phone) and phone_key(phone) == phone_key(c.get("phone")))
                or (email_key(email) and email_key(email) == email_key(c.get("email")))
            ):
                return cid, "code"
        if src and src in self.registry and self.registry[src][0] == "customer":
            return self.registry[src][2], "id"
        if code and f"Code: {code}" in self._stored_ids():
            return self._stored_ids()[f"Code: {code}"], "code"  # it got another code before
        for line in id_lines:
            hit = self._stored_ids().get(line)
            if hit is not None:
                return hit, "id"
        ek = email_key(email)
        if ek and ek in self.by_email:
            cid = self.by_email[ek]
            if names_compatible(name, self.customers[cid]["name"]):
                return cid, "email"
            self._shared = (cid, "e-mail")
        pk = phone_key(phone)
        if pk and pk in self.by_phone:
            cid = self.by_phone[pk]
            if names_compatible(name, self.customers[cid]["name"]):
                return cid, "phone"
            self._shared = (cid, "phone")
        for cid in self.by_name.get(name_key(name), []) if name else []:
            differs = self._conflicting_ids(self.customers[cid], phone, email, code, id_lines)
            if differs:
                self._dupe = (cid, differs)
            elif self._claim_ok("customer", cid, src):
                return cid, "name"
        return None, ""

    def _conflicting_ids(
        self,
        c: dict[str, Any],
        phone: str | None,
        email: str | None,
        code: str | None,
        id_lines: tuple[str, ...],
    ) -> str:
        """The identifier that tells a same-named customer apart ('' when none does)."""
        notes = (c.get("notes") or "").splitlines()
        if code and c.get("code") and code != c["code"] and f"Code: {code}" not in notes:
            return "code"
        pk, their_pk = phone_key(phone), phone_key(c.get("phone"))
        if pk and their_pk and pk != their_pk:
            return "phone"
        ek, their_ek = email_key(email), email_key(c.get("email"))
        if ek and their_ek and ek != their_ek:
            return "e-mail"
        for line in id_lines:
            head = line.split(": ", 1)[0] + ": "
            theirs = [n for n in notes if n.startswith(head)]
            if theirs and line not in theirs:
                return line.split(": ", 1)[0]
        return ""

    def _stored_ids(self) -> dict[str, int]:
        """``Header: id`` note lines (another system's codes and ids) → the customer they belong
        to: existing customers read once, on first need, and the new ones of this import."""
        if self._id_index is None:
            index: dict[str, int] = {}
            if self.had_customers:
                for cid, notes in self.conn.exec_driver_sql(
                    "SELECT id, notes FROM customer WHERE notes LIKE '%: %' ORDER BY id"
                ):
                    for line in notes.splitlines():
                        if ": " in line and len(line) <= 120:
                            index.setdefault(line.strip(), cid)
            self._id_index = index
        return self._id_index

    def _remember_ids(self, cid: int, id_lines: tuple[str, ...]) -> None:
        if id_lines:
            index = self._stored_ids()
            for line in id_lines:
                index.setdefault(line, cid)

    def create_customer(
        self,
        values: dict[str, Any],
        *,
        code: str | None = None,
        src: str | None = None,
        explicit: Iterable[str] = (),
        filtered: bool = False,
    ) -> dict[str, Any]:
        """A new customer from ``values`` (``filtered``: they hold only set customer fields)."""
        cid = self._alloc("customer")
        c = Record(
            values
            if filtered
            else {k: v for k, v in values.items() if k in CUSTOMER_VALUE_SET and v is not None}
        )
        c["id"] = cid
        c["code"] = self._new_code(code if code and OUR_CODE.match(code) else None)
        c["status"] = c.get("status") or "potential"
        c["tier"] = c.get("tier") or "D"
        c["owner"] = c.get("owner") or self.user
        self.customers[cid] = c
        self.new_customers.append(cid)
        self._new_ids.add(cid)
        self._index_customer(c)
        if src is not None:  # a new customer without one is claimed by no source: it reads unclaimed
            self.claims["customer"][cid] = src
        self.explicit[cid] = explicit if isinstance(explicit, (set, frozenset)) else set(explicit)
        self._name_scan = None
        return c

    def _update_customer_indexes(self, c: dict[str, Any], filled: list[str]) -> None:
        if {"phone", "email", "name", "alias"} & set(filled):
            self._index_customer(c)
            self.search_dirty.add(c["id"])

    def resolve_link(self, row: Row) -> tuple[int | None, str | None]:
        """The customer a child row belongs to: (id, None) or (None, the unresolved name)."""
        code = row.data.get("customer_code")
        if code:
            m = OUR_CODE.match(code)
            if m and f"C{int(m[1]):06d}" in self.by_code:
                return self.by_code[f"C{int(m[1]):06d}"], None
        name = row.data.get("customer_name")
        for ref in ([name] if name else []) + row.link_ids + ([code] if code else []):
            hit = self.registry.get(ref)
            if hit:
                return hit[2], None
        if name:
            m = OUR_CODE.match(name)
            if m and f"C{int(m[1]):06d}" in self.by_code:
                return self.by_code[f"C{int(m[1]):06d}"], None
            ids = self.by_name.get(name_key(name))
            if ids:
                return ids[0], None
        return None, name

    def customer_for_child(self, row: Row, *, allow_scan: bool) -> tuple[int, bool]:
        """Resolve (or create) the customer of a contact/opportunity/follow-up/tier row.

        Returns (customer id, created). Unresolvable rows go under a placeholder customer,
        reported; a name that is not found creates that customer, reported.
        """
        cid, name = self.resolve_link(row)
        if cid is not None:
            self.prefetch([cid])
            return cid, False
        if name and not MACHINE_ID.match(name):
            c = self.create_customer({"name": name[:200]})
            row.notices.append(f"customer '{name}' was not in the database or the file; created it")
            return c["id"], True
        if allow_scan:
            hit = self._scan_name(row.data.get("name"))
            if hit is not None:
                self.prefetch([hit])
                row.notices.append(f"linked to customer '{self.customers[hit]['name']}' by its name")
                return hit, False
        why = (
            f"its customer '{name}' is not in this import or the database" if name else "it names no customer"
        )
        row.warnings.append(f"{why}; filed under '{NO_ACCOUNT}'")
        return self._placeholder(), False

    def _placeholder(self) -> int:
        if self.placeholder is None:
            ids = self.by_name.get(name_key(NO_ACCOUNT))
            if ids:
                self.placeholder = ids[0]
            else:
                c = self.create_customer({"name": NO_ACCOUNT, "notes": "Rows imported without a customer."})
                self.placeholder = c["id"]
        self.prefetch([self.placeholder])
        return self.placeholder

    _SUFFIXES = re.compile(
        r"(股份有限公司|集团有限公司|有限责任公司|有限公司|集团|公司|inc|ltd|llc|gmbh|corp|corporation|co|plc|group|"
        r"company|limited)$"
    )

    def _scan_name(self, text: str | None) -> int | None:
        """A customer whose (short) name appears inside ``text`` ("科技云服务器项目" → 科技有限公司)."""
        if not text:
            return None
        if self._name_scan is None:
            scan: dict[str, list[int]] = defaultdict(list)
            for cid, name in self.customers.all_names():
                k = name_key(name)
                for key in {k, self._SUFFIXES.sub("", k)}:
                    if len(key) >= 2 and cid not in scan[key]:
                        scan[key].append(cid)
            self._name_scan = scan
        k = name_key(text)[:60]
        for size in range(len(k), 1, -1):
            hits = {
                cid
                for start in range(0, len(k) - size + 1)
                for cid in self._name_scan.get(k[start : start + size], [])
            }
            if len(hits) == 1:
                return hits.pop()
            if len(hits) > 1:
                return None
        return None

    # -- per kind -----------------------------------------------------------

    def _prefetch_for(self, plan: SheetPlan, rows: list[Row]) -> None:
        """Before a sheet: load the children of the existing customers its rows name."""
        if not self.had_customers:
            return
        wanted = set()
        for row in rows:
            d = row.data
            for name in (d.get("customer_name"), d.get("name") if plan.kind == "customers" else None):
                if name:
                    wanted.update(self.by_name.get(name_key(name), []))
            code = d.get("customer_code") or d.get("code")
            if code and code in self.by_code:
                wanted.add(self.by_code[code])
            for ref in [d.get("customer_name")] + row.link_ids:
                if ref and ref in self.registry:
                    wanted.add(self.registry[ref][2])
            if plan.kind == "customers":
                for k, index in (
                    (phone_key(d.get("phone")), self.by_phone),
                    (email_key(d.get("email")), self.by_email),
                ):
                    if k and k in index:
                        wanted.add(index[k])
        if plan.kind != "customers":
            wanted.update(self.by_name.get(name_key(NO_ACCOUNT), []))
        self.prefetch(wanted)
