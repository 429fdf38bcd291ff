"""``tuicrm report weekly|funnel|forecast|value|lost|leads`` (SPEC §8; docs/reports.md): the Typer side.

Each command prints a Rich table (plain text, user text never parsed as markup), ``--json``
(documented in docs/cli.md) or ``--format markdown|html`` (for a mail; ``--markdown`` is the
alias of ``--format markdown``); ``--copy`` puts it on the local clipboard (OSC 52). What they print is
``report_views``' (the fast parser, ``tuicrm.cli.fast``, calls it without building Typer).
"""

from __future__ import annotations

from typing import Annotated

import typer

from tuicrm.cli.commands import report_views as views
from tuicrm.cli.readviews import MAX_LIMIT
from tuicrm.i18n import _

JSON_HELP = _("Machine-readable output (see docs/cli.md).")
MD_HELP = _("Markdown, for pasting into an email or a wiki (the same as --format markdown).")
Format = Annotated[
    str | None,
    typer.Option("--format", help=_("text (the default), markdown or html: a report to paste into a mail.")),
]
Copy = Annotated[
    bool,
    typer.Option(
        "--copy",
        help=_("Put the report on your local clipboard through the terminal (OSC 52; works over SSH)."),
    ),
]


def weekly_cmd(
    week: Annotated[
        str | None, typer.Option("--week", help=_("2026-W47, W47, this, last, or a date in the week."))
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help=MD_HELP)] = False,
    fmt: Format = None,
    copy: Copy = False,
) -> None:
    views.weekly_output(week, views.report_format(as_json, markdown, fmt), copy)


def funnel_cmd(
    from_: Annotated[
        str | None, typer.Option("--from", help=_("Opportunities created on or after this date."))
    ] = None,
    to: Annotated[
        str | None, typer.Option("--to", help=_("…and up to this date; the funnel as it stood then."))
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help=MD_HELP)] = False,
    fmt: Format = None,
    copy: Copy = False,
) -> None:
    style = views.report_format(as_json, markdown, fmt)
    views.funnel_output(from_, to, style, copy)


def forecast_cmd(
    by: Annotated[str, typer.Option("--by", help=_("month or quarter."))] = "month",
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help=MD_HELP)] = False,
    fmt: Format = None,
    copy: Copy = False,
) -> None:
    views.forecast_output(by, views.report_format(as_json, markdown, fmt), copy)


def value_cmd(
    limit: Annotated[
        int,
        typer.Option("--limit", min=0, max=MAX_LIMIT, help=_("Customers listed in the table and Markdown.")),
    ] = 15,
    as_json: Annotated[
        bool, typer.Option("--json", help=JSON_HELP + " " + _("Lists every customer with revenue."))
    ] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help=MD_HELP)] = False,
    fmt: Format = None,
    copy: Copy = False,
) -> None:
    views.value_output(limit, views.report_format(as_json, markdown, fmt), copy)


def lost_cmd(
    from_: Annotated[str | None, typer.Option("--from", help=_("Deals lost on or after this date."))] = None,
    to: Annotated[str | None, typer.Option("--to", help=_("…and on or before this date."))] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help=MD_HELP)] = False,
    fmt: Format = None,
    copy: Copy = False,
) -> None:
    style = views.report_format(as_json, markdown, fmt)
    views.lost_output(from_, to, style, copy)


def leads_cmd(
    from_: Annotated[
        str | None, typer.Option("--from", help=_("Leads created on or after this date."))
    ] = None,
    to: Annotated[str | None, typer.Option("--to", help=_("…and on or before this date."))] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help=MD_HELP)] = False,
    fmt: Format = None,
    copy: Copy = False,
) -> None:
    style = views.report_format(as_json, markdown, fmt)
    views.leads_output(from_, to, style, copy)
