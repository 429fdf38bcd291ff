"""After the deal (issue #18): template 001's 客户结算收款表 into ``receivable`` + ``payment`` and its
客户投诉记录表 / 投诉管理卡 into ``complaint`` (+ its handling as a step). The customer is found as
an activity's is; a row whose customer is nowhere is rejected with the reason. A settlement row
whose three figures disagree (应收 − 实收 ≠ 未收) is reported; the outstanding amount is never
stored (it is amount − received). Re-importing finds each record again (our code, the file's own
code kept as a ``Header: code`` line, else the same customer + date + amount / content)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from tuicrm.io.importing.keys import name_key
from tuicrm.io.importing.planner.opportunities import currency_code
from tuicrm.io.importing.planner.side import SidePlanner, _lines, _utc
from tuicrm.io.importing.rows import Reject, Row, header_of

OUR_RECEIVABLE = re.compile(r"^\s*R(\d{6})\s*$", re.IGNORECASE)
OUR_COMPLAINT = re.compile(r"^\s*K(\d{6})\s*$", re.IGNORECASE)


class CarePlanner(SidePlanner):
    """Receivables with their payments, and complaints."""

    def _care_init(self) -> None:
        if hasattr(self, "care_keys"):
            return
        self._side_init()
        self.care_keys: dict[Any, int | None] = {}
        for ident, code, cid, settled, amount, notes in self.conn.exec_driver_sql(
            "SELECT id, code, customer_id, settled_on, amount, notes FROM receivable"
        ):
            self._remember("receivable", ident, code, notes, (cid, str(settled or ""), int(amount or 0)))
        for ident, code, cid, opened, content, notes in self.conn.exec_driver_sql(
            "SELECT id, code, customer_id, opened_at, content, notes FROM complaint"
        ):
            day = str(opened or "")[:10]
            self._remember("complaint", ident, code, notes, (cid, day, name_key(content)))

    def _remember(
        self, table: str, ident: int | None, code: str | None, notes: str | None, natural: Any
    ) -> None:
        keys = self.care_keys
        if code:
            keys[(table, "code", code.upper())] = ident
        for line in _lines(notes):
            keys[(table, "line", line)] = ident
        keys[(table, "natural", natural)] = ident

    def _care_keys(self, row: Row, table: str, ours: re.Pattern[str], natural: Any) -> list[Any]:
        code = row.data.get("code")
        keys: list[Any] = [(table, "natural", natural)]
        if code and ours.match(code):
            keys.insert(0, (table, "code", code.strip().upper()))
        elif code:
            line = f"{header_of(row, 'code')}: {code}"
            row.notes.insert(0, line)
            keys.insert(0, (table, "line", line))
        return keys

    def _place(self, table: str, keys: list[Any], values: dict[str, Any]) -> str:
        found = next((k for k in keys if k in self.care_keys), None)
        if found is not None:
            return "skipped"  # already there (a later import never rewrites money records)
        self.side.append((table, "insert", None, values))
        for k in keys:
            self.care_keys[k] = None
        return "created"

    # -- 客户结算收款表 -----------------------------------------------------------

    def receivable_row(self, row: Row) -> str:
        self._care_init()
        d = row.data
        cid = self._activity_customer(row)
        due = d.get("due_amount")
        if due is None:
            raise Reject(f"no amount due (the {header_of(row, 'due_amount')} cell is empty)")
        received = d.get("received_amount") or Decimal(0)
        outstanding = d.get("outstanding_amount")
        if outstanding is not None and outstanding != due - received:
            row.warnings.append(
                f"{header_of(row, 'due_amount')} {due} − {header_of(row, 'received_amount')} {received} "
                f"= {due - received}, but {header_of(row, 'outstanding_amount')} says {outstanding}: "
                "stored the amount due and the payment; the outstanding amount follows from them"
            )
        settled: date | None = d.get("settled_on")
        paid_on: date | None = d.get("paid_on") or settled
        if received and paid_on is None:
            raise Reject("a received amount without a payment or settlement date")
        currency = currency_code(d.get("currency_code")) or d.get("currency")
        if currency == self.config.currency:
            currency = None
        keys = self._care_keys(row, "receivable", OUR_RECEIVABLE, (cid, str(settled or ""), int(due * 100)))
        notes = ([d["notes"]] if d.get("notes") else []) + row.notes
        values: dict[str, Any] = {
            "customer_id": cid,
            "amount": due,
            "currency": currency,
            "settled_on": settled,
            "due_on": d.get("due_on"),
            "settled_by": d.get("settled_by"),
            "invoice_no": d.get("invoice_no"),
            "notes": "\n".join(notes) or None,
            "received": received,
            "paid_on": paid_on,
            "method": d.get("pay_method"),
        }
        if received > due:
            row.notices.append(f"received {received} is more than the {due} due: the excess is a credit")
        return self._place("receivable", keys, values)

    # -- 客户投诉记录表 -----------------------------------------------------------

    def complaint_row(self, row: Row) -> str:
        self._care_init()
        d = row.data
        cid = self._activity_customer(row)
        content = d.get("complaint_content")
        if not content:
            raise Reject(f"no complaint (the {header_of(row, 'complaint_content')} cell is empty)")
        opened: datetime | None = d.get("complaint_at")
        if d.get("deadline_text"):
            row.notes.append(f"{header_of(row, 'deadline_text')}: {d['deadline_text']}")
        day = str(_utc(opened) or "")[:10]
        keys = self._care_keys(row, "complaint", OUR_COMPLAINT, (cid, day, name_key(content)))
        satisfaction = d.get("satisfaction")
        if satisfaction is not None:
            digits = re.sub(r"\D", "", str(satisfaction))
            if digits and 1 <= int(digits) <= 5:
                satisfaction = int(digits)
            else:
                row.notes.append(f"{header_of(row, 'satisfaction')}: {satisfaction}")
                satisfaction = None
        notes = ([d["notes"]] if d.get("notes") else []) + row.notes
        values: dict[str, Any] = {
            "customer_id": cid,
            "contact_id": self._link(cid, d.get("contact_ref"), "contact", row, "contact_ref"),
            "content": content,
            "opened_at": opened,
            "channel": d.get("channel"),
            "severity": d.get("severity"),
            "cause": d.get("cause"),
            "owner": d.get("owner"),
            "handling": d.get("handling"),
            "result": d.get("result"),
            "status": d.get("complaint_status"),
            "satisfaction": satisfaction,
            "notes": "\n".join(notes) or None,
        }
        if values["contact_id"] is None and d.get("contact_ref"):
            values["notes"] = "\n".join([*notes, f"{header_of(row, 'contact_ref')}: {d['contact_ref']}"])
        return self._place("complaint", keys, values)
