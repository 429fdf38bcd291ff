"""What each ``tuicrm report`` prints, without Typer: the Typer commands (``report.py``,
``complaint.py``, ``receivable.py``) and the fast parser (``tuicrm.cli.fast``) both call these.

Every report reads on the lean sqlite3 connection when the database is current (``reads``:
no SQLModel to import), else on the migrating store's. Light at import: the report code, Rich
and the query layer load inside the functions.
"""

from __future__ import annotations

from tuicrm.cli import reads
from tuicrm.cli.commands.report_json import print_json
from tuicrm.cli.context import open_store, today
from tuicrm.cli.output import fail, out
from tuicrm.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import date
    from typing import Any

KINDS = ("weekly", "funnel", "forecast", "value", "lost", "complaints", "receivables", "leads")


# ``--format``'s words; ``text`` is the table a terminal shows (called "table" inside).
FORMATS = ("text", "markdown", "html")


def report_format(as_json: bool, markdown: bool, fmt: str | None = None) -> str:
    """``json``, ``markdown``, ``html`` or ``table`` from ``--json``, ``--markdown`` (the alias of
    ``--format markdown``) and ``--format``; two that disagree are refused with a sentence."""
    if as_json and markdown:
        fail(_("choose one of --json and --markdown."))
    if fmt is None:
        return "json" if as_json else ("markdown" if markdown else "table")
    word = fmt.strip().lower()
    if word not in FORMATS:
        fail(_("--format takes text, markdown or html, not '{format}'.").format(format=fmt))
    if as_json or (markdown and word != "markdown"):
        fail(_("choose one of --json, --markdown and --format."))
    return "table" if word == "text" else word


def show(fmt: str, copy: bool, *, data: Any, document: Any, table: Any, json_text: Any = None) -> None:
    """Print the report in ``fmt`` (``data()`` its JSON, ``document()`` its Markdown/HTML
    document, ``table()`` prints the text) — or, with ``copy``, put exactly that on the clipboard.
    ``json_text()``, where given, prints the same JSON from templates (large reports: no dict per row)."""

    def emit() -> None:
        if fmt == "json":
            if json_text is not None:
                json_text()
            else:
                print_json(data())
        elif fmt in ("markdown", "html"):
            from tuicrm.cli.commands.report_document import render_lines
            from tuicrm.cli.output import out_lines

            out_lines(render_lines(document(), fmt))
        else:
            table()

    if not copy:
        emit()
        return
    import io
    from contextlib import redirect_stdout

    buffer = io.StringIO()
    with redirect_stdout(buffer):
        emit()
    copy_text(buffer.getvalue().rstrip("\n") + "\n")


def copy_text(text: str) -> None:
    """``--copy``: ``text`` to the local clipboard through the terminal (OSC 52, works over SSH);
    exit 2 with a sentence when no terminal can take it."""
    from tuicrm.cli.output import err
    from tuicrm.i18n import ngettext
    from tuicrm.io.clipboard import NoTerminal, copy_to_clipboard

    try:
        copy_to_clipboard(text)
    except NoTerminal:
        fail(
            _(
                "--copy needs a terminal to pass the report to your clipboard, and this command has "
                "none (no /dev/tty, stdout is not a terminal); leave out --copy and redirect the output."
            )
        )
    lines = text.count("\n")
    err(
        ngettext(
            "Copied the report ({count} line) to the clipboard through the terminal.",
            "Copied the report ({count} lines) to the clipboard through the terminal.",
            lines,
        ).format(count=lines)
    )


def _date_option(value: str | None, what: str) -> date | None:
    if value is None:
        return None
    from tuicrm.domain.dates import DateInputError, parse_date_input

    try:
        day = parse_date_input(value, today(), allow_auto=False)
    except DateInputError as exc:
        fail(_("{option}: {problem}").format(option=what, problem=exc))
    assert not isinstance(day, str)  # allow_auto=False: always a date
    return day


