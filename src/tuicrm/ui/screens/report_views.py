"""The Reports screen's views: each report as ``rich.text.Text`` (pure, so tests can look at
them without an app). Bars are drawn in block characters and always labelled with their figures;
the two forecast series use different glyphs (█ weighted open, ▒ won), so nothing depends on
colour. Database text is literal Text, never markup.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from tuicrm.domain import reports as rep
from tuicrm.domain.privacy import sanitize_line
from tuicrm.i18n import _, ngettext
from tuicrm.i18n.names import channel_name, display, stage_name
from tuicrm.ui.text import fit, truncate

TABS = ("weekly", "funnel", "forecast", "value", "lost")


def tab_title(tab: str) -> str:
    titles = {"weekly": _("Weekly"), "funnel": _("Funnel"), "forecast": _("Forecast"), "value": _("Value")}
    return titles.get(tab) or _("Lost")


BAR_WIDTH = 30
LIST_LIMIT = 8


def _user(value: object | None, width: int | None = None) -> Text:
    """Database text as literal Text (never markup), optionally fitted to ``width`` cells."""
    clean = sanitize_line("" if value is None else str(value))
    return Text(fit(clean, width) if width else clean, end="")


def _money(value: Any) -> str:
    return rep.money_label(value)


def bar(value: float, top: float, width: int = BAR_WIDTH, glyph: str = "█") -> str:
    """``width`` cells at ``top``; eighth blocks for the full-block glyph, whole cells otherwise."""
    if top <= 0 or value <= 0:
        return ""
    if glyph != "█":
        return glyph * max(1, round(value / top * width))
    eighths = max(1, round(value / top * width * 8))
    return "█" * (eighths // 8) + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[eighths % 8]


def _lines(*parts: Text | str) -> Text:
    out = Text(end="")
    for i, part in enumerate(parts):
        if i:
            out.append("\n")
        out.append_text(part if isinstance(part, Text) else Text(part))
    return out


def weekly_view(r: rep.WeeklyReport) -> Text:
    cur = r.currency
    head = Text(
        _("Week {week} · Mon {isoformat} – Sun {isoformat2}").format(
            week=r.week, isoformat=r.week.start.isoformat(), isoformat2=r.week.end.isoformat()
        ),
        style="bold",
    )
    head.append(_("   [ ] other weeks"), style="dim")
    leads = "—" if r.new_leads is None else str(r.new_leads)
    if r.high_value_leads:
        leads += _(" ({count} high)").format(count=r.high_value_leads)
    channels = " · ".join(f"{channel_name(ch)} {n}" for ch, n in r.follow_ups_by_channel.items()) or _(
        "no follow-ups"
    )
    moved = "  ".join(f"{stage_name(s)} {n}" for s, n in r.moved_into.items())
    lost = f"{_money(r.lost_amount)} {cur}"
    if r.lost_reasons:
        lost += " · " + ", ".join(f"{display('lost_reason', x.reason)} {x.count}" for x in r.lost_reasons[:3])
    note = _("due by Sunday, not done yet") if r.overdue_is_projection else _("pending at the end of Sunday")
    rows: list[Text | str] = [
        _(
            "New customers       {new_customers:>5}  tier A {high_value_new} · new opportunities {new_opportunities} · leads {leads}"
        ).format(
            new_customers=r.new_customers,
            high_value_new=r.high_value_new,
            new_opportunities=r.new_opportunities,
            leads=leads,
        ),
        _("Customers followed  {customers_followed_up:>5}  {plural}").format(
            customers_followed_up=r.customers_followed_up,
            plural=ngettext("{n} follow-up", "{n} follow-ups", r.follow_ups).format(n=r.follow_ups),
        ),
        _("  by channel        {truncate}").format(truncate=truncate(channels, 56)),
        _("Moved into          {value:>5}  {moved}").format(value="", moved=moved),
        _("Won                 {won_count:>5}  {money} {cur} from {plural}").format(
            won_count=r.won_count,
            money=_money(r.won_amount),
            cur=cur,
            plural=ngettext("{n} customer", "{n} customers", r.won_customers).format(n=r.won_customers),
        ),
        Text(_("Lost                {lost_count:>5}  ").format(lost_count=r.lost_count)).append_text(
            _user(lost)
        ),
        _("Received this week  {count:>5}  {money} {cur} · outstanding {left} {cur} on {open} open").format(
            count=r.received_count,
            money=_money(r.received_amount),
            cur=cur,
            left=_money(r.outstanding_amount),
            open=r.outstanding_count,
        ),
        _("Overdue at week end {overdue_at_week_end:>5}  {note}").format(
            overdue_at_week_end=r.overdue_at_week_end, note=note
        ),
    ]
    return _lines(head, *rows)


def trend_parts(r: rep.WeeklyReport) -> tuple[Text, Text]:
    """The label before and the figures after the won-per-week sparkline."""
    if not r.trend:
        return Text(""), Text("")
    top = max(r.trend, key=lambda t: t.won_amount)
    first, last = r.trend[0].week, r.trend[-1].week
    label = Text(_("Won per week {first}…W{week:02d} ").format(first=first, week=last.week))
    note = Text(
        _(" max {money} (W{week:02d})").format(money=_money(top.won_amount), week=top.week.week)
        if top.won_amount
        else _(" none won")
    )
    return label, note


def focus_view(r: rep.WeeklyReport, limit: int = LIST_LIMIT) -> Text:
    nxt = r.focus_week
    head = Text(
        _("Next week's focus · {nxt} ({start:%m-%d} – {end:%m-%d}) · {focus_total} due").format(
            nxt=nxt, start=nxt.start, end=nxt.end, focus_total=r.focus_total
        ),
        style="bold",
    )
    if r.focus_total > min(limit, len(r.focus)):
        head.append(_(", first {min} by tier").format(min=min(limit, len(r.focus))), style="bold")
    rows: list[Text | str] = [head]
    if not r.focus:
        rows.append(_("  nothing scheduled yet"))
    for f in r.focus[:limit]:
        line = Text(f"  {f.next_on:%m-%d}  {f.tier}  {f.code}  ")
        line.append_text(_user(f.name, 28))
        line.append("  ")
        line.append_text(_user(f.next_action or "", 22))
        rows.append(line)
    return _lines(*rows)


def funnel_view(r: rep.FunnelReport, stale_limit: int = 5) -> Text:
    since = f"{r.start.isoformat()} – {r.end.isoformat()}" if r.start else f"to {r.end.isoformat()}"
    head = Text(
        _("Funnel · {opportunities} opportunities created {since} · {money} {currency}").format(
            opportunities=r.opportunities, since=since, money=_money(r.amount), currency=r.currency
        ),
        style="bold",
    )
    top = max((s.reached for s in r.stages), default=0)
    rows: list[Text | str] = [
        head,
        Text(
            _("{stage:<12}{reached:<{width}}→ next    median days").format(
                stage=_("stage"), reached=_("reached"), width=BAR_WIDTH + 7
            ),
            style="dim",
        ),
    ]
    for s in r.stages:
        conv = f"→ {rep.percent_label(s.conversion):>7}" if s.next_stage else " " * 9
        days = f"{s.median_days:>6.1f} d" if s.median_days is not None else ""
        rows.append(
            f"{fit(stage_name(s.stage), 12)}{fit(bar(s.reached, top), BAR_WIDTH)}{s.reached:>6} {conv} {days}"
        )
    lost_n, lost_amt = r.current("lost")
    now = " · ".join(f"{stage_name(s.stage)} {s.now}" for s in r.stages if s.stage != "won")
    rows.append(
        _("lead → won {percent_label} · lost {lost_n} ({money})").format(
            percent_label=rep.percent_label(r.overall_conversion), lost_n=lost_n, money=_money(lost_amt)
        )
    )
    rows.append(_("Open now: {now}").format(now=now))
    rows.append(
        Text(
            _("Stale: {plural} idle too long").format(
                plural=ngettext("{n} open opportunity", "{n} open opportunities", len(r.stale)).format(
                    n=len(r.stale)
                )
            ),
            style="bold",
        )
    )
    for item in r.stale[:stale_limit]:
        line = Text(
            _("  #{opportunity_id:<5} {value:>4}d  {stage:<11} {money:>10}  ").format(
                opportunity_id=item.opportunity_id,
                value=item.idle_days or 0,
                stage=item.stage,
                money=_money(item.amount),
            )
        )
        line.append_text(_user(item.customer_name, 18))
        line.append(" · ")
        line.append_text(_user(item.name, 14))
        rows.append(line)
    if len(r.stale) > stale_limit:
        rows.append(_("  … and {value} more (tuicrm report funnel)").format(value=len(r.stale) - stale_limit))
    return _lines(*rows)


def period_word(by: str) -> str:
    """``month`` / ``quarter`` in the rep's words."""
    return {"month": _("month"), "quarter": _("quarter")}.get(by, by)


