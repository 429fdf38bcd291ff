"""What the reports print: a Rich table (``print_*``) or Markdown (``*_markdown``) per report.

User text is never parsed as markup (``text()``) and is escaped in Markdown (``md()``).
"""

from __future__ import annotations

from typing import Any

from tuicrm.cli.commands.report_tables import Rows, bar, days, md, md_table, money
from tuicrm.cli.output import console, text
from tuicrm.i18n import _, ngettext


def _customers(n: int) -> str:
    return ngettext("{n} customer", "{n} customers", n).format(n=n)


def _deals(n: int) -> str:
    return ngettext("{n} deal", "{n} deals", n).format(n=n)


def _more(n: int) -> str:
    return _("… and {count} more").format(count=n)


# -- weekly -------------------------------------------------------------------------------------


def _channels(r: Any) -> str:
    return " · ".join(f"{ch} {n}" for ch, n in r.follow_ups_by_channel.items()) or _("none")


def _reasons(rows: Any) -> str:
    return ", ".join(f"{x.reason} {x.count}" for x in rows)


def _overdue_note(r: Any) -> str:
    if r.overdue_is_projection:
        return _("due by Sunday, not done yet")
    return _("still pending at the end of Sunday")


def weekly_lines(r: Any) -> list[tuple[str, str, str]]:
    """(label, figure, detail) rows shared by the table and the Markdown."""
    cur = r.currency
    rows = [
        (_("New customers"), str(r.new_customers), _("tier A: {count}").format(count=r.high_value_new)),
        (_("New leads"), "—" if r.new_leads is None else str(r.new_leads), ""),
        (_("New opportunities"), str(r.new_opportunities), ""),
        (_("Customers followed up"), str(r.customers_followed_up), ""),
        (_("Follow-ups logged"), str(r.follow_ups), _channels(r) if r.follow_ups else ""),
    ]
    rows += [(_("Moved into {stage}").format(stage=s), str(n), "") for s, n in r.moved_into.items()]
    won = _("{amount} {currency} from {customers}").format(
        amount=money(r.won_amount), currency=cur, customers=_customers(r.won_customers)
    )
    lost = f"{money(r.lost_amount)} {cur}" + (f"; {_reasons(r.lost_reasons)}" if r.lost_reasons else "")
    rows += [
        (_("Won"), str(r.won_count), won),
        (_("Lost"), str(r.lost_count), lost),
        (_("Overdue at week end"), str(r.overdue_at_week_end), _overdue_note(r)),
    ]
    return rows


def print_weekly(r: Any) -> None:
    from rich.text import Text

    con = console()
    title = _("Weekly report {week} · {start} – {end}").format(
        week=r.week, start=r.week.start.isoformat(), end=r.week.end.isoformat()
    )
    table = Rows("", "", "", right=(1,), wrap=(2,), title=title, bold_first=True)
    for label, figure, detail in weekly_lines(r):
        table.add(label, figure, text(detail))
    table.print(con)
    nxt = r.focus_week
    head = "\n" + _("Next week's focus · {week} ({start} – {end}) · {count} due").format(
        week=nxt, start=f"{nxt.start:%m-%d}", end=f"{nxt.end:%m-%d}", count=r.focus_total
    )
    if r.focus_total > len(r.focus):
        head += _(", first {count} by tier").format(count=len(r.focus))
    con.print(Text(head, style="bold"))
    if not r.focus:
        con.print(_("  nothing scheduled yet"))
        return
    focus = Rows(_("date"), _("code"), _("tier"), _("customer"), _("next action"), cut=(3, 4))
    for f in r.focus:
        focus.add(f.next_on.isoformat(), f.code, f.tier, text(f.name), text(f.next_action or ""))
    focus.print(con)


