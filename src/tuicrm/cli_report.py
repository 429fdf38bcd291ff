"""``tuicrm report weekly|funnel|forecast|value|lost`` (SPEC §8; docs/reports.md).

Registered by ``tuicrm.cli`` at import. Light at import time: only Typer here; the
store, Rich and the report code load inside the commands. Each command prints a
Rich table (plain text, user text never parsed as markup), ``--json`` (documented
in docs/cli.md) or ``--markdown`` (for pasting into an email).
"""

from __future__ import annotations

from typing import Optional

import typer

_cli = None  # the tuicrm.cli module, set by register()

report_app = typer.Typer(
    help="Reports: weekly report, funnel, forecast, customer value (ABC/RFM), lost reasons.",
    no_args_is_help=True,
)

JSON_HELP = "Machine-readable output (see docs/cli.md)."
MD_HELP = "Markdown, for pasting into an email or a wiki."


def register(app: typer.Typer, cli_module) -> None:
    global _cli
    _cli = cli_module
    app.add_typer(report_app, name="report")


# ---------------------------------------------------------------------------------------------
# helpers


def _format(as_json: bool, markdown: bool) -> str:
    if as_json and markdown:
        _cli.fail("choose one of --json and --markdown.")
    return "json" if as_json else ("markdown" if markdown else "table")


def _date_option(text: Optional[str], what: str):
    if text is None:
        return None
    from tuicrm.domain.dates import DateInputError, parse_date_input

    try:
        return parse_date_input(text, _cli._today(), allow_auto=False)
    except DateInputError as exc:
        _cli.fail(f"{what}: {exc}")


def _range(from_: Optional[str], to: Optional[str]):
    start = _date_option(from_, "--from")
    end = _date_option(to, "--to")
    if start and end and start > end:
        _cli.fail(f"--from {start.isoformat()} is after --to {end.isoformat()}.")
    return start, end


def _read(fn):
    """Run ``fn(conn, store)`` in one read snapshot of a freshly opened store."""
    store = _cli.open_store()
    try:
        with store.reading() as conn:
            return fn(conn, store)
    finally:
        store.dispose()


def _emit(lines: list[str]) -> None:
    typer.echo("\n".join(lines).rstrip("\n"))


def _md(value) -> str:
    """User text for Markdown: one line, no escapes, Markdown punctuation backslash-escaped."""
    from tuicrm.domain.privacy import sanitize_line

    text = sanitize_line("" if value is None else str(value))
    out = []
    for ch in text:
        if ch in "\\`*_{}[]<>()#+-.!|~":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def _md_table(header: list[str], rows: list[list[str]], align: str = "") -> list[str]:
    """A GitHub-flavoured Markdown table; ``align`` is one letter per column (l/r)."""
    align = align.ljust(len(header), "l")
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---:" if a == "r" else "---" for a in align) + "|",
    ]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return lines


