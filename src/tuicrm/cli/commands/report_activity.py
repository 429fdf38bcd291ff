"""What the weekly and funnel reports print: a Rich table (``print_*``) or a document (``*_document``).

User text is never parsed as markup (``text()``); the documents (``*_document``) are written as
Markdown or HTML by ``report_document``, which escapes it for each.
"""

from __future__ import annotations

from typing import Any

from tuicrm.cli.commands.report_document import Document
from tuicrm.cli.commands.report_tables import Rows, bar, customers, days, money, more_line
from tuicrm.cli.output import console, text
from tuicrm.i18n import _
from tuicrm.i18n.names import stage_name

# The stale opportunities a document lists (the rest are counted; --json lists all).
STALE_LISTED = 20

# -- weekly -------------------------------------------------------------------------------------


def _channels(r: Any) -> str:
    return " · ".join(f"{ch} {n}" for ch, n in r.follow_ups_by_channel.items()) or _("none")


def _reasons(rows: Any) -> str:
    from tuicrm.i18n.names import display

    return ", ".join(f"{display('lost_reason', x.reason)} {x.count}" for x in rows)


def _overdue_note(r: Any) -> str:
    if r.overdue_is_projection:
        return _("due by Sunday, not done yet")
    return _("still pending at the end of Sunday")


def weekly_lines(r: Any) -> list[tuple[str, str, str]]:
    """(label, figure, detail) rows shared by the table and the Markdown."""
    cur = r.currency
    rows = [
        (_("New customers"), str(r.new_customers), _("tier A: {count}").format(count=r.high_value_new)),
        (
            _("New leads"),
            "—" if r.new_leads is None else str(r.new_leads),
            ""
            if r.high_value_leads is None
            else _("high value (BANT ≥ 8): {count}").format(count=r.high_value_leads),
        ),
        (_("New opportunities"), str(r.new_opportunities), ""),
        (_("Customers followed up"), str(r.customers_followed_up), ""),
        (_("Follow-ups logged"), str(r.follow_ups), _channels(r) if r.follow_ups else ""),
    ]
    rows += [
        (_("Moved into {stage}").format(stage=stage_name(s)), str(n), "") for s, n in r.moved_into.items()
    ]
    won = _("{amount} {currency} from {customers}").format(
        amount=money(r.won_amount), currency=cur, customers=customers(r.won_customers)
    )
    lost = f"{money(r.lost_amount)} {cur}" + (f"; {_reasons(r.lost_reasons)}" if r.lost_reasons else "")
    rows += [
        (_("Won"), str(r.won_count), won),
        (_("Lost"), str(r.lost_count), lost),
        (_("Received this week"), str(r.received_count), f"{money(r.received_amount)} {cur}"),
        (_("Outstanding at week end"), str(r.outstanding_count), f"{money(r.outstanding_amount)} {cur}"),
        (_("Overdue at week end"), str(r.overdue_at_week_end), _overdue_note(r)),
    ]
    kpi = r.activities
    rate = "—" if kpi.completion_rate is None else f"{kpi.completion_rate:.0%}"
    rows.append(
        (
            _("Activities done / planned"),
            f"{kpi.done}/{kpi.planned}",
            _("completion rate {rate}").format(rate=rate),
        )
    )
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