def weekly_markdown(r: Any) -> list[str]:
    nxt = r.focus_week
    title = _("Weekly report {week} ({start} – {end})").format(
        week=r.week, start=r.week.start.isoformat(), end=r.week.end.isoformat()
    )
    out = [f"## {title}", ""]
    out += md_table(
        [_("Figure"), _("Count"), _("Detail")],
        [[label, fig, md(detail)] for label, fig, detail in weekly_lines(r)],
        "lrl",
    )
    focus = _("Next week's focus ({week}, {start} – {end}): {count} due").format(
        week=nxt, start=nxt.start.isoformat(), end=nxt.end.isoformat(), count=r.focus_total
    )
    out += ["", f"### {focus}", ""]
    if not r.focus:
        out.append(_("Nothing scheduled yet."))
    for f in r.focus:
        action = f" — {md(f.next_action)}" if f.next_action else ""
        line = _("{date} **{name}** ({code}, tier {tier}){action}").format(
            date=f.next_on.isoformat(), name=md(f.name), code=f.code, tier=f.tier, action=action
        )
        out.append(f"- {line}")
    if r.focus_total > len(r.focus):
        out.append(f"- {_more(r.focus_total - len(r.focus))}")
    return out


# -- funnel -------------------------------------------------------------------------------------


def _funnel_scope(r: Any) -> str:
    if r.start:
        since = _("created {start} – {end}").format(start=r.start.isoformat(), end=r.end.isoformat())
    else:
        since = _("created to {end}").format(end=r.end.isoformat())
    return _("{count} opportunities {since}, {amount} {currency}").format(
        count=r.opportunities, since=since, amount=money(r.amount), currency=r.currency
    )


def _stage_cells(r: Any, s: Any) -> list[str]:
    """Conversion to the next stage, median days, now, lost here: shared by table and Markdown."""
    from tuicrm.domain.reports import percent_label

    return [
        percent_label(s.conversion) if s.next_stage else "",
        days(s.median_days) if s.stage != "won" else "",
        str(s.now),
        str(s.lost_here) if s.stage != "won" else "",
    ]


def print_funnel(r: Any, stale_limit: int = 10) -> None:
    from rich.text import Text

    from tuicrm.domain.reports import percent_label

    con = console()
    top = max((s.reached for s in r.stages), default=0)
    table = Rows(
        _("stage"),
        _("reached"),
        "",
        _("amount"),
        _("→ next"),
        _("days"),
        _("now"),
        _("lost"),
        right=(1, 3, 4, 5, 6, 7),
        title=_("Funnel · {scope}").format(scope=_funnel_scope(r)),
    )
    for s in r.stages:
        table.add(s.stage, str(s.reached), bar(s.reached, top, 12), money(s.amount), *_stage_cells(r, s))
    table.print(con)
    lost_n, lost_amt = r.current("lost")
    con.print(
        _("lead → won {rate} · lost {count} ({amount}) · days = median days in the stage").format(
            rate=percent_label(r.overall_conversion), count=lost_n, amount=money(lost_amt)
        )
    )
    con.print(Text("\n" + _("Stale opportunities: {count}").format(count=len(r.stale)), style="bold"))
    if r.stale:
        table = Rows(
            _("#"),
            _("idle"),
            _("stage"),
            _("amount"),
            _("customer"),
            _("opportunity"),
            right=(0, 1, 3),
            cut=(4, 5),
        )
        for s in r.stale[:stale_limit]:
            table.add(
                str(s.opportunity_id),
                _("{days}d").format(days=s.idle_days) if s.idle_days is not None else "—",
                s.stage,
                money(s.amount),
                text(s.customer_name),
                text(s.name),
            )
        table.print(con)
        if len(r.stale) > stale_limit:
            con.print(_("… and {count} more (--json lists all)").format(count=len(r.stale) - stale_limit))


def funnel_markdown(r: Any) -> list[str]:
    from tuicrm.domain.reports import percent_label

    out = ["## " + _("Funnel: {scope}").format(scope=_funnel_scope(r)), ""]
    out += md_table(
        [
            _("Stage"),
            _("Reached"),
            _("Amount"),
            _("Conversion to next"),
            _("Median days"),
            _("Now"),
            _("Lost here"),
        ],
        [[s.stage, str(s.reached), money(s.amount), *_stage_cells(r, s)] for s in r.stages],
        "lrrrrrr",
    )
    out += [
        "",
        _("Lead → won: {rate}.").format(rate=percent_label(r.overall_conversion)),
        "",
        "### " + _("Stale opportunities: {count}").format(count=len(r.stale)),
        "",
    ]
    for s in r.stale[:20]:
        line = _("#{id} {name} ({customer}), {stage}, {amount}, idle {days} days").format(
            id=s.opportunity_id,
            name=md(s.name),
            customer=md(s.customer_name),
            stage=s.stage,
            amount=money(s.amount),
            days=s.idle_days,
        )
        out.append(f"- {line}")
    if len(r.stale) > 20:
        out.append(f"- {_more(len(r.stale) - 20)}")
    return out


