"""The activity plan and the lead sheet (issue #17): their rows planned into ``activity`` and
``lead``. The customer of an activity is found the way every child row's is (our code, another
system's code of this import or of the database, the name); an activity whose customer is
nowhere is rejected with the reason, never dropped. Re-importing finds each record again (our
code; the file's own code kept as a ``Header: code`` line; else the same customer, start and
name — a lead: the same company and contact), so it changes nothing the second time.

The rows are written by :mod:`tuicrm.io.importing.side_write` through the store's own add paths
(a lead's BANT score is the store's), in the import's transaction and undo step."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from tuicrm.io.importing.keys import OUR_CODE, name_key
from tuicrm.io.importing.planner.identity import Identity
from tuicrm.io.importing.rows import Reject, Row, header_of

OUR_ACTIVITY = re.compile(r"^\s*A(\d{6})\s*$", re.IGNORECASE)
OUR_LEAD = re.compile(r"^\s*L(\d{6})\s*$", re.IGNORECASE)

ACTIVITY_TEXT = (
    "goal",
    "content",
    "place",
    "attendees",
    "resources",
    "result",
    "next_action",
    "owner",
    "creator",
)
ACTIVITY_TIMES = ("planned_end", "actual_start", "actual_end")
LEAD_TEXT = (
    "source",
    "source_detail",
    "industry",
    "contact_name",
    "contact_title",
    "phone",
    "email",
    "budget_text",
    "needs",
    "purchase_by",
    "owner",
)


def _utc(value: datetime | None) -> datetime | None:
    """Naive UTC to the second, the way the database holds times (for comparing)."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.replace(microsecond=0)


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if ": " in line and len(line) <= 120]