def weekly_document(r: Any) -> Document:
    nxt = r.focus_week
    title = _("Weekly report {week} ({start} – {end})").format(
        week=r.week, start=r.week.start.isoformat(), end=r.week.end.isoformat()
    )
    doc = Document(title)
    doc.table(
        [_("Figure"), _("Count"), _("Detail")],
        [[label, fig, detail] for label, fig, detail in weekly_lines(r)],
        "lrl",
    )
    doc.heading(
        _("Next week's focus ({week}, {start} – {end}): {count} due").format(
            week=nxt, start=nxt.start.isoformat(), end=nxt.end.isoformat(), count=r.focus_total
        )
    )
    if not r.focus:
        doc.para(_("Nothing scheduled yet."))
        return doc
    doc.table(
        [_("Date"), _("Customer"), _("Code"), _("Tier"), _("Next action")],
        [[f.next_on.isoformat(), f.name, f.code, f.tier, f.next_action or ""] for f in r.focus],
    )
    if r.focus_total > len(r.focus):
        doc.para(more_line(r.focus_total - len(r.focus)))
    return doc


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
        table.add(
            stage_name(s.stage), str(s.reached), bar(s.reached, top, 12), money(s.amount), *_stage_cells(r, s)
        )
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
                stage_name(s.stage),
                money(s.amount),
                text(s.customer_name),
                text(s.name),
            )
        table.print(con)
        if len(r.stale) > stale_limit:
            con.print(_("… and {count} more (--json lists all)").format(count=len(r.stale) - stale_limit))


def funnel_document(r: Any) -> Document:
    from tuicrm.domain.reports import percent_label

    doc = Document(_("Funnel: {scope}").format(scope=_funnel_scope(r)))
    doc.table(
        [
            _("Stage"),
            _("Reached"),
            _("Amount"),
            _("Conversion to next"),
            _("Median days"),
            _("Now"),
            _("Lost here"),
        ],
        [[stage_name(s.stage), str(s.reached), money(s.amount), *_stage_cells(r, s)] for s in r.stages],
        "lrrrrrr",
    )
    doc.para(_("Lead → won: {rate}.").format(rate=percent_label(r.overall_conversion)))
    doc.heading(_("Stale opportunities: {count}").format(count=len(r.stale)))
    if r.stale:
        doc.table(
            [_("#"), _("Opportunity"), _("Customer"), _("Stage"), _("Amount"), _("Idle days")],
            [
                [
                    str(s.opportunity_id),
                    s.name,
                    s.customer_name,
                    stage_name(s.stage),
                    money(s.amount),
                    "—" if s.idle_days is None else str(s.idle_days),
                ]
                for s in r.stale[:STALE_LISTED]
            ],
            "rlllrr",
        )
    if len(r.stale) > STALE_LISTED:
        doc.para(more_line(len(r.stale) - STALE_LISTED))
    return doc


# -- leads by source ----------------------------------------------------------------------------


def _leads_head(r: Any) -> str:
    if r.start or r.end:
        span = f"{r.start.isoformat() if r.start else '…'} – {r.end.isoformat() if r.end else '…'}"
        return _("Leads by source, created {span}").format(span=span)
    return _("Leads by source")


def _lead_cells(x: Any) -> list[str]:
    from tuicrm.domain.reports import percent_label

    return [
        str(x.leads),
        str(x.converted),
        percent_label(x.conversion_rate),
        str(x.won),
        percent_label(x.win_rate),
        str(x.answered_in_time),
    ]


def print_leads(r: Any) -> None:
    con = console()
    table = Rows(
        _("source"),
        _("leads"),
        _("converted"),
        _("rate"),
        _("won"),
        _("won rate"),
        _("answered in time"),
        right=(1, 2, 3, 4, 5, 6),
        cut=(0,),
        title=_leads_head(r),
    )
    for x in r.rows:
        table.add(text(x.source), *_lead_cells(x))
    if r.rows:
        table.add(_("total"), *_lead_cells(r.total))
    table.print(con)
    if not r.rows:
        con.print(_("No leads yet."))


def leads_document(r: Any) -> Document:
    doc = Document(_leads_head(r))
    rows = [[x.source, *_lead_cells(x)] for x in r.rows]
    if r.rows:
        rows.append([_("total"), *_lead_cells(r.total)])
    doc.table(
        [_("Source"), _("Leads"), _("Converted"), _("Rate"), _("Won"), _("Won rate"), _("Answered in time")],
        rows,
        "lrrrrrr",
    )
    return doc
