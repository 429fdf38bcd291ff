"""What ``tuicrm agenda`` prints, and the activity rows' text and JSON shapes the activity
commands share. Light at import (no Typer, no store): the fast path (``tuicrm.cli.fast``) runs
``agenda_output`` without building the app, on the lean read connection."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tuicrm.cli import reads
from tuicrm.cli.context import load_config, open_store, state, today
from tuicrm.cli.output import MARK_OVERDUE, MARK_TODAY, out, plain, print_json, table
from tuicrm.i18n import _
from tuicrm.i18n.names import display


def local_now() -> datetime:
    """Now as a naive local datetime to the minute (the agenda's rules compare local times);
    ``TUICRM_NOW`` pins it, read as ``due`` reads it (without pendulum on the plain forms)."""
    return reads.local_minute_now(today())


def agenda_output(week: bool, later: bool, as_json: bool) -> int:
    """Today's activities and planned ones overdue; ``week``: to Sunday; ``later``: every one
    from today on. Overdue plans from earlier days: the latest ``OVERDUE_SHOWN``, and a line
    saying how many older ones there are."""
    from tuicrm.domain.agenda import conflicts, group_of, week_end

    now = local_now()
    until = None if later else (week_end(now.date()) if week else now.date() + timedelta(days=1))

    rows, overdue_earlier = reads.agenda_window(state.db, open_store, now, until)
    shown_earlier = sum(1 for r in rows if r.status == "planned" and r.start.date() < now.date())
    not_listed = max(0, overdue_earlier - shown_earlier)
    clash = conflicts(slots(rows), load_config().agenda)
    codes = {r.id: r.code for r in rows}
    if as_json:
        items = []
        for r in rows:
            data = activity_dict(r, now=now, clashes=[codes[i] for i in clash.get(r.id, [])])
            data["group"] = group_of(r.start, now)
            items.append(data)
        print_json(
            {
                "now": now.isoformat(timespec="minutes"),
                "until": None if until is None else until.isoformat(),
                "activities": items,
                "overdue_not_listed": not_listed,
            }
        )
        return 0
    if not rows:
        out(_("Nothing planned."))
        return 0
    for line in activity_lines(rows, now, clash):
        out(line)
    if not_listed:
        out(
            _(
                "{count} older overdue plans are not listed (the latest {shown} are): "
                "tuicrm activity list --status planned"
            ).format(count=not_listed, shown=shown_earlier)
        )
    return 0


def activity_dict(
    row: Any, *, now: datetime | None = None, clashes: list[str] | None = None
) -> dict[str, Any]:
    from tuicrm.domain.agenda import is_overdue

    def iso(value: datetime | None) -> str | None:
        return None if value is None else value.isoformat(timespec="minutes")

    data = {
        "id": row.id,
        "code": row.code,
        "name": row.name,
        "kind": row.kind,
        "status": row.status,
        "customer": {"id": row.customer_id, "code": row.customer_code, "name": row.customer_name},
        "contact": None if row.contact_id is None else {"id": row.contact_id, "name": row.contact_name},
        "opportunity": None
        if row.opportunity_id is None
        else {"id": row.opportunity_id, "name": row.opportunity_name},
        "planned_start": iso(row.start),
        "planned_end": iso(row.end),
        "actual_start": iso(row.actual_start),
        "actual_end": iso(row.actual_end),
        "place": row.place,
        "goal": row.goal,
        "content": row.content,
        "attendees": row.attendees,
        "resources": row.resources,
        "budget": None if row.budget is None else f"{row.budget:.2f}",
        "result": row.result,
        "next_action": row.next_action,
        "owner": row.owner,
        "creator": row.creator,
        "follow_up_id": row.follow_up_id,
    }
    if now is not None:
        data["overdue"] = is_overdue(row.status, row.start, now)
        data["conflicts"] = clashes or []
    return data


def activity_lines(rows: list[Any], now: datetime, clash: dict[int, list[int]]) -> list[str]:
    from tuicrm.domain.agenda import is_overdue

    codes = {r.id: r.code for r in rows}
    headers = ["", _("code"), _("when"), _("kind"), _("status"), _("customer"), _("name"), ""]
    overdue = _("overdue")
    words: dict[tuple[str, str], str] = {}  # a few kinds and statuses, hundreds of rows

    def word(field: str, value: str) -> str:
        if (field, value) not in words:
            words[field, value] = display(field, value)
        return words[field, value]

    body = []
    for r in rows:
        marks = []
        late = is_overdue(r.status, r.start, now)
        if late:
            marks.append(overdue)
        if r.id in clash:
            marks.append(
                _("clashes with {codes}").format(codes=", ".join(codes.get(i, "?") for i in clash[r.id]))
            )
        body.append(
            [
                MARK_OVERDUE if late else (MARK_TODAY if r.start.date() == now.date() else " "),
                r.code,
                f"{r.start:%Y-%m-%d %H:%M}",
                word("activity_kind", r.kind),
                word("activity_status", r.status),
                plain(r.customer_name),
                plain(r.name),
                "; ".join(marks),
            ]
        )
    return table(headers, body, flexible=(5, 6, 7))


def slots(rows: list[Any]) -> list[Any]:
    from tuicrm.domain.agenda import Slot

    return [Slot(r.id, r.start, r.end, r.status, r.kind) for r in rows]
