"""``tuicrm report weekly|funnel|forecast|value|lost`` (SPEC §8; docs/reports.md).

Each command prints a Rich table (plain text, user text never parsed as markup), ``--json``
(documented in docs/cli.md) or ``--markdown`` (for pasting into an email). The store, Rich
and the report code load inside the commands.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer

from tuicrm.cli import reads
from tuicrm.cli.commands import report_activity, report_money
from tuicrm.cli.context import open_store, today
from tuicrm.cli.output import fail, out, print_json
from tuicrm.cli.readviews import MAX_LIMIT
from tuicrm.i18n import _

JSON_HELP = _("Machine-readable output (see docs/cli.md).")
MD_HELP = _("Markdown, for pasting into an email or a wiki.")


def _format(as_json: bool, markdown: bool) -> str:
    if as_json and markdown:
        fail(_("choose one of --json and --markdown."))
    return "json" if as_json else ("markdown" if markdown else "table")


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


def _emit(lines: list[str]) -> None:
    out("\n".join(lines).rstrip("\n"))


def weekly_cmd(
    week: Annotated[
        str | None, typer.Option("--week", help=_("2026-W47, W47, this, last, or a date in the week."))
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help=MD_HELP)] = False,
) -> None:
    from tuicrm.domain import reports as rep

    fmt = _format(as_json, markdown)
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
    if fmt == "json":
        print_json(rep.weekly_to_dict(report))
    elif fmt == "markdown":
        _emit(report_activity.weekly_markdown(report))
    else:
        report_activity.print_weekly(report)


def funnel_cmd(
    from_: Annotated[
        str | None, typer.Option("--from", help=_("Opportunities created on or after this date."))
    ] = None,
    to: Annotated[
        str | None, typer.Option("--to", help=_("…and up to this date; the funnel as it stood then."))
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help=MD_HELP)] = False,
) -> None:
    from tuicrm.domain import reports as rep

    fmt = _format(as_json, markdown)
    start, end = _range(from_, to)
    today_ = today()
    report = _read("funnel", start=start, end=end or today_, today=today_)
    if fmt == "json":
        print_json(rep.funnel_to_dict(report))
    elif fmt == "markdown":
        _emit(report_activity.funnel_markdown(report))
    else:
        report_activity.print_funnel(report)


def forecast_cmd(
    by: Annotated[str, typer.Option("--by", help=_("month or quarter."))] = "month",
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help=MD_HELP)] = False,
) -> None:
    from tuicrm.domain import reports as rep

    fmt = _format(as_json, markdown)
    by = (by or "").strip().lower()
    if by not in ("month", "quarter"):
        fail(_("--by takes month or quarter, not '{by}'.").format(by=by))
    report = _read("forecast", by=by, today=today())
    if fmt == "json":
        print_json(rep.forecast_to_dict(report))
    elif fmt == "markdown":
        _emit(report_money.forecast_markdown(report))
    else:
        report_money.print_forecast(report)


def value_cmd(
    limit: Annotated[
        int,
        typer.Option("--limit", min=0, max=MAX_LIMIT, help=_("Customers listed in the table and Markdown.")),
    ] = 15,
    as_json: Annotated[
        bool, typer.Option("--json", help=JSON_HELP + " " + _("Lists every customer with revenue."))
    ] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help=MD_HELP)] = False,
) -> None:
    from tuicrm.domain import reports as rep

    fmt = _format(as_json, markdown)
    report = _read("value", today=today())
    if fmt == "json":
        print_json(rep.value_to_dict(report))
    elif fmt == "markdown":
        _emit(report_money.value_markdown(report, limit))
    else:
        report_money.print_value(report, limit)


def lost_cmd(
    from_: Annotated[str | None, typer.Option("--from", help=_("Deals lost on or after this date."))] = None,
    to: Annotated[str | None, typer.Option("--to", help=_("…and on or before this date."))] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help=MD_HELP)] = False,
) -> None:
    from tuicrm.domain import reports as rep

    fmt = _format(as_json, markdown)
    start, end = _range(from_, to)
    report = _read("lost", start=start, end=end)
    if fmt == "json":
        print_json(rep.lost_to_dict(report))
    elif fmt == "markdown":
        _emit(report_money.lost_markdown(report))
    else:
        report_money.print_lost(report)


def leads_cmd(
    from_: Annotated[
        str | None, typer.Option("--from", help=_("Leads created on or after this date."))
    ] = None,
    to: Annotated[str | None, typer.Option("--to", help=_("…and on or before this date."))] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help=MD_HELP)] = False,
) -> None:
    from tuicrm.cli.context import state
    from tuicrm.domain import reports as rep

    fmt = _format(as_json, markdown)
    start, end = _range(from_, to)

    report = reads.read_lean_or_store(
        state.db, open_store, lambda conn: reads.lead_sources(conn, start=start, end=end)
    )
    if fmt == "json":
        print_json(rep.leads_to_dict(report))
    elif fmt == "markdown":
        _emit(report_activity.leads_markdown(report))
    else:
        report_activity.print_leads(report)