def _range(from_: str | None, to: str | None) -> tuple[date | None, date | None]:
    start = _date_option(from_, "--from")
    end = _date_option(to, "--to")
    if start and end and start > end:
        fail(_("--from {start} is after --to {end}.").format(start=start.isoformat(), end=end.isoformat()))
    return start, end


def _activity() -> Any:
    """The weekly, funnel and leads printers: imported for a table or a document only (``--json``
    does without them and their Rich tables)."""
    from tuicrm.cli.commands import report_activity

    return report_activity


def _money() -> Any:
    """The forecast, value and lost printers, imported when a table or a document is printed."""
    from tuicrm.cli.commands import report_money

    return report_money


def _read(name: str, **kwargs: Any) -> Any:
    """The ``name`` report, read in one snapshot: on the lean sqlite3 connection when the database
    is current (no SQLModel to import: most of a report's time was that), else the store's."""
    from tuicrm.cli.context import load_config, state

    config: list[Any] = []

    def read(conn: Any) -> Any:
        if not config:
            config.append(load_config())
        return reads.report(name, conn, config[0], **kwargs)

    return reads.read_lean_or_store(state.db, open_store, read)


def weekly_output(week: str | None, fmt: str, copy: bool = False) -> None:
    from tuicrm.domain import reports as rep
    from tuicrm.domain.dates import MAX_YEAR, MIN_YEAR

    try:
        target = rep.parse_week(week, today())
    except rep.WeekError as exc:
        fail(str(exc))
    if not MIN_YEAR <= target.year <= MAX_YEAR:
        fail(
            _("week {year}-W{week} is outside the years {lo} to {hi}; use a week in that range.").format(
                year=target.year, week=target.week, lo=MIN_YEAR, hi=MAX_YEAR
            )
        )
    report = _read("weekly", week=target)
    show(
        fmt,
        copy,
        data=lambda: rep.weekly_to_dict(report),
        document=lambda: _activity().weekly_document(report),
        table=lambda: _activity().print_weekly(report),
    )


def funnel_output(from_: str | None, to: str | None, fmt: str, copy: bool = False) -> None:
    from tuicrm.domain import reports as rep

    start, end = _range(from_, to)
    today_ = today()
    report = _read("funnel", start=start, end=end or today_, today=today_)
    show(
        fmt,
        copy,
        data=lambda: rep.funnel_to_dict(report),
        document=lambda: _activity().funnel_document(report),
        table=lambda: _activity().print_funnel(report),
        json_text=lambda: _pieces(rep.funnel_json(report)),
    )


def _pieces(pieces: Any) -> None:
    """JSON text whose strings are already escaped (a report's ``*_json`` pieces)."""
    from tuicrm.cli.commands.report_json import print_json_pieces

    print_json_pieces(pieces, escaped=True)


def forecast_output(by: str, fmt: str, copy: bool = False) -> None:
    from tuicrm.domain import reports as rep

    by = (by or "").strip().lower()
    if by not in ("month", "quarter"):
        fail(_("--by takes month or quarter, not '{by}'.").format(by=by))
    report = _read("forecast", by=by, today=today())
    show(
        fmt,
        copy,
        data=lambda: rep.forecast_to_dict(report),
        document=lambda: _money().forecast_document(report),
        table=lambda: _money().print_forecast(report),
    )


def value_output(limit: int, fmt: str, copy: bool = False) -> None:
    from tuicrm.domain import reports as rep

    if fmt == "json" and not copy:
        # Every customer, classed in SQL and written from its stored values (no report object).
        source = _read("value_json_source", today=today())
        if source is not None:
            from tuicrm.cli.commands.report_json import print_json_pieces
            from tuicrm.domain.reports.value_text import value_json_rows

            head, rows, total_cents = source
            local_day = reads.local_days()
            print_json_pieces(
                value_json_rows(head, rows, total_cents=total_cents, local_day=local_day), escaped=True
            )
            return
    # A table shows its first ``limit`` customers: the classes counted in SQL, those rows read alone.
    if fmt == "json" or limit < 1:
        report = _read("value", today=today())
    else:
        report = _read("value_summary", today=today(), limit=limit)

    def json_text() -> None:
        from tuicrm.cli.commands.report_json import print_json_pieces
        from tuicrm.domain.reports.value import value_json

        print_json_pieces(value_json(report), escaped=True)

    show(
        fmt,
        copy,
        data=lambda: rep.value_to_dict(report),
        document=lambda: _money().value_document(report, limit),
        table=lambda: _money().print_value(report, limit),
        json_text=json_text,
    )