class _Rows:
    """A borderless Rich table printed to fit the console: ``cut`` columns (names, free text) get
    what width is left and end in an ellipsis, ``wrap`` columns wrap; the figures never do."""

    def __init__(
        self,
        *columns: str,
        right: tuple[int, ...] = (),
        cut: tuple[int, ...] = (),
        wrap: tuple[int, ...] = (),
        title: Optional[str] = None,
        bold_first: bool = False,
    ):
        self.columns, self.right, self.cut, self.wrap, self.title = columns, right, cut, wrap, title
        self.bold_first = bold_first
        self.rows: list[tuple] = []
        self.sections: set[int] = set()

    def add(self, *cells, end_section: bool = False) -> None:
        if end_section:
            self.sections.add(len(self.rows))
        self.rows.append(cells)

    def print(self, console) -> None:
        from rich.cells import cell_len
        from rich.table import Table
        from rich.text import Text

        def width(cell) -> int:
            return cell.cell_len if isinstance(cell, Text) else cell_len(str(cell))

        natural = [max([cell_len(c)] + [width(r[i]) for r in self.rows]) for i, c in enumerate(self.columns)]
        limits: dict[int, int] = {}
        total = sum(natural) + 2 * (len(natural) - 1)
        if self.cut and total > console.width:
            fixed = sum(w for i, w in enumerate(natural) if i not in self.cut) + 2 * (len(natural) - 1)
            room = max(8 * len(self.cut), console.width - fixed)
            want = sum(natural[i] for i in self.cut) or 1
            for i in self.cut:
                limits[i] = max(8, room * natural[i] // want)
        if self.title:
            console.print(Text(self.title, style="bold"))
        show_header = any(self.columns)
        table = Table(box=None, pad_edge=False, header_style="bold", show_header=show_header)
        for i, c in enumerate(self.columns):
            table.add_column(
                c,
                justify="right" if i in self.right else "left",
                no_wrap=i not in self.wrap,
                overflow="fold" if i in self.wrap else "ellipsis",
                max_width=limits.get(i),
                style="bold" if (i == 0 and self.bold_first) else None,
            )
        for n, r in enumerate(self.rows):
            table.add_row(*r, end_section=(n + 1) in self.sections)
        console.print(table)


def _bar(value: float, top: float, width: int) -> str:
    """A horizontal bar of block characters (eighths), ``width`` cells at ``top``."""
    if top <= 0 or value <= 0:
        return ""
    eighths = round(value / top * width * 8)
    return "█" * (eighths // 8) + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[eighths % 8]


# ---------------------------------------------------------------------------------------------
# weekly


@report_app.command("weekly")
def weekly_cmd(
    week: Optional[str] = typer.Option(
        None, "--week", help="2026-W47, W47, this, last, or a date in the week."
    ),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    markdown: bool = typer.Option(False, "--markdown", help=MD_HELP),
):
    """The weekly report: new customers, follow-ups, stage moves, won/lost, overdue, next week's focus."""
    from tuicrm.domain import reports as rep
    from tuicrm.query import reports as queries

    fmt = _format(as_json, markdown)
    try:
        target = rep.parse_week(week, _cli._today())
    except rep.WeekError as exc:
        _cli.fail(str(exc))
    report = _read(lambda s, store: queries.weekly(s, store.config, target))
    if fmt == "json":
        _cli._print_json(rep.weekly_to_dict(report))
    elif fmt == "markdown":
        _emit(weekly_markdown(report))
    else:
        print_weekly(report)


def _channels(r) -> str:
    return " · ".join(f"{ch} {n}" for ch, n in r.follow_ups_by_channel.items()) or "none"


def _reasons(rows) -> str:
    return ", ".join(f"{x.reason} {x.count}" for x in rows)


def _overdue_note(r) -> str:
    return "due by Sunday, not done yet" if r.overdue_is_projection else "still pending at the end of Sunday"


def weekly_lines(r) -> list[tuple[str, str, str]]:
    """(label, figure, detail) rows shared by the table and the Markdown."""
    from tuicrm.domain.reports import money_label, plural

    cur = r.currency
    rows = [
        ("New customers", str(r.new_customers), f"tier A: {r.high_value_new}"),
        ("New leads", "—" if r.new_leads is None else str(r.new_leads), ""),
        ("New opportunities", str(r.new_opportunities), ""),
        ("Customers followed up", str(r.customers_followed_up), ""),
        ("Follow-ups logged", str(r.follow_ups), _channels(r) if r.follow_ups else ""),
    ]
    rows += [(f"Moved into {s}", str(n), "") for s, n in r.moved_into.items()]
    rows += [
        (
            "Won",
            str(r.won_count),
            f"{money_label(r.won_amount)} {cur} from {plural(r.won_customers, 'customer')}",
        ),
        (
            "Lost",
            str(r.lost_count),
            f"{money_label(r.lost_amount)} {cur}"
            + (f"; {_reasons(r.lost_reasons)}" if r.lost_reasons else ""),
        ),
        ("Overdue at week end", str(r.overdue_at_week_end), _overdue_note(r)),
    ]
    return rows


def print_weekly(r) -> None:
    from rich.text import Text

    console = _cli._console()
    title = f"Weekly report {r.week} · {r.week.start.isoformat()} – {r.week.end.isoformat()}"
    table = _Rows("", "", "", right=(1,), wrap=(2,), title=title, bold_first=True)
    for label, figure, detail in weekly_lines(r):
        table.add(label, figure, _cli._text(detail))
    table.print(console)
    nxt = r.focus_week
    head = f"\nNext week's focus · {nxt} ({nxt.start:%m-%d} – {nxt.end:%m-%d}) · {r.focus_total} due"
    if r.focus_total > len(r.focus):
        head += f", first {len(r.focus)} by tier"
    console.print(Text(head, style="bold"))
    if not r.focus:
        console.print("  nothing scheduled yet")
        return
    focus = _Rows("date", "code", "tier", "customer", "next action", cut=(3, 4))
    for f in r.focus:
        focus.add(f.next_on.isoformat(), f.code, f.tier, _cli._text(f.name), _cli._text(f.next_action or ""))
    focus.print(console)


def weekly_markdown(r) -> list[str]:
    nxt = r.focus_week
    out = [f"## Weekly report {r.week} ({r.week.start.isoformat()} – {r.week.end.isoformat()})", ""]
    out += _md_table(
        ["Figure", "Count", "Detail"],
        [[label, fig, _md(detail)] for label, fig, detail in weekly_lines(r)],
        "lrl",
    )
    out += [
        "",
        f"### Next week's focus ({nxt}, {nxt.start.isoformat()} – {nxt.end.isoformat()}): "
        f"{r.focus_total} due",
        "",
    ]
    if not r.focus:
        out.append("Nothing scheduled yet.")
    for f in r.focus:
        action = f" — {_md(f.next_action)}" if f.next_action else ""
        out.append(f"- {f.next_on.isoformat()} **{_md(f.name)}** ({f.code}, tier {f.tier}){action}")
    if r.focus_total > len(r.focus):
        out.append(f"- … and {r.focus_total - len(r.focus)} more")
    return out


# ---------------------------------------------------------------------------------------------
# funnel


@report_app.command("funnel")
def funnel_cmd(
    from_: Optional[str] = typer.Option(None, "--from", help="Opportunities created on or after this date."),
    to: Optional[str] = typer.Option(None, "--to", help="…and up to this date; the funnel as it stood then."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    markdown: bool = typer.Option(False, "--markdown", help=MD_HELP),
):
    """Conversion between stages, median days in each stage, stale opportunities."""
    from tuicrm.domain import reports as rep
    from tuicrm.query import reports as queries

    fmt = _format(as_json, markdown)
    start, end = _range(from_, to)
    today = _cli._today()
    report = _read(
        lambda s, store: queries.funnel(s, store.config, start=start, end=end or today, today=today)
    )
    if fmt == "json":
        _cli._print_json(rep.funnel_to_dict(report))
    elif fmt == "markdown":
        _emit(funnel_markdown(report))
    else:
        print_funnel(report)


def _funnel_scope(r) -> str:
    since = (
        f"created {r.start.isoformat()} – {r.end.isoformat()}"
        if r.start
        else f"created to {r.end.isoformat()}"
    )
    return f"{r.opportunities} opportunities {since}, {_money(r.amount)} {r.currency}"


def _money(v) -> str:
    from tuicrm.domain.reports import money_label

    return money_label(v)


def _plural(count: int, word: str) -> str:
    from tuicrm.domain.reports import plural

    return plural(count, word)


def _days(v) -> str:
    return "—" if v is None else f"{v:.1f}"


def print_funnel(r, stale_limit: int = 10) -> None:
    from rich.text import Text

    from tuicrm.domain.reports import percent_label

    console = _cli._console()
    top = max((s.reached for s in r.stages), default=0)
    table = _Rows(
        "stage",
        "reached",
        "",
        "amount",
        "→ next",
        "days",
        "now",
        "lost",
        right=(1, 3, 4, 5, 6, 7),
        title=f"Funnel · {_funnel_scope(r)}",
    )
    for s in r.stages:
        table.add(
            s.stage,
            str(s.reached),
            _bar(s.reached, top, 12),
            _money(s.amount),
            percent_label(s.conversion) if s.next_stage else "",
            _days(s.median_days) if s.stage != "won" else "",
            str(s.now),
            str(s.lost_here) if s.stage != "won" else "",
        )
    table.print(console)
    lost_n, lost_amt = r.current("lost")
    console.print(
        f"lead → won {percent_label(r.overall_conversion)} · lost {lost_n} ({_money(lost_amt)}) · "
        "days = median days in the stage"
    )
    console.print(Text(f"\nStale opportunities: {len(r.stale)}", style="bold"))
    if r.stale:
        table = _Rows("#", "idle", "stage", "amount", "customer", "opportunity", right=(0, 1, 3), cut=(4, 5))
        for s in r.stale[:stale_limit]:
            table.add(
                str(s.opportunity_id),
                f"{s.idle_days}d" if s.idle_days is not None else "—",
                s.stage,
                _money(s.amount),
                _cli._text(s.customer_name),
                _cli._text(s.name),
            )
        table.print(console)
        if len(r.stale) > stale_limit:
            console.print(f"… and {len(r.stale) - stale_limit} more (--json lists all)")


def funnel_markdown(r) -> list[str]:
    from tuicrm.domain.reports import percent_label

    out = [f"## Funnel: {_funnel_scope(r)}", ""]
    out += _md_table(
        ["Stage", "Reached", "Amount", "Conversion to next", "Median days", "Now", "Lost here"],
        [
            [
                s.stage,
                str(s.reached),
                _money(s.amount),
                percent_label(s.conversion) if s.next_stage else "",
                _days(s.median_days) if s.stage != "won" else "",
                str(s.now),
                str(s.lost_here) if s.stage != "won" else "",
            ]
            for s in r.stages
        ],
        "lrrrrrr",
    )
    out += [
        "",
        f"Lead → won: {percent_label(r.overall_conversion)}.",
        "",
        f"### Stale opportunities: {len(r.stale)}",
        "",
    ]
    for s in r.stale[:20]:
        out.append(
            f"- #{s.opportunity_id} {_md(s.name)} ({_md(s.customer_name)}), {s.stage}, "
            f"{_money(s.amount)}, idle {s.idle_days} days"
        )
    if len(r.stale) > 20:
        out.append(f"- … and {len(r.stale) - 20} more")
    return out


# ---------------------------------------------------------------------------------------------
# forecast


@report_app.command("forecast")
def forecast_cmd(
    by: str = typer.Option("month", "--by", help="month or quarter."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    markdown: bool = typer.Option(False, "--markdown", help=MD_HELP),
):
    """Open pipeline and weighted value by expected close period, against won deals."""
    from tuicrm.domain import reports as rep
    from tuicrm.query import reports as queries

    fmt = _format(as_json, markdown)
    by = (by or "").strip().lower()
    if by not in ("month", "quarter"):
        _cli.fail(f"--by takes month or quarter, not '{by}'.")
    today = _cli._today()
    report = _read(lambda s, store: queries.forecast(s, store.config, by=by, today=today))
    if fmt == "json":
        _cli._print_json(rep.forecast_to_dict(report))
    elif fmt == "markdown":
        _emit(forecast_markdown(report))
    else:
        print_forecast(report)


def _forecast_rows(r) -> list[list[str]]:
    rows = [
        [
            p.period + (" *" if p.when == "current" else ""),
            str(p.open_count),
            _money(p.open_amount),
            _money(p.weighted),
            str(p.won_count),
            _money(p.won_amount),
        ]
        for p in r.periods
    ]
    rows.append(
        [
            "total",
            str(r.total("open_count")),
            _money(r.total("open_amount")),
            _money(r.total("weighted")),
            str(r.total("won_count")),
            _money(r.total("won_amount")),
        ]
    )
    return rows


def print_forecast(r) -> None:
    console = _cli._console()
    table = _Rows(
        r.by,
        "open",
        "open amount",
        "weighted",
        "won",
        "won amount",
        right=(1, 2, 3, 4, 5),
        title=f"Forecast by {r.by} · {r.currency} · today {r.today.isoformat()}",
    )
    rows = _forecast_rows(r)
    for i, row in enumerate(rows):
        table.add(*row, end_section=(i == len(rows) - 2))
    table.print(console)
    console.print(
        f"* current {r.by}. Won this year to date: {_plural(r.won_ytd_count, 'deal')}, "
        f"{_money(r.won_ytd_amount)} {r.currency}."
    )


def forecast_markdown(r) -> list[str]:
    out = [f"## Forecast by {r.by} ({r.currency}, {r.today.isoformat()})", ""]
    out += _md_table(
        [r.by.capitalize(), "Open", "Open amount", "Weighted", "Won", "Won amount"],
        [[c.replace("*", "\\*") for c in row] for row in _forecast_rows(r)],
        "lrrrrr",
    )
    out += [
        "",
        f"\\* current {r.by}. Won this year to date: {_plural(r.won_ytd_count, 'deal')}, "
        f"{_money(r.won_ytd_amount)} {r.currency}.",
    ]
    return out


# ---------------------------------------------------------------------------------------------
# value


@report_app.command("value")
def value_cmd(
    limit: int = typer.Option(15, "--limit", min=0, help="Customers listed in the table and Markdown."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP + " Lists every customer with revenue."),
    markdown: bool = typer.Option(False, "--markdown", help=MD_HELP),
):
    """Customer value: ABC classes by revenue, RFM scores, and tiers to review."""
    from tuicrm.domain import reports as rep
    from tuicrm.query import reports as queries

    fmt = _format(as_json, markdown)
    today = _cli._today()
    report = _read(lambda s, store: queries.value(s, store.config, today=today))
    if fmt == "json":
        _cli._print_json(rep.value_to_dict(report))
    elif fmt == "markdown":
        _emit(value_markdown(report, limit))
    else:
        print_value(report, limit)


def _value_head(r) -> str:
    return (
        f"Value · revenue {_money(r.revenue_total)} {r.currency} · {_plural(len(r.rows), 'customer')} with revenue, "
        f"{r.no_revenue} without"
    )


def _class_rows(r) -> list[list[str]]:
    from tuicrm.domain.reports import percent_label

    a = int(r.config.abc_a_share * 100)
    b = int(r.config.abc_b_share * 100)
    what = {"A": f"top {a} % of revenue", "B": f"next {b} %", "C": "the rest"}
    return [
        [
            k,
            what[k],
            str(n),
            _money(amt),
            percent_label(float(amt / r.revenue_total) if r.revenue_total else None),
        ]
        for k, (n, amt) in r.summary().items()
    ]


def print_value(r, limit: int = 15) -> None:
    console = _cli._console()
    table = _Rows("class", "", "customers", "revenue", "share", right=(2, 3, 4), title=_value_head(r))
    for row in _class_rows(r):
        table.add(*row)
    table.print(console)
    if r.rows and limit:
        console.print()
        table = _Rows(
            "code",
            "customer",
            "tier",
            "abc",
            "revenue",
            "cum.",
            "RFM",
            right=(4, 5),
            cut=(1,),
            title=f"Top {min(limit, len(r.rows))} by revenue (RFM: recency, frequency, monetary 1-5)",
        )
        for x in r.rows[:limit]:
            table.add(
                x.code,
                _cli._text(x.name),
                x.tier,
                x.abc,
                _money(x.revenue),
                f"{x.cumulative_share * 100:.0f}%",
                x.rfm,
            )
        table.print(console)
    console.print()
    if not r.review:
        console.print("Review tier: none, every tier agrees with its value class.")
        return
    table = _Rows(
        "code",
        "customer",
        "tier",
        "value",
        "suggest",
        cut=(1,),
        title=f"Review tier: {_plural(len(r.review), 'customer')} whose tier disagrees with their value",
    )
    for x in r.review[: limit or len(r.review)]:
        table.add(x.row.code, _cli._text(x.row.name), x.row.tier, x.row.abc, x.suggestion)
    table.print(console)
    if limit and len(r.review) > limit:
        console.print(f"… and {len(r.review) - limit} more (--json lists all)")


def value_markdown(r, limit: int = 15) -> list[str]:
    out = [f"## {_value_head(r)}", ""]
    out += _md_table(["Class", "", "Customers", "Revenue", "Share"], _class_rows(r), "llrrr")
    if r.rows and limit:
        out += ["", "### Top customers by revenue", ""]
        out += _md_table(
            ["Code", "Customer", "Tier", "ABC", "Revenue", "Cumulative", "RFM"],
            [
                [
                    x.code,
                    _md(x.name),
                    x.tier,
                    x.abc,
                    _money(x.revenue),
                    f"{x.cumulative_share * 100:.0f} %",
                    x.rfm,
                ]
                for x in r.rows[:limit]
            ],
            "lllllrrl",
        )
    out += ["", f"### Review tier: {len(r.review)}", ""]
    for x in r.review[: limit or len(r.review)]:
        out.append(f"- **{_md(x.row.name)}** ({x.row.code}): {_md(x.reason)} ({x.suggestion})")
    if limit and len(r.review) > limit:
        out.append(f"- … and {len(r.review) - limit} more")
    return out


# ---------------------------------------------------------------------------------------------
# lost


@report_app.command("lost")
def lost_cmd(
    from_: Optional[str] = typer.Option(None, "--from", help="Deals lost on or after this date."),
    to: Optional[str] = typer.Option(None, "--to", help="…and on or before this date."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    markdown: bool = typer.Option(False, "--markdown", help=MD_HELP),
):
    """Lost deals by reason, with counts and amounts."""
    from tuicrm.domain import reports as rep
    from tuicrm.query import reports as queries

    fmt = _format(as_json, markdown)
    start, end = _range(from_, to)
    report = _read(lambda s, store: queries.lost(s, store.config, start=start, end=end))
    if fmt == "json":
        _cli._print_json(rep.lost_to_dict(report))
    elif fmt == "markdown":
        _emit(lost_markdown(report))
    else:
        print_lost(report)


def _lost_head(r) -> str:
    if r.start and r.end:
        span = f"{r.start.isoformat()} – {r.end.isoformat()}"
    elif r.start:
        span = f"since {r.start.isoformat()}"
    elif r.end:
        span = f"to {r.end.isoformat()}"
    else:
        span = "all time"
    return f"Lost deals · {span} · {_plural(r.count, 'deal')} · {_money(r.amount)} {r.currency}"


def print_lost(r) -> None:
    from tuicrm.domain.reports import percent_label, rate

    console = _cli._console()
    top = max((x.count for x in r.reasons), default=0)
    table = _Rows("reason", "deals", "", "amount", "share", right=(1, 3, 4), cut=(0,), title=_lost_head(r))
    for x in r.reasons:
        table.add(
            _cli._text(x.reason),
            str(x.count),
            _bar(x.count, top, 16),
            _money(x.amount),
            percent_label(rate(x.count, r.count)),
        )
    table.print(console)
    if r.by_stage:
        console.print("Lost at stage: " + " · ".join(f"{s} {n}" for s, n in r.by_stage.items()))


def lost_markdown(r) -> list[str]:
    from tuicrm.domain.reports import percent_label, rate

    out = [f"## {_lost_head(r)}", ""]
    out += _md_table(
        ["Reason", "Deals", "Amount", "Share"],
        [
            [_md(x.reason), str(x.count), _money(x.amount), percent_label(rate(x.count, r.count))]
            for x in r.reasons
        ],
        "lrrr",
    )
    if r.by_stage:
        out += ["", "Lost at stage: " + ", ".join(f"{s} {n}" for s, n in r.by_stage.items()) + "."]
    return out