# -- forecast -----------------------------------------------------------------------------------


def _forecast_rows(r: Any) -> list[list[str]]:
    rows = [
        [
            p.period + (" *" if p.when == "current" else ""),
            str(p.open_count),
            money(p.open_amount),
            money(p.weighted),
            str(p.won_count),
            money(p.won_amount),
        ]
        for p in r.periods
    ]
    rows.append(
        [
            _("total"),
            str(r.total("open_count")),
            money(r.total("open_amount")),
            money(r.total("weighted")),
            str(r.total("won_count")),
            money(r.total("won_amount")),
        ]
    )
    return rows


def _period_label(by: str) -> str:
    return {"month": _("month"), "quarter": _("quarter")}.get(by, by)


def _won_ytd(r: Any) -> str:
    return _("* current {period}. Won this year to date: {deals}, {amount} {currency}.").format(
        period=_period_label(r.by),
        deals=_deals(r.won_ytd_count),
        amount=money(r.won_ytd_amount),
        currency=r.currency,
    )


def print_forecast(r: Any) -> None:
    con = console()
    table = Rows(
        _period_label(r.by),
        _("open"),
        _("open amount"),
        _("weighted"),
        _("won"),
        _("won amount"),
        right=(1, 2, 3, 4, 5),
        title=_("Forecast by {period} · {currency} · today {today}").format(
            period=_period_label(r.by), currency=r.currency, today=r.today.isoformat()
        ),
    )
    rows = _forecast_rows(r)
    for i, row in enumerate(rows):
        table.add(*row, end_section=(i == len(rows) - 2))
    table.print(con)
    con.print(_won_ytd(r))


def forecast_markdown(r: Any) -> list[str]:
    title = _("Forecast by {period} ({currency}, {today})").format(
        period=_period_label(r.by), currency=r.currency, today=r.today.isoformat()
    )
    out = [f"## {title}", ""]
    out += md_table(
        [
            _period_label(r.by).capitalize(),
            _("Open"),
            _("Open amount"),
            _("Weighted"),
            _("Won"),
            _("Won amount"),
        ],
        [[c.replace("*", "\\*") for c in row] for row in _forecast_rows(r)],
        "lrrrrr",
    )
    out += ["", "\\" + _won_ytd(r)]
    return out


# -- value --------------------------------------------------------------------------------------


def _value_head(r: Any) -> str:
    return _("Value · revenue {amount} {currency} · {customers} with revenue, {without} without").format(
        amount=money(r.revenue_total),
        currency=r.currency,
        customers=_customers(len(r.rows)),
        without=r.no_revenue,
    )


def _class_rows(r: Any) -> list[list[str]]:
    from tuicrm.domain.reports import percent_label

    a = int(r.config.abc_a_share * 100)
    b = int(r.config.abc_b_share * 100)
    what = {
        "A": _("top {share} % of revenue").format(share=a),
        "B": _("next {share} %").format(share=b),
        "C": _("the rest"),
    }
    return [
        [
            k,
            what[k],
            str(n),
            money(amt),
            percent_label(float(amt / r.revenue_total) if r.revenue_total else None),
        ]
        for k, (n, amt) in r.summary().items()
    ]