def lost_output(from_: str | None, to: str | None, fmt: str, copy: bool = False) -> None:
    from tuicrm.domain import reports as rep

    start, end = _range(from_, to)
    report = _read("lost", start=start, end=end)
    show(
        fmt,
        copy,
        data=lambda: rep.lost_to_dict(report),
        document=lambda: _money().lost_document(report),
        table=lambda: _money().print_lost(report),
    )


def leads_output(from_: str | None, to: str | None, fmt: str, copy: bool = False) -> None:
    from tuicrm.cli.context import state
    from tuicrm.domain import reports as rep

    start, end = _range(from_, to)
    report = reads.read_lean_or_store(
        state.db, open_store, lambda conn: reads.lead_sources(conn, start=start, end=end)
    )
    show(
        fmt,
        copy,
        data=lambda: rep.leads_to_dict(report),
        document=lambda: _activity().leads_document(report),
        table=lambda: _activity().print_leads(report),
    )


def complaints_output(from_: str | None, to: str | None, fmt: str, copy: bool = False) -> None:
    """Complaints opened and resolved, resolved on time (%), by cause (default: the last 30 days)."""
    from datetime import timedelta

    from tuicrm.cli.context import parse_day, state
    from tuicrm.cli.output import plain
    from tuicrm.domain.reports.complaints import complaints_report, to_dict, to_lines

    end = parse_day(to) if to else today()
    start = parse_day(from_) if from_ else end - timedelta(days=30)
    if start > end:
        fail(_("--from {start} is after --to {end}.").format(start=start.isoformat(), end=end.isoformat()))
    rows = reads.read_lean_or_store(
        state.db, open_store, lambda conn: reads.complaint_report_rows(conn, start, end)
    )
    report = complaints_report(rows, start, end)
    from tuicrm.cli.commands.report_ledger import complaints_document

    show(
        fmt,
        copy,
        data=lambda: to_dict(report),
        document=lambda: complaints_document(report),
        table=lambda: out("\n".join(plain(line) for line in to_lines(report))),
    )


def receivables_output(fmt: str, copy: bool = False) -> None:
    """Outstanding by customer and by ageing bucket (not due, 1–30, 31–60, 61–90, > 90 days)."""
    from tuicrm.cli.context import load_config, state
    from tuicrm.cli.output import plain
    from tuicrm.domain.reports.receivables import report_json, report_lines, report_to_dict

    day = today()
    config = load_config()

    def read(conn: Any) -> Any:
        if fmt == "json":
            return reads.receivables_json_source(conn, day, config)
        return reads.receivables_report(conn, day, config, owing_only=True)

    data = reads.read_lean_or_store(state.db, open_store, read)
    from tuicrm.cli.commands.report_json import print_json_pieces

    if isinstance(data, tuple):  # --json's rows as the query hands them over, one text each
        from tuicrm.domain.reports.receivables_json import report_json_rows

        head, rows = data
        pieces = report_json_rows(head, day, rows, config.collection)
        show(
            fmt,
            copy,
            data=None,
            document=None,
            table=None,
            json_text=lambda: print_json_pieces(pieces, escaped=True),
        )
        return
    from tuicrm.cli.commands.report_ledger import receivables_document

    def lines() -> None:
        # plain() keeps a printable line as it is (what it removes is never printable): asked only of the rest
        out("\n".join(line if line.isprintable() else plain(line) for line in report_lines(data, day)))

    show(
        fmt,
        copy,
        data=lambda: report_to_dict(data, day),
        document=lambda: receivables_document(data, day),
        table=lines,
        json_text=lambda: print_json_pieces(report_json(data, day), escaped=True),
    )