class SidePlanner(Identity):
    """Activities and leads: planned in memory, written after the customer records."""

    def _side_init(self) -> None:
        if hasattr(self, "side"):
            return
        # ("activity" | "lead", "insert" | "update", id or None, values)
        self.side: list[tuple[str, str, int | None, dict[str, Any]]] = []
        self.act_keys: dict[Any, int | None] = {}
        self.lead_keys: dict[Any, int | None] = {}
        for ident, code, cid, start, name, content in self.conn.exec_driver_sql(
            "SELECT id, code, customer_id, planned_start, name, content FROM activity"
        ):
            self._remember_activity(ident, code, cid, start, name, content)
        for ident, code, company, contact, notes in self.conn.exec_driver_sql(
            "SELECT id, code, company, contact_name, notes FROM lead"
        ):
            self._remember_lead(ident, code, company, contact, notes)

    # -- activities -----------------------------------------------------------

    def _remember_activity(
        self, ident: int | None, code: str | None, cid: int, start: Any, name: str, content: str | None
    ) -> None:
        keys = self.act_keys
        if code:
            keys[("code", code.upper())] = ident
        for line in _lines(content):
            keys[("line", line)] = ident
        if isinstance(start, str):
            start = datetime.fromisoformat(start)
        keys[("natural", cid, _utc(start), name_key(name))] = ident

    def _activity_customer(self, row: Row) -> int:
        d = row.data
        code = d.get("customer_code")
        if code:
            m = OUR_CODE.match(code)
            if m and f"C{int(m[1]):06d}" in self.by_code:
                return self.by_code[f"C{int(m[1]):06d}"]
            hit = self.registry.get(code)
            if hit:
                return hit[2]
            stored = self._stored_ids().get(f"Code: {code}")
            if stored is not None:
                return stored
        name = d.get("customer_name")
        if name:
            hit = self.registry.get(name)
            if hit:
                return hit[2]
            ids = self.by_name.get(name_key(name))
            if ids:
                return ids[0]
        said = " / ".join(x for x in (code, name) if x)
        if not said:
            raise Reject("no customer (客户编号 / 客户名称): an activity belongs to a customer")
        raise Reject(
            f"customer '{said}' is not in the database or this import; import or add it first, "
            "then import the activity plan again"
        )

    def _link(self, cid: int, ref: str | None, table: str, row: Row, field: str) -> int | None:
        """A contact or opportunity of the customer named by code or name; else its text is kept."""
        if not ref:
            return None
        self.prefetch([cid])
        pool = (self.contacts if table == "contact" else self.opps).get(cid) or []
        key = name_key(ref)
        for x in pool:
            if name_key(x.get("name")) == key or (x.get("code") and x["code"] == ref):
                found: int = x["id"]
                return found
        hit = self.registry.get(ref)
        if hit and hit[0] == table and hit[2] == cid:
            return hit[1]
        row.notes.append(f"{header_of(row, field)}: {ref}")
        return None

    def activity_row(self, row: Row) -> str:
        self._side_init()
        d = row.data
        start = d.get("planned_start")
        if start is None:
            raise Reject(f"no planned start (the {header_of(row, 'planned_start')} cell is empty)")
        cid = self._activity_customer(row)
        kind = d.get("activity_kind") or ("other" if "activity_kind" in row.plan.fields else "visit")
        name = d.get("name") or d.get("goal")
        if not name:
            raise Reject(f"no activity name (the {header_of(row, 'name')} cell is empty)")
        end = d.get("planned_end")
        if end is not None and _utc(end) <= _utc(start):  # type: ignore[operator]
            raise Reject("the activity ends before it starts")
        code = d.get("code")
        ours = code.strip().upper() if code and OUR_ACTIVITY.match(code) else None
        if code and not ours:
            row.notes.insert(0, f"{header_of(row, 'code')}: {code}")
        values: dict[str, Any] = {k: d[k] for k in ACTIVITY_TEXT if d.get(k) is not None}
        values.update({k: d[k] for k in ACTIVITY_TIMES if d.get(k) is not None})
        values["contact_id"] = self._link(cid, d.get("contact_ref"), "contact", row, "contact_ref")
        values["opportunity_id"] = self._link(
            cid, d.get("opportunity_ref"), "opportunity", row, "opportunity_ref"
        )
        if d.get("activity_budget") is not None:
            values["budget"] = d["activity_budget"]
        if row.notes:
            values["content"] = "\n".join(([values["content"]] if values.get("content") else []) + row.notes)
        values.update(customer_id=cid, name=name, kind=kind, planned_start=start)
        values["status"] = d.get("activity_status") or "planned"
        keys: list[tuple[Any, ...]] = [("natural", cid, _utc(start), name_key(name))]
        if ours:
            keys.insert(0, ("code", ours))
        if code and not ours:
            keys.insert(0, ("line", f"{header_of(row, 'code')}: {code}"))
        found = next((k for k in keys if k in self.act_keys), None)
        if found is None:
            self.side.append(("activity", "insert", None, values))
            for k in keys:
                self.act_keys[k] = None
            return "created"
        ident = self.act_keys[found]
        if ident is None:
            return "skipped"  # the same activity twice in this import
        return self._fill_side("activity", ident, values)

    # -- leads ----------------------------------------------------------------

    def _remember_lead(
        self, ident: int | None, code: str | None, company: str, contact: str | None, notes: str | None
    ) -> None:
        keys = self.lead_keys
        if code:
            keys[("code", code.upper())] = ident
        for line in _lines(notes):
            keys[("line", line)] = ident
        keys[("natural", name_key(company), name_key(contact))] = ident

    def lead_row(self, row: Row) -> str:
        self._side_init()
        d = row.data
        company = d.get("company") or d.get("contact_name")
        if not company:
            raise Reject("no company (客户名称 / Company)")
        code = d.get("code")
        ours = code.strip().upper() if code and OUR_LEAD.match(code) else None
        if code and not ours:
            row.notes.insert(0, f"{header_of(row, 'code')}: {code}")
        values: dict[str, Any] = {k: d[k] for k in LEAD_TEXT if d.get(k) is not None}
        source = values.get("source")
        if source and "-" in source and "source_detail" not in values:
            # 展会-2024春季教育展: the channel, then its detail.
            head, _sep, tail = source.partition("-")
            if head.strip() and tail.strip():
                values["source"], values["source_detail"] = head.strip(), tail.strip()
        notes = ([d["notes"]] if d.get("notes") else []) + row.notes
        if notes:
            values["notes"] = "\n".join(notes)
        values["company"] = company
        if d.get("lead_status"):
            values["status"] = d["lead_status"]
        if d.get("lead_created"):
            values["created_at"] = d["lead_created"]
        keys: list[tuple[Any, ...]] = [("natural", name_key(company), name_key(d.get("contact_name")))]
        if ours:
            keys.insert(0, ("code", ours))
        if code and not ours:
            keys.insert(0, ("line", f"{header_of(row, 'code')}: {code}"))
        found = next((k for k in keys if k in self.lead_keys), None)
        if found is None:
            self.side.append(("lead", "insert", None, values))
            for k in keys:
                self.lead_keys[k] = None
            return "created"
        ident = self.lead_keys[found]
        if ident is None:
            return "skipped"
        return self._fill_side("lead", ident, values)

    # -- both -------------------------------------------------------------------

    def _fill_side(self, table: str, ident: int, values: dict[str, Any]) -> str:
        """An existing activity or lead: its empty fields take the file's values (never overwritten)."""
        skip = {"customer_id", "name", "kind", "planned_start", "company", "status", "created_at"}
        wanted = [k for k, v in values.items() if v is not None and k not in skip]
        if not wanted:
            return "skipped"
        cols = ", ".join(wanted)
        stored = self.conn.exec_driver_sql(f"SELECT {cols} FROM {table} WHERE id = ?", (ident,)).one()
        fill = {k: values[k] for k, v in zip(wanted, stored, strict=True) if v is None}
        if not fill:
            return "skipped"
        self.side.append((table, "update", ident, fill))
        return "merged"

    def count_side(self) -> None:
        side = getattr(self, "side", [])
        for table in ("activity", "lead", "receivable", "complaint"):
            made = sum(1 for t, action, _i, _v in side if t == table and action == "insert")
            changed = sum(1 for t, action, _i, _v in side if t == table and action == "update")
            if made:
                self.report.created[table] = made
            if changed:
                self.report.updated[table] = changed
        # A receivable's received amount is one payment, and an excess over it a credit.
        payments = sum(
            (v["received"] > 0) + (v["received"] > v["amount"]) for t, _a, _i, v in side if t == "receivable"
        )
        if payments:
            self.report.created["payment"] = payments