def print_value(r: Any, limit: int = 15) -> None:
    con = console()
    table = Rows(
        _("class"), "", _("customers"), _("revenue"), _("share"), right=(2, 3, 4), title=_value_head(r)
    )
    for row in _class_rows(r):
        table.add(*row)
    table.print(con)
    if r.rows and limit:
        con.print()
        table = Rows(
            _("code"),
            _("customer"),
            _("tier"),
            _("abc"),
            _("revenue"),
            _("cum."),
            _("RFM"),
            right=(4, 5),
            cut=(1,),
            title=_("Top {count} by revenue (RFM: recency, frequency, monetary 1-5)").format(
                count=min(limit, len(r.rows))
            ),
        )
        for x in r.rows[:limit]:
            table.add(
                x.code,
                text(x.name),
                x.tier,
                x.abc,
                money(x.revenue),
                f"{x.cumulative_share * 100:.0f}%",
                x.rfm,
            )
        table.print(con)
    con.print()
    if not r.review:
        con.print(_("Review tier: none, every tier agrees with its value class."))
        return
    table = Rows(
        _("code"),
        _("customer"),
        _("tier"),
        _("value"),
        _("suggest"),
        cut=(1,),
        title=_("Review tier: {customers} whose tier disagrees with their value").format(
            customers=_customers(len(r.review))
        ),
    )
    for x in r.review[: limit or len(r.review)]:
        table.add(x.row.code, text(x.row.name), x.row.tier, x.row.abc, x.suggestion)
    table.print(con)
    if limit and len(r.review) > limit:
        con.print(_("… and {count} more (--json lists all)").format(count=len(r.review) - limit))


def value_markdown(r: Any, limit: int = 15) -> list[str]:
    out = [f"## {_value_head(r)}", ""]
    out += md_table([_("Class"), "", _("Customers"), _("Revenue"), _("Share")], _class_rows(r), "llrrr")
    if r.rows and limit:
        out += ["", "### " + _("Top customers by revenue"), ""]
        out += md_table(
            [_("Code"), _("Customer"), _("Tier"), _("ABC"), _("Revenue"), _("Cumulative"), _("RFM")],
            [
                [
                    x.code,
                    md(x.name),
                    x.tier,
                    x.abc,
                    money(x.revenue),
                    f"{x.cumulative_share * 100:.0f} %",
                    x.rfm,
                ]
                for x in r.rows[:limit]
            ],
            "lllllrrl",
        )
    out += ["", "### " + _("Review tier: {count}").format(count=len(r.review)), ""]
    for x in r.review[: limit or len(r.review)]:
        out.append(f"- **{md(x.row.name)}** ({x.row.code}): {md(x.reason)} ({x.suggestion})")
    if limit and len(r.review) > limit:
        out.append(f"- {_more(len(r.review) - limit)}")
    return out


# -- lost ---------------------------------------------------------------------------------------


def _lost_head(r: Any) -> str:
    if r.start and r.end:
        span = f"{r.start.isoformat()} – {r.end.isoformat()}"
    elif r.start:
        span = _("since {date}").format(date=r.start.isoformat())
    elif r.end:
        span = _("to {date}").format(date=r.end.isoformat())
    else:
        span = _("all time")
    return _("Lost deals · {span} · {deals} · {amount} {currency}").format(
        span=span, deals=_deals(r.count), amount=money(r.amount), currency=r.currency
    )


def _by_stage(r: Any, sep: str) -> str:
    return _("Lost at stage: {stages}").format(stages=sep.join(f"{s} {n}" for s, n in r.by_stage.items()))


def print_lost(r: Any) -> None:
    from tuicrm.domain.reports import percent_label, rate

    con = console()
    top = max((x.count for x in r.reasons), default=0)
    table = Rows(
        _("reason"), _("deals"), "", _("amount"), _("share"), right=(1, 3, 4), cut=(0,), title=_lost_head(r)
    )
    for x in r.reasons:
        table.add(
            text(x.reason),
            str(x.count),
            bar(x.count, top, 16),
            money(x.amount),
            percent_label(rate(x.count, r.count)),
        )
    table.print(con)
    if r.by_stage:
        con.print(_by_stage(r, " · "))


def lost_markdown(r: Any) -> list[str]:
    from tuicrm.domain.reports import percent_label, rate

    out = [f"## {_lost_head(r)}", ""]
    out += md_table(
        [_("Reason"), _("Deals"), _("Amount"), _("Share")],
        [
            [md(x.reason), str(x.count), money(x.amount), percent_label(rate(x.count, r.count))]
            for x in r.reasons
        ],
        "lrrr",
    )
    if r.by_stage:
        out += ["", _by_stage(r, ", ") + "."]
    return out
