"""Reports (key 5): the weekly report, funnel, forecast, customer value and lost reasons.

The same figures as ``tuicrm report …`` (docs/reports.md), with bars drawn in block
characters and won-per-week as a sparkline. Bars are always labelled with their
figures, and the two forecast series use different glyphs (█ weighted open, ▒ won),
so nothing depends on colour. Loading runs in a thread worker that posts
``ReportsLoaded``; only the message handler touches widgets. Text from the
database reaches widgets as ``rich.text.Text``, never as markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Sparkline, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from tuicrm.clock import today as clock_today
from tuicrm.config import Config
from tuicrm.domain import reports as rep
from tuicrm.domain.privacy import sanitize_line
from tuicrm.i18n import _, ngettext
from tuicrm.i18n.names import channel_name, display, stage_name
from tuicrm.ui.shell import mark_read, stale
from tuicrm.ui.text import fit, truncate
from tuicrm.ui.widgets.board import ScreenTitle
from tuicrm.ui.widgets.key_footer import KeyFooter

TABS = ("weekly", "funnel", "forecast", "value", "lost")


def tab_title(tab: str) -> str:
    titles = {"weekly": _("Weekly"), "funnel": _("Funnel"), "forecast": _("Forecast"), "value": _("Value")}
    return titles.get(tab) or _("Lost")


BAR_WIDTH = 30
LIST_LIMIT = 8


TYPE_CHECKING = False
if TYPE_CHECKING:
    from tuicrm.store import Store


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


# ---------------------------------------------------------------------------------------------
# Views: report → Text (pure, so tests can look at them without an app)


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


# ---------------------------------------------------------------------------------------------
# The screen


@dataclass(frozen=True)
class ReportData:
    today: date
    weekly: rep.WeeklyReport
    funnel: rep.FunnelReport
    forecast: rep.ForecastReport
    value: rep.ValueReport
    lost: rep.LostReport


@dataclass
class ShownReports:
    """The screen's reports, each read when its tab is first shown (None: not read yet)."""

    today: date
    weekly: rep.WeeklyReport | None = None
    funnel: rep.FunnelReport | None = None
    forecast: rep.ForecastReport | None = None
    value: rep.ValueReport | None = None
    lost: rep.LostReport | None = None


class ReportsLoaded(Message):
    def __init__(self, tab: str, report: Any, today: date, token: int) -> None:
        super().__init__()
        self.tab, self.report, self.today, self.token = tab, report, today, token


class ReportsFailed(Message):
    def __init__(self, tab: str, error: str, token: int) -> None:
        super().__init__()
        self.tab, self.error, self.token = tab, error, token


def load_report(
    store: Store, config: Config, tab: str, week: rep.IsoWeek | None, by: str, today: date
) -> Any:
    """One tab's report (``TABS``), from one read session."""
    from tuicrm.query import reports as queries

    with store.reading() as conn:
        if tab == "weekly":
            return queries.weekly(conn, config, week or rep.week_of(today))
        if tab == "funnel":
            return queries.funnel(conn, config, start=None, end=today, today=today)
        if tab == "forecast":
            return queries.forecast(conn, config, by=by, today=today)
        if tab == "value":
            return queries.value(conn, config, today=today)
        return queries.lost(conn, config)


def load_reports(store: Store, config: Config, week: rep.IsoWeek | None, by: str, today: date) -> ReportData:
    """Every report at once (tests; the screen reads each tab when it is shown)."""
    reports = {tab: load_report(store, config, tab, week, by, today) for tab in TABS}
    return ReportData(today=today, **reports)


