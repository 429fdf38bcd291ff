"""The complaints screen (key 9): open complaints by deadline (past it marked), then the rest;
``f`` cycles the filter (open, overdue, all); add, handle (a step), resolve."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tuicrm.config import Config
from tuicrm.domain.complaints import severity_label, status_label
from tuicrm.i18n import _
from tuicrm.store import Store
from tuicrm.ui import text as ut
from tuicrm.ui import toasts
from tuicrm.ui.messages import DataChanged, LoadFailed
from tuicrm.ui.shell import mark_read, stale
from tuicrm.ui.widgets.key_footer import KeyFooter
from tuicrm.ui.widgets.paged_list import PagedList

MARK_OVERDUE = "!"
FILTERS = ("open", "overdue", "all")


class ComplaintsLoaded(Message):
    def __init__(self, rows: list[Any], now: datetime) -> None:
        super().__init__()
        self.rows, self.now = rows, now


def filter_label(name: str) -> str:
    return {"open": _("open"), "overdue": _("overdue"), "all": _("all")}.get(name, name)


def complaint_prompt(row: Any, now: datetime) -> Text:
    from tuicrm.domain.leads import time_left_label

    out = Text(end="")
    overdue = row.overdue(now)
    out.append(f"{MARK_OVERDUE if overdue else ' '} {row.code}  ", style="bold" if overdue else "")
    out.append_text(ut.line(row.customer_name, style="bold"))
    out.append("\n   ")
    out.append(f"{severity_label(row.severity)} · {status_label(row.status)}")
    if row.is_open and row.deadline_at is not None:
        out.append(f" · {time_left_label(row.deadline_at, now)}", style="bold" if overdue else "dim")
    out.append(" · ")
    out.append_text(ut.line(row.content, style="dim"))
    return out


class ComplaintsScreen(Screen[None]):
    """Complaints: open ones by deadline first; ``f`` shows open, overdue or all."""

    BINDINGS = [
        Binding("a", "add", _("Add"), id="complaints.add"),
        Binding("h", "handle", _("Handle"), id="complaints.handle", tooltip=_("Log a handling step")),
        Binding("v", "resolve", _("Resolve"), id="complaints.resolve"),
        Binding("f", "filter", _("Filter"), id="complaints.filter", tooltip=_("Open, overdue, all")),
        Binding("r", "refresh", _("Refresh"), id="complaints.refresh"),
    ]
    DEFAULT_CSS = """
    ComplaintsScreen { layout: vertical; }
    ComplaintsScreen #complaints-list { height: 1fr; }
    """

    def __init__(self, store: Store, config: Config) -> None:
        super().__init__()
        self.store, self.config = store, config
        self.rows: list[Any] = []
        self.now: datetime | None = None
        self.filter = "open"

    def compose(self) -> ComposeResult:
        yield Static(Text(_("Complaints · loading…"), style="bold"), id="complaints-title")
        yield PagedList(id="complaints-list")
        yield KeyFooter()

    @property
    def complaints_list(self) -> PagedList:
        return self.query_one("#complaints-list", PagedList)

    def on_screen_resume(self) -> None:
        if stale(self):
            self.reload()

    def on_mount(self) -> None:
        self.complaints_list.focus()

    def on_data_changed(self, message: DataChanged) -> None:
        if stale(self):
            self.reload()

    def reload(self) -> None:
        mark_read(self)
        self._load(self.filter)

    def action_refresh(self) -> None:
        self.reload()

    def action_filter(self) -> None:
        self.filter = FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)]
        self.reload()

    @work(thread=True, exclusive=True, group="complaints")
    def _load(self, which: str) -> None:
        from tuicrm.query.complaints import complaint_list
        from tuicrm.store.lean.clock import utcnow

        worker = get_current_worker()
        now = utcnow()
        try:
            with self.store.reading() as conn:
                rows = complaint_list(
                    conn, open_only=which == "open", overdue_at=now if which == "overdue" else None
                )
        except Exception as exc:  # reported in one line, never swallowed
            self.post_message(
                LoadFailed(_("the complaints"), str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            )
            return
        if not worker.is_cancelled:
            self.post_message(ComplaintsLoaded(rows, now))

    @on(ComplaintsLoaded)
    def _loaded(self, message: ComplaintsLoaded) -> None:
        self.rows, self.now = message.rows, message.now
        now = message.now
        overdue = sum(1 for r in self.rows if r.overdue(now))
        title = Text(_("Complaints · "), style="bold", end="")
        title.append(
            _("[{filter}] {count} shown · {mark} {overdue} past the deadline").format(
                filter=filter_label(self.filter), count=len(self.rows), mark=MARK_OVERDUE, overdue=overdue
            )
        )
        self.query_one("#complaints-title", Static).update(title)
        ol = self.complaints_list
        index = ol.highlighted or 0
        ol.show(self.rows, lambda r: Option(complaint_prompt(r, now), id=r.code), index)
        if self.rows:
            ol.highlighted = min(index, len(self.rows) - 1)

    @property
    def selected(self) -> Any:
        index = self.complaints_list.highlighted if self.is_mounted else None
        if index is None or not 0 <= index < len(self.rows):
            return None
        return self.rows[index]

    def _need_row(self) -> Any:
        row = self.selected
        if row is None:
            self.notify(toasts.pick_first(_("a complaint")), severity="warning", markup=False)
        return row

    def _after(self, result: Any) -> None:
        if result is None:
            return
        data_changed = getattr(self.app, "data_changed", None)
        if data_changed is not None:
            data_changed()
        self.reload()

    def action_add(self) -> None:
        from tuicrm.ui.widgets.complaint_form import ComplaintForm

        self.app.push_screen(ComplaintForm(self.store, self.config), self._after)

    def action_handle(self) -> None:
        from tuicrm.ui.widgets.complaint_form import StepForm

        row = self._need_row()
        if row is not None:
            self.app.push_screen(StepForm(self.store, row), self._after)

    def action_resolve(self) -> None:
        from tuicrm.ui.widgets.complaint_form import ResolveForm

        row = self._need_row()
        if row is not None:
            self.app.push_screen(ResolveForm(self.store, row), self._after)
