"""Reports (key 5): the weekly report, funnel, forecast, customer value and lost reasons.

The same figures as ``tuicrm report …`` (docs/reports.md), drawn by ``report_views``, with
won-per-week as a sparkline. Loading runs in a thread worker that posts
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
from textual.widgets import Sparkline, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from tuicrm.clock import today as clock_today
from tuicrm.config import Config
from tuicrm.domain import reports as rep
from tuicrm.i18n import _
from tuicrm.ui.screens.report_views import (  # the views, also reached from here (tests)
    TABS,
    _user,
    focus_view,
    forecast_view,
    funnel_view,
    lost_view,
    tab_title,
    trend_parts,
    value_view,
    weekly_view,
)
from tuicrm.ui.shell import mark_read, stale
from tuicrm.ui.textual_compat import KeptStylesScreen
from tuicrm.ui.widgets.board import ScreenTitle
from tuicrm.ui.widgets.key_footer import KeyFooter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from tuicrm.store import Store


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


class ReportsScreen(KeptStylesScreen):
    """Weekly report, funnel, forecast, value and lost reasons, one tab each.

    Not restyled on resume (``KeptStylesScreen``): its first visit and every later one skip
    Textual's re-application of the stylesheet to all of its widgets."""

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
        self._bodies: dict[str, Static] = {}  # the report widget of each tab whose content is built
        self._shown = False  # shown once: reads start then (built ahead of the visit, it waits)

    def compose(self) -> ComposeResult:
        # Only the weekly tab's content is built for the first frame; every other tab's is mounted
        # when the tab is first shown (``_body``): the first visit lays out and styles less.
        yield ScreenTitle(Content(_("Reports")), id="title")
        with TabbedContent(initial="weekly"):
            with TabPane(_("Weekly"), id="weekly"):
                with VerticalScroll():
                    yield self._new_body("weekly")
                    with Horizontal(id="trend-row"):
                        yield Static(Text(""), id="trend-label")
                        yield Sparkline([], id="won-trend")
                        yield Static(Text(""), id="trend-note")
                    yield Static(Text(""), id="focus-body", classes="report")
            for tab in TABS[1:]:
                yield TabPane(tab_title(tab), id=tab)
        yield KeyFooter()

    def _new_body(self, tab: str) -> Static:
        body = self._bodies[tab] = Static(Text(_("Loading…")), id=f"{tab}-body", classes="report")
        return body

    def _body(self, tab: str) -> Static:
        """The tab's report widget, mounted (showing "Loading…") if the tab has not been shown yet.

        Kept by reference: a widget given to ``mount`` is only queryable once it has mounted."""
        body = self._bodies.get(tab)
        if body is None:
            body = self._new_body(tab)
            self.query_one(f"#{tab}", TabPane).mount(VerticalScroll(body))
        return body

    # --- loading --------------------------------------------------------------------------

    # Each tab's report is read when the tab is first shown (the weekly one at once): reading all
    # five took seconds at 100 000 customers before the screen showed anything. ``_token[tab]``
    # counts the tab's reloads (an older read is dropped); ``_asked``: tabs read or being read.

    def on_screen_resume(self) -> None:
        # Read when first shown, not when mounted: the app builds this screen ahead of its visit.
        self._shown = True
        if (self.data is None and not self._asked) or (self.data is not None and stale(self)):
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
        self._body(tab)
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
        if event.pane.id in TABS and self._shown:  # the first tab's, on mount: read when shown
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
        self._body(tab).update(view(message.report))

    def on_reports_failed(self, message: ReportsFailed) -> None:
        if message.token != self._token.get(message.tab, 0):
            return
        self._asked.discard(message.tab)  # shown again: tried again
        text = Text(_("Could not load the reports: "), style="bold")
        text.append_text(_user(message.error))
        self._body(message.tab).update(text)

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
        self._body("forecast")
        self.query_one(TabbedContent).active = "forecast"
        self.reload(("forecast",))

    def action_tab(self, tab: str) -> None:
        if tab in TABS:
            self._body(tab)  # in the same frame as the tab
            self.query_one(TabbedContent).active = tab