def forecast_view(r: rep.ForecastReport, past: int = 3) -> Text:
    """Current and future periods (and the last few past ones), weighted open pipeline against won."""
    head = Text(
        _("Forecast by {by} · {currency} · █ weighted open pipeline  ▒ won").format(
            by=period_word(r.by), currency=r.currency
        ),
        style="bold",
    )
    dated = [p for p in r.periods if p.when != "none"]
    past_rows = [p for p in dated if p.when == "past"][-past:] if past else []
    shown = past_rows + [p for p in dated if p.when != "past"] + [p for p in r.periods if p.when == "none"]
    top = float(max([p.weighted for p in shown] + [p.won_amount for p in shown] + [0]))
    width = 24
    rows: list[Text | str] = [
        head,
        Text(
            f"{fit(period_word(r.by), 10)}{'':<{width}} {_('weighted'):>12} {_('won'):>12} {_('open'):>5}",
            style="dim",
        ),
    ]
    for p in shown:
        mark = "•" if p.when == "current" else " "  # the current period: today's marker
        bars = fit(bar(float(p.weighted), top, width) or "", width)
        rows.append(
            f"{p.period:<8}{mark} {bars} {_money(p.weighted):>12} {_money(p.won_amount):>12} "
            f"{p.open_count:>5}"
        )
        won_bar = bar(float(p.won_amount), top, width, "▒")
        if won_bar:
            rows.append(f"{'':<10}{fit(won_bar, width)}")
    rows.append(
        _("Total open {total} · {money} · weighted {money2}").format(
            total=r.total("open_count"),
            money=_money(r.total("open_amount")),
            money2=_money(r.total("weighted")),
        )
    )
    rows.append(
        _("Won this year to date: {plural} · {money} {currency}  (* current {by})").format(
            plural=ngettext("{n} deal", "{n} deals", r.won_ytd_count).format(n=r.won_ytd_count),
            money=_money(r.won_ytd_amount),
            currency=r.currency,
            by=period_word(r.by),
        )
    )
    for other in r.others:  # one line per other currency, never converted (issue #15)
        rows.append(
            _("{currency}: open {total} · {money} · weighted {money2} · won {money3}").format(
                currency=other.currency,
                total=other.total("open_count"),
                money=_money(other.total("open_amount")),
                money2=_money(other.total("weighted")),
                money3=_money(other.total("won_amount")),
            )
        )
    return _lines(*rows)