class ReportsScreen(Screen[None]):
    """Weekly report, funnel, forecast, value and lost reasons, one tab each."""

    BINDINGS = [
        Binding("left_square_bracket", "week(-1)", _("Prev week"), key_display="[", id="reports.prev_week"),
        Binding("right_square_bracket", "week(1)", _("Next week"), key_display="]", id="reports.next_week"),
        Binding("m", "toggle_by", _("Month/quarter"), id="reports.toggle_by"),
        Binding("r", "refresh", _("Refresh"), id="reports.refresh"),
        Binding("w", "tab('weekly')", _("Weekly"), show=False, id="reports.weekly"),
        Binding("f", "tab('funnel')", _("Funnel"), show=False, id="reports.funnel"),
        Binding("c", "tab('forecast')", _("Forecast"), show=False, id="reports.forecast"),
        Binding("v", "tab('value')", _("Value"), show=False, id="reports.value"),
        Binding("l", "tab('lost')", _("Lost"), show=False, id="reports.lost"),
    ]

    DEFAULT_CSS = """
    ReportsScreen { layout: vertical; }
    ReportsScreen TabbedContent { height: 1fr; }
    ReportsScreen TabPane { height: 1fr; padding: 0 1; }
    ReportsScreen VerticalScroll { height: 1fr; }
    ReportsScreen .report { width: 100%; height: auto; }
    ReportsScreen #trend-row { height: 1; margin: 1 0; }
    ReportsScreen #trend-label { width: auto; }
    ReportsScreen #won-trend { width: 24; }
    ReportsScreen #trend-note { width: 1fr; }
    """

    def __init__(
        self,
        store: Store,
        config: Config,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.store = store
        self.config = config
        self.week: rep.IsoWeek | None = None  # None: the current week
        self.by = "month"
        self.data: ShownReports | None = None
        self._token: dict[str, int] = {}
        self._asked: set[str] = set()

    def compose(self) -> ComposeResult:
        loading = Text(_("Loading…"))
        yield ScreenTitle(Content(_("Reports")), id="title")
        with TabbedContent(initial="weekly"):
            with TabPane(_("Weekly"), id="weekly"):
                with VerticalScroll():
                    yield Static(loading, id="weekly-body", classes="report")
                    with Horizontal(id="trend-row"):
                        yield Static(Text(""), id="trend-label")
                        yield Sparkline([], id="won-trend")
                        yield Static(Text(""), id="trend-note")
                    yield Static(Text(""), id="focus-body", classes="report")
            for tab in TABS[1:]:
                with TabPane(tab_title(tab), id=tab):
                    with VerticalScroll():
                        yield Static(loading, id=f"{tab}-body", classes="report")
        yield KeyFooter()

    # --- loading --------------------------------------------------------------------------

    # Each tab's report is read when the tab is first shown (the weekly one at once): reading all
    # five took seconds at 100 000 customers before the screen showed anything. ``_token[tab]``
    # counts the tab's reloads (an older read is dropped); ``_asked``: tabs read or being read.

    def on_mount(self) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        if self.data is not None and stale(self):
            self.reload()

    @property
    def active_tab(self) -> str:
        active = self.query_one(TabbedContent).active
        return active if active in TABS else TABS[0]

    def reload(self, tabs: tuple[str, ...] = TABS) -> None:
        """Read ``tabs`` again: the shown one now, the others when they are next shown."""
        mark_read(self)
        for tab in tabs:
            self._token[tab] = self._token.get(tab, 0) + 1
            self._asked.discard(tab)
        self._ensure(self.active_tab)

    def _ensure(self, tab: str) -> None:
        if tab in self._asked:
            return
        self._asked.add(tab)
        token, week, by = self._token.get(tab, 0), self.week, self.by
        self.run_worker(
            lambda: self._load(tab, token, week, by),
            thread=True,
            exclusive=True,
            group=f"reports-{tab}",
        )

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id in TABS:
            self._ensure(event.pane.id)

    def _load(self, tab: str, token: int, week: rep.IsoWeek | None, by: str) -> None:
        worker = get_current_worker()
        today = clock_today()
        try:
            report = load_report(self.store, self.config, tab, week, by, today)
        except Exception as exc:  # shown on screen in one sentence; the app keeps running
            if not worker.is_cancelled:
                self.post_message(ReportsFailed(tab, f"{type(exc).__name__}: {exc}", token))
            return
        if not worker.is_cancelled:
            self.post_message(ReportsLoaded(tab, report, today, token))

    def on_reports_loaded(self, message: ReportsLoaded) -> None:
        tab = message.tab
        if message.token != self._token.get(tab, 0):
            return
        if self.data is None:
            self.data = ShownReports(today=message.today)
        self.data.today = message.today
        setattr(self.data, tab, message.report)
        if tab == "weekly":
            weekly = message.report
            self.query_one("#weekly-body", Static).update(weekly_view(weekly))
            label, note = trend_parts(weekly)
            self.query_one("#trend-label", Static).update(label)
            self.query_one("#trend-note", Static).update(note)
            self.query_one("#won-trend", Sparkline).data = [float(t.won_amount) for t in weekly.trend]
            self.query_one("#focus-body", Static).update(focus_view(weekly))
            return
        view: Any = {"funnel": funnel_view, "forecast": forecast_view, "value": value_view}.get(
            tab, lost_view
        )
        self.query_one(f"#{tab}-body", Static).update(view(message.report))

    def on_reports_failed(self, message: ReportsFailed) -> None:
        if message.token != self._token.get(message.tab, 0):
            return
        self._asked.discard(message.tab)  # shown again: tried again
        text = Text(_("Could not load the reports: "), style="bold")
        text.append_text(_user(message.error))
        self.query_one(f"#{message.tab}-body", Static).update(text)

    # --- actions ----------------------------------------------------------------------------

    def action_refresh(self) -> None:
        self.reload()

    def action_week(self, step: int) -> None:
        shown = self.data.weekly if self.data else None
        current = self.week or (shown.week if shown else rep.week_of(clock_today()))
        self.week = current.shift(step)
        self.query_one(TabbedContent).active = "weekly"
        self.reload(("weekly",))

    def action_toggle_by(self) -> None:
        self.by = "quarter" if self.by == "month" else "month"
        self.query_one(TabbedContent).active = "forecast"
        self.reload(("forecast",))

    def action_tab(self, tab: str) -> None:
        if tab in TABS:
            self.query_one(TabbedContent).active = tab
