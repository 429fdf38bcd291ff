"""What undoing an operation will do, in the rep's words (issue #21): "move 'ERP 实施' back from
lost to negotiation", "delete the follow-up 'sent quote' of Acme", "restore Acme's next follow-up
to 2026-12-10", "un-archive 3 customers" — never a table's name.

Built from the operation's rows (``tuicrm.store.oplog``: table, action, the row as it was) against
the rows as they are now, names looked up. A change that follows from another one (a deal's
move recomputing its customer's figures, a snooze moving the customer's date) is said once, by
the change the rep made. What no sentence covers is counted per kind of record ("remove 2
activities"). Several rows of one kind of change become one counted sentence.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from tuicrm.i18n import _, ngettext, pgettext
from tuicrm.i18n.names import display
from tuicrm.models import Operation, OperationRow
from tuicrm.store.lean import rows as lean_rows
from tuicrm.store.session import dbapi

# Above this many updated rows of one table, rows are counted without reading each one.
READ_AT_MOST = 500
# A follow-up's or a deal's name in a sentence: cut after this many characters.
QUOTE_MAX = 40
# Fields a change moves along with the ones the rep changed: never a reason to speak.
BOOKKEEPING = frozenset({"id", "version", "created_at", "updated_at", "search_text"})
# A customer's figures a deal's move recomputes.
DEAL_FIGURES = frozenset({"status", "revenue_total", "last_deal_on"})
NEXT_DATE = frozenset({"next_follow_up_on", "next_action"})


@dataclass
class Logged:
    table: str
    row_id: int
    action: str  # insert | update | delete
    before: dict[str, Any] | None
    count: int = 1  # an insert_range stands for several inserted rows


def describe(session: Session, op: Operation) -> list[str]:
    """Plain sentences saying what undoing ``op`` will do, in the rep's language."""
    from tuicrm.store.oplog import _decode, _rows_of

    logged: list[Logged] = []
    query = select(OperationRow).where(OperationRow.operation_id == op.id).order_by(col(OperationRow.id))
    for r in session.exec(query):
        if r.action == "insert_range":
            first, last = _rows_of(r)
            logged.append(Logged(r.table_name, r.row_id, "insert", None, last - first + 1))
        elif r.action == "insert":
            logged.append(Logged(r.table_name, r.row_id, "insert", None))
        else:
            before = {k: _decode(v) for k, v in json.loads(r.before or "{}").items()}
            logged.append(Logged(r.table_name, r.row_id, r.action, before))
    return _Sentences(dbapi(session), logged).all()


def _quote(text: Any) -> str:
    said = " ".join(str(text or "").split())
    return said if len(said) <= QUOTE_MAX else said[: QUOTE_MAX - 1] + "…"


