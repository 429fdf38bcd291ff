"""``tuicrm complaint``: add, list, step, resolve, close (issue #18)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, TypeVar

import typer

from tuicrm.cli.commands.report import MD_HELP, Copy, Format
from tuicrm.cli.context import open_store, resolve, run_write
from tuicrm.cli.output import EXIT_NOT_FOUND, MARK_OVERDUE, fail, out, plain, print_json, table
from tuicrm.i18n import _

T = TypeVar("T")

Json = Annotated[bool, typer.Option("--json", help=_("Print JSON."))]
Ref = Annotated[str, typer.Argument(help=_("The complaint's code (K000001) or id."))]


def _read(fn: Callable[[sqlite3.Connection], T]) -> T:
    store = open_store()
    try:
        with store.reading() as conn:
            return fn(conn)
    finally:
        store.dispose()


def _now() -> datetime:
    from tuicrm.clock import utcnow

    return utcnow()


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="minutes")


def to_dict(row: Any, now: datetime, steps: list[Any] | None = None) -> dict[str, Any]:
    """One complaint in ``--json`` (docs/cli.md)."""
    data: dict[str, Any] = {
        "id": row.id,
        "code": row.code,
        "customer": {"id": row.customer_id, "code": row.customer_code, "name": row.customer_name},
        "contact": None if row.contact_id is None else {"id": row.contact_id, "name": row.contact_name},
        "opportunity_id": row.opportunity_id,
        "opened_at": _iso(row.opened_at),
        "channel": row.channel,
        "content": row.content,
        "cause": row.cause,
        "severity": row.severity,
        "deadline_at": _iso(row.deadline_at),
        "status": row.status,
        "overdue": row.overdue(now),
        "result": row.result,
        "resolved_at": _iso(row.resolved_at),
        "satisfaction": row.satisfaction,
        "owner": row.owner,
    }
    if steps is not None:
        data["steps"] = [{"at": _iso(s.at), "text": s.text, "by": s.by_user} for s in steps]
    return data


def _ref(session: Any, ref: str) -> Any:
    from tuicrm.cli.reads import complaint_id
    from tuicrm.store import dbapi
    from tuicrm.store.complaints import get_complaint

    found = complaint_id(dbapi(session), ref)
    if found is None:
        fail(_("No complaint {ref}.").format(ref=ref), EXIT_NOT_FOUND)
    return get_complaint(session, found)


def _print_one(complaint_id: int, as_json: bool, message: str) -> None:
    from tuicrm.cli.reads import complaint_with_steps

    def read(conn: sqlite3.Connection) -> dict[str, Any]:
        row, steps = complaint_with_steps(conn, complaint_id)
        assert row is not None
        return to_dict(row, _now(), steps)

    if as_json:
        print_json(_read(read))
    else:
        out(message)


def add(
    customer: Annotated[str, typer.Argument(help=_("Code, id, or part of the customer's name."))],
    text: Annotated[str, typer.Argument(help=_("What the customer complains about (投诉内容)."))],
    severity: Annotated[
        str, typer.Option("--severity", help=_("high (24 h), medium (3 working days), low (7 working days)."))
    ] = "medium",
    channel: Annotated[
        str | None, typer.Option("--channel", help=_("How it came in: phone, e-mail…"))
    ] = None,
    cause: Annotated[str | None, typer.Option("--cause", help=_("The cause (reported by cause)."))] = None,
    as_json: Json = False,
) -> None:
    """Open a complaint (code K000001…); its deadline follows the severity."""
    from tuicrm.store.complaints import add_complaint

    store = open_store()

    def write(session: Any) -> dict[str, Any]:
        target = resolve(session, customer)
        row = add_complaint(
            session, store.config, target, text, severity=severity, channel=channel, cause=cause
        )
        return {"id": row.id, "code": row.code, "customer": target.code, "deadline": row.deadline_at}

    done = run_write(store, f"add complaint {text[:40]}", write)
    deadline = done["deadline"]
    from tuicrm.store.lean.clock import local_time

    _print_one(
        int(done["id"]),
        as_json,
        _("Opened {code} for {customer}; handle it by {deadline}.").format(
            code=done["code"], customer=done["customer"], deadline=f"{local_time(deadline):%Y-%m-%d %H:%M}"
        ),
    )


def list_(
    open_only: Annotated[
        bool, typer.Option("--open", help=_("Only open and in-progress complaints."))
    ] = False,
    overdue: Annotated[
        bool, typer.Option("--overdue", help=_("Only open complaints past their deadline."))
    ] = False,
    as_json: Json = False,
) -> None:
    """Complaints: the open ones by deadline first, then the rest, newest first."""
    from tuicrm.cli.reads import complaint_rows

    now = _now()
    rows = _read(lambda conn: complaint_rows(conn, open_only=open_only, overdue_at=now if overdue else None))
    if as_json:
        print_json([to_dict(r, now) for r in rows])
        return
    if not rows:
        out(_("No complaints."))
        return
    from tuicrm.domain.complaints import severity_label, status_label
    from tuicrm.store.lean.clock import local_time

    cells = [
        [
            MARK_OVERDUE if r.overdue(now) else " ",
            r.code,
            plain(r.customer_name),
            severity_label(r.severity),
            status_label(r.status),
            f"{local_time(r.deadline_at):%m-%d %H:%M}" if r.deadline_at else "",
            plain(r.content),
        ]
        for r in rows
    ]
    headers = ["", _("code"), _("customer"), _("severity"), _("status"), _("deadline"), _("content")]
    out("\n".join(table(headers, cells, flexible=(2, 6))))


def step(
    ref: Ref,
    text: Annotated[str, typer.Argument(help=_("What was done (处理过程)."))],
    as_json: Json = False,
) -> None:
    """Log a handling step; the complaint is in progress from its first step."""
    from tuicrm.store.complaints import add_step

    store = open_store()

    def write(session: Any) -> tuple[int, str]:
        row = _ref(session, ref)
        add_step(session, row, text)
        return int(row.id), str(row.code)

    row_id, code = run_write(store, f"complaint step {ref}", write)
    _print_one(row_id, as_json, _("Logged a step on {code}.").format(code=code))


def resolve_cmd(
    ref: Ref,
    result: Annotated[str, typer.Option("--result", help=_("How it was resolved (处理结果)."))],
    satisfaction: Annotated[
        int | None, typer.Option("--satisfaction", min=1, max=5, help=_("The customer's satisfaction, 1–5."))
    ] = None,
    as_json: Json = False,
) -> None:
    """Resolve a complaint with its result (and the customer's satisfaction)."""
    from tuicrm.store.complaints import resolve_complaint

    store = open_store()

    def write(session: Any) -> tuple[int, str, bool]:
        row = _ref(session, ref)
        resolve_complaint(session, row, result, satisfaction=satisfaction)
        on_time = row.deadline_at is None or row.resolved_at <= row.deadline_at
        return int(row.id), str(row.code), bool(on_time)

    row_id, code, on_time = run_write(store, f"resolve complaint {ref}", write)
    message = (
        _("Resolved {code} on time.") if on_time else _("Resolved {code}, after its deadline.")
    ).format(code=code)
    _print_one(row_id, as_json, message)


def close(ref: Ref, as_json: Json = False) -> None:
    """Close a complaint (resolved and confirmed, or dropped)."""
    from tuicrm.store.complaints import close_complaint

    store = open_store()

    def write(session: Any) -> tuple[int, str]:
        row = _ref(session, ref)
        close_complaint(session, row)
        return int(row.id), str(row.code)

    row_id, code = run_write(store, f"close complaint {ref}", write)
    _print_one(row_id, as_json, _("Closed {code}.").format(code=code))


def report_cmd(
    from_: Annotated[
        str | None, typer.Option("--from", help=_("Period start (default: 30 days ago)."))
    ] = None,
    to: Annotated[str | None, typer.Option("--to", help=_("Period end (default: today)."))] = None,
    as_json: Json = False,
    markdown: Annotated[bool, typer.Option("--markdown", help=MD_HELP)] = False,
    fmt: Format = None,
    copy: Copy = False,
) -> None:
    """Complaints opened and resolved, resolved on time (%), by cause."""
    from tuicrm.cli.commands.report_views import complaints_output, report_format

    complaints_output(from_, to, report_format(as_json, markdown, fmt), copy)