def value_view(r: rep.ValueReport, limit: int = LIST_LIMIT) -> Text:
    head = Text(
        _("Value · revenue {money} {currency} · {len} customers with revenue, {no_revenue} without").format(
            money=_money(r.revenue_total), currency=r.currency, len=len(r.rows), no_revenue=r.no_revenue
        ),
        style="bold",
    )
    a, b = int(r.config.abc_a_share * 100), int(r.config.abc_b_share * 100)
    what = {"A": _("top {a} %").format(a=a), "B": _("next {b} %").format(b=b), "C": _("the rest")}
    bases = r.bases()
    rows: list[Text | str] = [
        head,
        _("Revenue is payments received for {received}, won deals for {won}.").format(
            received=bases["received"], won=bases["won"]
        ),
    ]
    for k, (n, amt) in r.summary().items():
        share = float(amt / r.revenue_total) if r.revenue_total else 0.0
        rows.append(
            f"{k} {what[k]:<10}{fit(bar(share, 1.0, 24), 24)} {n:>5} {ngettext('customer ', 'customers', n)}"
            " "
            f"{_money(amt):>14} {share * 100:5.1f} %"
        )
    rows.append(
        Text(
            _("Review tier: {len} whose tier disagrees with their value").format(len=len(r.review)),
            style="bold",
        )
    )
    for x in r.review[:limit]:
        line = Text(
            _("  {code}  tier {tier} → value {abc}  {suggestion:<6}  RFM {rfm}  ").format(
                code=x.row.code, tier=x.row.tier, abc=x.row.abc, suggestion=x.suggestion, rfm=x.row.rfm
            )
        )
        line.append_text(_user(x.row.name, 26))
        rows.append(line)
    if len(r.review) > limit:
        rows.append(_("  … and {value} more (tuicrm report value)").format(value=len(r.review) - limit))
    return _lines(*rows)


def lost_view(r: rep.LostReport) -> Text:
    head = Text(
        _("Lost deals · {count} · {money} {currency}").format(
            count=r.count, money=_money(r.amount), currency=r.currency
        ),
        style="bold",
    )
    top = max((x.count for x in r.reasons), default=0)
    rows: list[Text | str] = [head]
    if not r.reasons:
        rows.append(_("  no lost deals"))
    for x in r.reasons:
        line = _user(x.reason, 22)
        line.append(
            f" {fit(bar(x.count, top, 18), 18)} {x.count:>4} {_money(x.amount):>14} "
            f"{rep.percent_label(rep.rate(x.count, r.count)):>8}"
        )
        rows.append(line)
    if r.by_stage:
        rows.append(_("Lost at stage: ") + " · ".join(f"{s} {n}" for s, n in r.by_stage.items()))
    return _lines(*rows)