def _day(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def things(table: str, n: int) -> str:
    """``n`` records of ``table`` in words: "2 follow-ups", "1 customer"."""
    words: dict[str, Callable[[int], str]] = {
        "customer": lambda n: ngettext("{n} customer", "{n} customers", n),
        "contact": lambda n: ngettext("{n} contact", "{n} contacts", n),
        "opportunity": lambda n: ngettext("{n} opportunity", "{n} opportunities", n),
        "followup": lambda n: ngettext("{n} follow-up", "{n} follow-ups", n),
        "tierassessment": lambda n: ngettext("{n} tier assessment", "{n} tier assessments", n),
        "stagechange": lambda n: ngettext("{n} stage change", "{n} stage changes", n),
        "snooze": lambda n: ngettext("{n} snooze", "{n} snoozes", n),
        "statuschange": lambda n: ngettext("{n} status change", "{n} status changes", n),
        "lead": lambda n: ngettext("{n} lead", "{n} leads", n),
        "activity": lambda n: ngettext("{n} activity", "{n} activities", n),
        "receivable": lambda n: ngettext("{n} receivable", "{n} receivables", n),
        "payment": lambda n: ngettext("{n} payment", "{n} payments", n),
        "complaint": lambda n: ngettext("{n} complaint", "{n} complaints", n),
        "complaintstep": lambda n: ngettext("{n} complaint step", "{n} complaint steps", n),
        "savedfilter": lambda n: ngettext("{n} saved filter", "{n} saved filters", n),
    }
    word: Callable[[int], str] = words.get(table) or (lambda n: ngettext("{n} record", "{n} records", n))
    return word(n).format(n=n)


def field_words(fields: Iterable[str]) -> str:
    """Changed fields in words: "phone, email"."""
    known = {
        "name": pgettext("field", "name"),
        "phone": pgettext("field", "phone"),
        "email": pgettext("field", "email"),
        "address": pgettext("field", "address"),
        "industry": pgettext("field", "industry"),
        "status": pgettext("field", "status"),
        "tier": pgettext("field", "tier"),
        "tags": pgettext("field", "tags"),
        "notes": pgettext("field", "notes"),
        "owner": pgettext("field", "owner"),
        "amount": pgettext("field", "amount"),
        "probability": pgettext("field", "probability"),
        "expected_close_on": pgettext("field", "expected close"),
        "lost_reason": pgettext("field", "lost reason"),
        "lost_detail": pgettext("field", "lost details"),
        "summary": pgettext("field", "summary"),
    }
    return ", ".join(known.get(f, f.replace("_", " ")) for f in sorted(fields))


class _Sentences:
    def __init__(self, conn: sqlite3.Connection, logged: list[Logged]) -> None:
        self.conn = conn
        self.logged = logged
        self.said: set[int] = set()  # indexes of the rows a sentence already covers
        self.out: list[str] = []
        self._names: dict[tuple[str, int], str] = {}
        self._changed: dict[int, set[str]] = {}

    # --- lookups -----------------------------------------------------------------------------

    def now(self, table: str, row_id: int) -> dict[str, Any] | None:
        return lean_rows.read(self.conn, table, row_id)

    def name(self, table: str, row_id: Any, before: dict[str, Any] | None = None) -> str:
        """A customer's, contact's or deal's name as it is (or was, when it is gone)."""
        if row_id is None:
            return "?"
        key = (table, int(row_id))
        if key not in self._names:
            row = self.conn.execute(f"SELECT name FROM {table} WHERE id = ?", (int(row_id),)).fetchone()
            self._names[key] = _quote(row[0] if row else (before or {}).get("name", "?"))
        return self._names[key]

    def rows(self, table: str, action: str) -> list[tuple[int, Logged]]:
        return [
            (i, e)
            for i, e in enumerate(self.logged)
            if e.table == table and e.action == action and i not in self.said
        ]

    def cover(self, table: str, action: str, when: Callable[[Logged], bool] = lambda _e: True) -> None:
        for i, e in self.rows(table, action):
            if when(e):
                self.said.add(i)

    # --- sentences ---------------------------------------------------------------------------

    def all(self) -> list[str]:
        self.stage_moves()
        self.new_records()
        self.follow_ups()
        self.opportunity_updates()
        self.customer_updates()
        self.contacts()
        self.counted()
        return self.out

    def stage_moves(self) -> None:
        moves = []
        for i, e in self.rows("stagechange", "insert"):
            change = self.now("stagechange", e.row_id) if e.count == 1 else None
            if change is None or change["from_stage"] is None:
                continue  # a new deal's first stage: said with the deal
            self.said.add(i)
            moves.append(change)
        if not moves:
            return
        moved = {int(c["opportunity_id"]) for c in moves}
        self.cover("opportunity", "update", lambda e: e.row_id in moved)
        # the deals' customers' figures, status changes and a won deal's first revisit follow
        self.cover("customer", "update", lambda e: self.changed(e) <= DEAL_FIGURES | NEXT_DATE)
        self.cover("statuschange", "insert")
        if len(moves) > 3:
            self.out.append(
                ngettext(
                    "move {n} opportunity back to its stage",
                    "move {n} opportunities back to their stages",
                    len(moves),
                ).format(n=len(moves))
            )
            return
        for c in moves:
            self.out.append(
                _("move '{name}' back from {now} to {was}").format(
                    name=self.name("opportunity", c["opportunity_id"]),
                    now=display("stage", c["to_stage"]),
                    was=display("stage", c["from_stage"]),
                )
            )

    def new_records(self) -> None:
        """Customers, deals, contacts, assessments added: removed by the undo."""
        for table, one in (
            ("customer", _("remove the customer {name}")),
            ("opportunity", _("remove the opportunity '{name}'")),
        ):
            added = self.rows(table, "insert")
            if not added:
                continue
            self.said.update(i for i, _e in added)
            if table == "opportunity":  # the new deals' first stage, their customers' figures
                self.cover("stagechange", "insert")
                self.cover(
                    "customer", "update", lambda e: bool(self.changed(e)) and self.changed(e) <= DEAL_FIGURES
                )
            n = sum(e.count for _i, e in added)
            if n == 1:
                self.out.append(one.format(name=self.name(table, added[0][1].row_id)))
            else:
                self.out.append(_("remove {things}").format(things=things(table, n)))
        assessed = self.rows("tierassessment", "insert")
        if assessed:
            self.said.update(i for i, _e in assessed)
            row = self.now("tierassessment", assessed[0][1].row_id)
            if len(assessed) == 1 and row is not None:
                self.out.append(
                    _("delete the tier assessment of {customer}").format(
                        customer=self.name("customer", row["customer_id"])
                    )
                )
            else:
                self.out.append(_("remove {things}").format(things=things("tierassessment", len(assessed))))

    def follow_ups(self) -> None:
        added = self.rows("followup", "insert")
        if not added:
            return
        self.said.update(i for i, _e in added)
        row = self.now("followup", added[0][1].row_id)
        if len(added) == 1 and added[0][1].count == 1 and row is not None:
            self.out.append(
                _("delete the follow-up '{summary}' of {customer}").format(
                    summary=_quote(row["summary"]), customer=self.name("customer", row["customer_id"])
                )
            )
        else:
            n = sum(e.count for _i, e in added)
            self.out.append(_("delete {things}").format(things=things("followup", n)))

    def changed(self, e: Logged) -> set[str]:
        """The fields of an updated row that differ now from before (bookkeeping aside)."""
        if e.before is None:
            return set()
        if id(e) not in self._changed:
            now = self.now(e.table, e.row_id) or {}
            self._changed[id(e)] = {
                k
                for k, v in e.before.items()
                if k not in BOOKKEEPING and k in now and not _same(k, v, now[k])
            }
        return self._changed[id(e)]

    def customer_updates(self) -> None:
        updated = self.rows("customer", "update")
        if not updated:
            return
        self.said.update(i for i, _e in updated)
        if len(updated) > READ_AT_MOST:
            self.out.append(
                _("restore {things} as they were").format(things=things("customer", len(updated)))
            )
            return
        self.cover("snooze", "insert")  # a snooze is said by the date it moved
        self.cover("statuschange", "insert")
        groups: dict[str, list[Logged]] = defaultdict(list)
        for _i, e in updated:
            changed = self.changed(e)
            before = e.before or {}
            if "archived_at" in changed:
                groups["unarchive" if before.get("archived_at") is None else "archive"].append(e)
                continue
            if changed & NEXT_DATE:
                groups["next"].append(e)
            rest = changed - NEXT_DATE
            if rest:
                groups["fields"].append(e)
        for kind, rows in groups.items():
            self.out.append(self.customer_sentence(kind, rows))

    def customer_sentence(self, kind: str, rows: list[Logged]) -> str:
        n = len(rows)
        e = rows[0]
        before = e.before or {}
        name = self.name("customer", e.row_id, before)
        if kind == "unarchive":
            if n == 1:
                return _("un-archive {name}").format(name=name)
            return _("un-archive {things}").format(things=things("customer", n))
        if kind == "archive":
            if n == 1:
                return _("archive {name} again").format(name=name)
            return _("archive {things} again").format(things=things("customer", n))
        if kind == "next":
            if n > 1:
                return _("restore the next follow-up of {things}").format(things=things("customer", n))
            was = before.get("next_follow_up_on")
            if was is None:
                return _("clear {name}'s next follow-up date").format(name=name)
            return _("restore {name}'s next follow-up to {day}").format(name=name, day=_day(was))
        if n > 1:
            fields = set().union(*(self.changed(r) - NEXT_DATE for r in rows))
            return _("restore the {fields} of {things}").format(
                fields=field_words(fields), things=things("customer", n)
            )
        changed = self.changed(e) - NEXT_DATE
        if len(changed) == 1 and changed <= {"tier", "status"}:
            (field,) = changed
            was = before.get(field)
            if was is None:
                return _("clear {name}'s {field}").format(name=name, field=field_words(changed))
            shown = display("status", was) if field == "status" else str(was)
            return _("set {name}'s {field} back to {value}").format(
                name=name, field=field_words(changed), value=shown
            )
        return _("restore {name}'s {fields}").format(name=name, fields=field_words(changed))

    def opportunity_updates(self) -> None:
        updated = self.rows("opportunity", "update")
        if not updated:
            return
        self.said.update(i for i, _e in updated)
        # the deals' customers' figures follow the deals
        self.cover("customer", "update", lambda e: bool(self.changed(e)) and self.changed(e) <= DEAL_FIGURES)
        self.cover("statuschange", "insert")
        if len(updated) > 1:
            self.out.append(
                _("restore {things} as they were").format(things=things("opportunity", len(updated)))
            )
            return
        e = updated[0][1]
        changed = self.changed(e)
        name = self.name("opportunity", e.row_id, e.before)
        if "archived_at" in changed:
            if (e.before or {}).get("archived_at") is None:
                self.out.append(_("un-archive the opportunity '{name}'").format(name=name))
            else:
                self.out.append(_("archive the opportunity '{name}' again").format(name=name))
            return
        self.out.append(_("restore the {fields} of '{name}'").format(fields=field_words(changed), name=name))

    def contacts(self) -> None:
        for action, one in (
            ("insert", _("remove the contact {name}")),
            ("update", _("restore the contact {name} as it was")),
            ("delete", _("bring back the contact {name}")),
        ):
            found = self.rows("contact", action)
            if len(found) != 1 or found[0][1].count != 1:
                continue  # several: counted below
            self.said.add(found[0][0])
            e = found[0][1]
            self.out.append(one.format(name=self.name("contact", e.row_id, e.before)))

    def counted(self) -> None:
        """What no sentence above covered: a counted sentence per kind of record and action."""
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for i, e in enumerate(self.logged):
            if i not in self.said:
                counts[(e.action, e.table)] += e.count
        verbs = {
            "insert": _("remove {things}"),
            "update": _("restore {things} as they were"),
            "delete": _("bring back {things}"),
        }
        for (action, table), n in sorted(counts.items()):
            self.out.append(verbs.get(action, verbs["update"]).format(things=things(table, n)))


def _same(field: str, before: Any, now: Any) -> bool:
    """Whether a field's value before and now is the same (a time only by being there or not:
    the log and the row may spell one moment differently)."""
    if field.endswith("_at"):
        return (before is None) == (now is None)
    if before is None or now is None:
        return before is None and now is None
    return str(before) == str(now) or _number(before) == _number(now)


def _number(value: Any) -> Any:
    try:
        return float(value)
    except (TypeError, ValueError):
        return object()
