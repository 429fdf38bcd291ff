"""The customer list (key 1) with the overdue panel docked at its side."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from tuicrm.config import Config
from tuicrm.i18n import _, ngettext
from tuicrm.query.connect import today as light_today
from tuicrm.query.filters import CustomerFilter
from tuicrm.ui import text as ut
from tuicrm.ui import toasts
from tuicrm.ui.messages import DataChanged, DataWritten, OpenCustomer, Saved
from tuicrm.ui.shell import mark_read, shell, stale
from tuicrm.ui.widgets.customer_table import (
    MARK_COMPLAINT,
    MARK_OVERDUE,
    MARK_TODAY,
    MARKED,
    SORT_TITLES,
    CustomerTable,
)
from tuicrm.ui.widgets.customer_table.keys import MarksChanged
from tuicrm.ui.widgets.key_footer import KeyFooter
from tuicrm.ui.widgets.overdue_panel import OverdueList, OverduePanel
from tuicrm.ui.widgets.search_hits import SearchHits
from tuicrm.ui.widgets.search_input import SearchInput, placeholder

# The forms (and the store's write functions, SQLModel) load when first used, not before the
# first paint; ``FilterForm`` lives in ``tuicrm.ui.screens.filter_form`` (still importable from here).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from tuicrm.store import Store


def __getattr__(name: str) -> Any:
    if name in ("FilterForm", "DUE_CHOICES"):
        from tuicrm.ui.screens import filter_form

        return getattr(filter_form, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def describe_filter(f: CustomerFilter) -> str:
    from tuicrm.query.saved_filters import describe

    return describe(f, light_today(), ut.clean)


# The overdue panel's width follows the terminal: hidden (with a note) below PANEL_MIN_COLUMNS,
# where the list would keep about ten columns; wider from PANEL_WIDE_COLUMNS on (Chinese names).
PANEL_MIN_COLUMNS = 60
PANEL_WIDE_COLUMNS = 120
PANEL_WIDTH, PANEL_WIDE_WIDTH = 30, 42


class CustomersScreen(Screen[None]):
    """Search, filters, sortable virtual list; the overdue panel on the left."""

    AUTO_FOCUS = "CustomerTable"
    BINDINGS = [
        Binding("n", "new", _("New"), id="list.new", tooltip=_("Add a customer")),
        Binding("e", "edit", _("Edit"), id="list.edit", show=False),
        Binding("l", "log", _("Log"), id="list.log", tooltip=_("Log a follow-up")),
        Binding("s", "snooze", _("Snooze"), id="list.snooze"),
        Binding("x", "archive", _("Archive"), id="list.archive", show=False, tooltip=_("Archive (u undoes)")),
        Binding(
            "t",
            "change('tag')",
            _("Tag"),
            id="list.tag",
            show=False,
            tooltip=_("Add a tag (to the marked rows)"),
        ),
        Binding(
            "a",
            "change('owner')",
            _("Owner"),
            id="list.owner",
            show=False,
            tooltip=_("Assign an owner (to the marked rows)"),
        ),
        Binding(
            "c",
            "change('status')",
            _("Status"),
            id="list.status",
            show=False,
            tooltip=_("Change the status (of the marked rows)"),
        ),
        Binding("f", "filter", _("Filter"), id="list.filter"),
        Binding(
            "v",
            "saved_filters",
            _("Saved filters"),
            id="list.saved_filters",
            show=False,  # the footer at 80 columns keeps Quit; in ? and the filter form
            tooltip=_("Pick a saved filter; then 1-9 recalls one"),
        ),
        # the app's / and u, repeated here (system: not listed twice in help) so the footer shows them
        Binding("slash", "app.search", _("Search"), id="search", system=True),
        Binding("u", "app.undo", _("Undo"), id="undo", system=True),
        Binding(
            "d",
            "due_only",
            _("Due only"),
            id="list.due_only",
            show=False,
            tooltip=_("Show only overdue + due today"),
        ),
        Binding("F", "clear_filters", _("Clear filters"), id="list.clear_filters", show=False),
        Binding(
            "S", "sort", _("Sort column"), id="list.sort", show=False, tooltip=_("Sort by the next column")
        ),
        Binding("r", "reverse", _("Reverse sort"), id="list.reverse", show=False),
    ]

    def __init__(self, store: Store, config: Config) -> None:
        super().__init__(id="customers")
        self.store = store
        self.config = config
        self._open_when_loaded = False
        self._resumed = False
        self._panel_wanted = False  # shown when the terminal has room for it
        self._was_due_on: Any = None  # the follow-up date of the customer being logged (action_log)
        self._warmed = False  # the first screen is in and the rest was started

    def compose(self) -> ComposeResult:
        with Horizontal(id="customers-main"):
            yield OverduePanel(self.store, self.config, id="overdue-panel")
            with Vertical(id="list-area"):
                search = SearchInput(placeholder=placeholder(False), id="search", compact=True)
                yield search
                yield Static(
                    Text(
                        _(
                            "The overdue panel shows from {columns} columns on; d lists what is due now."
                        ).format(columns=PANEL_MIN_COLUMNS)
                    ),
                    id="panel-note",
                )
                yield Static(Text(_("loading…")), id="list-status")
                yield CustomerTable(self.store, on_counted=self._table_counted, id="customer-table")
                yield SearchHits(self.store, search, id="search-hits")
        yield KeyFooter(compact=True)

    # -- parts ------------------------------------------------------------------

    @property
    def table(self) -> CustomerTable:
        return self.query_one(CustomerTable)

    @property
    def panel(self) -> OverduePanel:
        return self.query_one(OverduePanel)

    @property
    def search(self) -> Input:
        return self.query_one("#search", Input)

    def on_mount(self) -> None:
        self.panel.display = False
        # Search as you type: a watcher runs inside the keystroke, before the Input repaints, so
        # the echo, the rows and the count go out in one frame (``Input.Changed`` would arrive
        # after a frame showing only the echo, and the next frame waits for the frame timer).
        self.watch(self.search, "value", self._search_value, init=False)

    def on_screen_resume(self) -> None:
        # The list comes back (a form closed, another screen left): it re-reads if anything was
        # written meanwhile (by this app or another process) or the day turned.
        if stale(self):
            self.reload()

    def reload(self) -> None:
        mark_read(self)
        self.panel.load()
        if self.table.total is None:
            self.table.set_query()  # the first load: the complaint flags follow the first paint
        else:
            self.table.reload()
            self._load_complained()

    @work(thread=True, exclusive=True, group="complained")
    def _load_complained(self) -> None:
        """Which customers have an open complaint (one query): the list flags their names."""
        from tuicrm.query.complaints import customers_with_open

        try:
            with self.store.reading() as conn:
                ids = frozenset(customers_with_open(conn))
        except Exception:
            return  # only a flag: the list's own reads report a database that cannot be read
        # The table is looked up on the UI thread: the app may be closing meanwhile (its widgets
        # gone), and a lookup from this thread then raised in the worker.
        try:
            self.app.call_from_thread(self._show_complained, ids)
        except RuntimeError:  # the app is no longer running: nothing to flag
            pass

    def _show_complained(self, ids: frozenset[int]) -> None:
        for table in self.query(CustomerTable):
            table.set_complained(ids)

    def on_data_changed(self, message: DataChanged) -> None:
        if stale(self):
            self.reload()

    def current(self) -> tuple[int, str] | None:
        """The customer the rep is pointing at: the panel item if the panel has focus, else the row."""
        if isinstance(self.focused, OverdueList) and self.panel.display:
            item = self.panel.selected
            return (item.customer_id, item.name) if item else None
        row = self.table.current_row
        return (row.id, row.name) if row else None

    def show_panel(self, show: bool, focus: bool = True) -> None:
        self._panel_wanted = show
        panel = self.panel
        narrow = 0 < self.size.width < PANEL_MIN_COLUMNS
        show = show and not narrow
        panel.display = show
        self.query_one("#panel-note", Static).display = self._panel_wanted and narrow
        if show and focus:
            panel.list.focus()
        elif not show and isinstance(self.focused, OverdueList):
            self.table.focus()

    def toggle_panel(self) -> bool:
        show = not self._panel_wanted
        self.show_panel(show)
        return show

    def on_resize(self, event: events.Resize) -> None:
        self.panel.styles.width = PANEL_WIDE_WIDTH if event.size.width >= PANEL_WIDE_COLUMNS else PANEL_WIDTH
        self.show_panel(self._panel_wanted, focus=False)

    def focus_search(self) -> None:
        self.search.focus()

    # -- status line ----------------------------------------------------------

    def _update_status(self) -> None:
        t = self.table
        status = Text(end="")
        if t.marks:
            marked = ngettext("{count} marked", "{count} marked", len(t.marks)).format(count=len(t.marks))
            status.append(f"{MARKED} {marked}", style="bold reverse")
            status.append(" · ")
        if t.total is None:
            status.append(_("loading…"))
        else:
            if t.filter != CustomerFilter():
                counted = ngettext("{count} customer matches", "{count} customers match", t.total)
            else:
                counted = ngettext("{count} customer", "{count} customers", t.total)
            status.append(counted.format(count=f"{t.total:,}"), style="bold")
        status.append(f" · {SORT_TITLES.get(t.sort, t.sort).lower()}{'▼' if t.descending else '▲'}")
        described = describe_filter(t.filter)
        if described:
            status.append(" · ")
            status.append(described, style="italic")
        status.append(
            _(" · {mark_overdue} overdue {mark_today} today {mark_complaint} complaint").format(
                mark_overdue=MARK_OVERDUE, mark_today=MARK_TODAY, mark_complaint=MARK_COMPLAINT
            ),
            style="dim",
        )
        for line in self.query("#list-status").results(Static):  # none while the screen is torn down
            line.update(status, layout=False)  # one line, fixed height

    # -- events ------------------------------------------------------------------

    def _maybe_warm_up(self) -> None:
        """Both halves of the first screen are in: load the rest once this frame is out (the
        open-complaint flags of the list, then the app's warm-up)."""
        if self.table.total is not None and self.panel.data is not None and not self._warmed:
            self._warmed = True
            self.call_after_refresh(self._load_complained)
            self.set_timer(0.1, shell(self.app).warm_up)

    def _table_counted(self, total: int) -> None:
        """The table's new count, in the same frame as its rows: the status line follows it."""
        self._update_status()
        self._maybe_warm_up()

    @on(CustomerTable.Counted)
    def _counted(self, message: CustomerTable.Counted) -> None:
        if self._open_when_loaded:
            self._open_when_loaded = False
            row = self.table.current_row
            if row is not None:
                self.table.focus()  # back from the detail, letters are keys again, not search text
                self.app.post_message(OpenCustomer(row.id))

    @on(CustomerTable.SortChanged)
    def _sorted(self) -> None:
        self._update_status()

    @on(MarksChanged)
    def _marks_changed(self) -> None:
        self._update_status()

    @on(CustomerTable.Selected)
    def _row_selected(self, message: CustomerTable.Selected) -> None:
        self.app.post_message(OpenCustomer(message.row.id))

    @on(OverduePanel.Open)
    def _panel_open(self, message: OverduePanel.Open) -> None:
        self.app.post_message(OpenCustomer(message.item.customer_id, log=True, back_after_log=True))

    @on(OverduePanel.Loaded)
    def _panel_loaded(self, message: OverduePanel.Loaded) -> None:
        if message.first_load:
            self._maybe_warm_up()
            wanted = shell(self.app).overdue_wanted(message.count)
            self.show_panel(wanted, focus=wanted and (self.focused is None or self.focused is self.table))

    def _search_value(self, value: str) -> None:
        self._open_when_loaded = False
        self.table.set_text(value)

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        table = self.table
        if table.busy:
            self._open_when_loaded = True
            return
        row = table.current_row
        if row is not None:
            table.focus()  # back from the detail, letters are keys again, not search text
            self.app.post_message(OpenCustomer(row.id))
        elif table.total == 0:
            self.notify(_("No customer matches that search."), markup=False)

    def on_key(self, event: events.Key) -> None:
        if self.focused is self.search and event.key in ("escape", "down"):
            event.stop()
            event.prevent_default()
            self.table.focus()

    # -- actions ------------------------------------------------------------------

    def _need_current(self) -> tuple[int, str] | None:
        current = self.current()
        if current is None:
            self.notify(toasts.pick_first(_("a customer")), severity="warning", markup=False)
        return current

    def action_new(self) -> None:
        def done(result: Saved | None) -> None:
            if result is not None and result.customer_id is not None:
                self.app.post_message(OpenCustomer(result.customer_id))

        from tuicrm.ui.widgets.customer_form import CustomerForm

        self.app.push_screen(CustomerForm(self.store, self.config), done)

    def action_edit(self) -> None:
        current = self._need_current()
        if current:
            from tuicrm.ui.widgets.customer_form import CustomerForm

            self.app.push_screen(CustomerForm(self.store, self.config, current[0]), self._saved)

    def action_log(self) -> None:
        item = self.panel.selected_item if isinstance(self.focused, OverdueList) else None
        if item is not None and item.kind != "follow-up" and item.customer_id is not None:
            # A complaint or a visit of the panel: the follow-up is logged for its customer.
            current: tuple[int, str] | None = (item.customer_id, item.customer)
        else:
            current = self._need_current()
        if current:
            from tuicrm.ui.widgets.kept_log_form import new_log_form

            row = self.table.current_row
            self._was_due_on = row.next_follow_up_on if row is not None and row.id == current[0] else None
            self.app.push_screen(new_log_form(self.app, self.store, self.config, current[0]), self._saved)

    def _marked(self) -> list[tuple[int, str]]:
        """The rows the rep marked (in the list), else none: the keys act on the cursor row."""
        return self.table.marked() if not isinstance(self.focused, OverdueList) else []

    def action_change(self, action: str) -> None:
        """Snooze, tag, owner, status or archive of the marked rows (else the cursor row): one change."""
        targets = self._marked()
        if not targets:
            current = self._need_current()
            if current is None:
                return
            targets = [current]
        from tuicrm.ui.widgets.bulk_actions import start_change

        def finished(_label: str) -> None:
            self.table.action_clear_marks()
            self.reload()

        start_change(self, self.store, self.config, action, targets, finished)

    def action_snooze(self) -> None:
        if self._marked():
            self.action_change("snooze")
            return
        current = self._need_current()
        if current:
            from tuicrm.ui.widgets.snooze import SnoozeForm

            self.app.push_screen(SnoozeForm(self.store, self.config, current[0]), self._saved)

    def _saved(self, result: Saved | None) -> None:
        if result is not None and result.customer_id is not None and "follow_up_id" in result.detail:
            # A logged follow-up leaves the panel now; the re-read (on coming back) follows.
            self.panel.logged(result.customer_id, result.detail.get("next_on"), self._was_due_on)
        if result is not None:
            self.notify(_("Saved: {label}").format(label=result.label), markup=False, timeout=3)

    def action_archive(self) -> None:
        if self._marked():
            self.action_change("archive")
            return
        current = self._need_current()
        if current is None:
            return
        customer_id, name = current
        from tuicrm.store.customers import archive_customer, get_customer
        from tuicrm.store.errors import StoreError
        from tuicrm.ui.background import write_in_background

        def archive() -> None:
            with self.store.write(f"archive customer {ut.clean(name)}") as session:
                archive_customer(session, get_customer(session, customer_id))

        def archived(_result: None) -> None:
            self.notify(toasts.undoable(_("Archived {name}").format(name=ut.clean(name))), markup=False)
            self.app.post_message(DataWritten())

        def refused(exc: StoreError) -> None:
            self.notify(str(exc), severity="error", markup=False)

        write_in_background(self, archive, archived, refused)

    def action_filter(self) -> None:
        def done(result: CustomerFilter | None) -> None:
            if result is not None:
                self.table.set_query(filter=result)
                self._update_status()

        from tuicrm.ui.screens.filter_form import FilterForm

        self.app.push_screen(FilterForm(self.store, self.table.filter, self.config), done)

    def action_saved_filters(self) -> None:
        from tuicrm.query.saved_filters import SavedFilterRow
        from tuicrm.ui.screens.saved_filter_picker import SavedFilterPicker

        def chosen(row: SavedFilterRow | None) -> None:
            if row is not None:
                f = row.customer_filter(light_today()).replace(text=self.table.filter.text)
                self.table.set_query(filter=f)
                self._update_status()
                self.notify(_("Filter: {name}").format(name=ut.clean(row.name)), markup=False, timeout=3)

        self.app.push_screen(SavedFilterPicker(self.store), chosen)

    def action_due_only(self) -> None:
        f = self.table.filter
        due_by = None if f.due_by else light_today()
        self.table.set_query(filter=f.replace(due_by=due_by))
        self._update_status()

    def action_clear_filters(self) -> None:
        self.table.set_query(filter=CustomerFilter(text=self.table.filter.text))
        self._update_status()

    def action_sort(self) -> None:
        self.table.cycle_sort()

    def action_reverse(self) -> None:
        self.table.reverse_sort()
