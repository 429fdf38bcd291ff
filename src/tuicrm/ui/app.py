"""The Textual app. ``make_app(store, config)`` builds it — the CLI, Pilot tests and snapshot
tests all use it; there is no module-level engine or config.

Screens 2/3/4 (timeline, tier board, pipeline) are imported lazily when their key is pressed, so a
screen that is missing or broken never stops the rest of the app.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import date
from importlib import import_module
from typing import Any

from rich.text import Text
from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.command import Provider
from textual.worker import WorkerState

from tuicrm.config import Config
from tuicrm.i18n import _
from tuicrm.query.connect import today as light_today
from tuicrm.store.deferred import DeferredStore
from tuicrm.ui import text as ut
from tuicrm.ui.idle_gc import IDLE_SECONDS, IdleCollector
from tuicrm.ui.messages import DataChanged, DataWritten, LoadFailed, OpenCustomer
from tuicrm.ui.screens.customers import CustomersScreen
from tuicrm.ui.textual_compat import CrashWithoutLocals, NothingBelowOpaque, ShownAtOnceModes, styled_as_built

# Only the first screen is imported before the first paint. The store (SQLModel), the other
# screens, forms and the command palette load on first use, or in the background right after
# the first paint (``warm_up``), so the rep does not wait for them either way.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from tuicrm.store import Store

WARM_UP_MODULES = (
    "tuicrm.ui.screens.customer_detail",
    "tuicrm.ui.screens.help",
    "tuicrm.ui.widgets.confirm",
    "tuicrm.ui.commands",
    "tuicrm.store.undo",
    "tuicrm.ui.widgets.customer_form",
    "tuicrm.ui.widgets.followup_form",
    "tuicrm.ui.widgets.snooze",
)


def _crm_commands() -> type[Provider]:
    from tuicrm.ui.commands import CrmCommands

    return CrmCommands


CUSTOMERS_MODE = "customers"
# Composed after the start-up, before their first visit: their first frames were the slowest
# (the boards' six and four columns of lists, the reports' tabs: 20-30 ms of compose and styling
# each at 120x40). They read their data when first shown.
AHEAD_MODES = ("pipeline", "tiers", "reports")
LAZY_SCREENS = {
    "timeline": ("tuicrm.ui.screens.timeline", "TimelineScreen", _("The timeline")),
    "tiers": ("tuicrm.ui.screens.tiers", "TierBoardScreen", _("The tier board")),
    "pipeline": ("tuicrm.ui.screens.pipeline", "PipelineScreen", _("The pipeline")),
    "reports": ("tuicrm.ui.screens.reports", "ReportsScreen", _("The reports")),
    "agenda": ("tuicrm.ui.screens.agenda", "AgendaScreen", _("The agenda")),
    "leads": ("tuicrm.ui.screens.leads", "LeadsScreen", _("The leads")),
    "complaints": ("tuicrm.ui.screens.complaints", "ComplaintsScreen", _("The complaints")),
    "receivables": ("tuicrm.ui.screens.receivables", "ReceivablesScreen", _("The receivables")),
}


_WORKING = (WorkerState.PENDING, WorkerState.RUNNING)
_GC_FROZEN = False  # gc.freeze() done (see _warm_up_worker)


# How often the TUI looks for other processes' commits (one PRAGMA: no measurable idle CPU).
WATCH_INTERVAL = 1.0


class TuiCrmApp(ShownAtOnceModes, NothingBelowOpaque, CrashWithoutLocals):
    """The app. A crash prints its traceback without local variables (``CrashWithoutLocals``)."""

    CSS_PATH = "app.tcss"
    TITLE = "tuicrm"
    DEFAULT_MODE = CUSTOMERS_MODE
    # Every write is already committed or rolled back, so one plain line says the data is safe.
    crash_note = _("tuicrm stopped on an unexpected error; every saved change is in the database.")
    COMMANDS = App.COMMANDS | {_crm_commands}
    # Binding descriptions (here and on every screen) are translated at import, when the class is
    # made: the language is the one read on first use of tuicrm.i18n (English catalogue for now).
    BINDINGS = [
        Binding("1", "show_customers", _("Customers"), id="screen.customers", show=False),
        Binding("2", "show_timeline", _("Timeline"), id="screen.timeline", show=False),
        Binding("3", "show_tiers", _("Tier board"), id="screen.tiers", show=False),
        Binding("4", "show_pipeline", _("Pipeline"), id="screen.pipeline", show=False),
        Binding("5", "show_reports", _("Reports"), id="screen.reports", show=False),
        Binding("6", "show_agenda", _("Agenda"), id="screen.agenda", show=False),
        Binding("7", "show_leads", _("Leads"), id="screen.leads", show=False),
        Binding("8", "show_receivables", _("Receivables"), id="screen.receivables", show=False),
        Binding("9", "show_complaints", _("Complaints"), id="screen.complaints", show=False),
        Binding(
            "o",
            "toggle_overdue",
            _("Overdue"),
            id="overdue.toggle",
            show=False,
            tooltip=_("Show or hide the overdue panel"),
        ),
        Binding("slash", "search", _("Search"), id="search", show=False),
        Binding(
            "u", "undo", _("Undo"), id="undo", show=False, tooltip=_("Undo the last change (asks first)")
        ),
        Binding("question_mark", "help", _("Help"), id="help", tooltip=_("All keys")),
        Binding("q", "quit", _("Quit"), id="quit"),
        Binding(
            "ctrl+p",
            "command_palette",
            _("Palette"),
            id="palette",
            priority=True,
            show=False,
            tooltip=_("Search every command and customer"),
        ),
    ]

    def __init__(self, store: Store, config: Config) -> None:
        super().__init__()
        self.store = store
        self.config = config
        self.overdue_pref: bool | None = None  # None: show when something is due
        self.data_version = 0
        self._visited_modes: set[str] = set()
        self._watcher = store.watcher()  # other processes' commits (the CLI in another shell)
        self._lazy_modes: set[str] = set()
        self._warmed = False
        self._watch_primed = False  # the watcher took its first look (its baseline)
        self.idle_collector = IdleCollector(busy=self._reading)
        # Styled as built, like the lazy screens: else the first return to it re-parses and
        # re-applies the whole CSS (50-80 ms), its counter never set by the start-up's refresh.
        self.add_mode(CUSTOMERS_MODE, lambda: styled_as_built(CustomersScreen(self.store, self.config), self))
        if config.keymap:
            self.set_keymap(dict(config.keymap))

    # -- helpers used by screens --------------------------------------------------------

    def warm_up(self) -> None:
        """After the first paint: open the store and import the rest of the UI, off the UI thread."""
        if not self._warmed:
            self._warmed = True
            self.check_outside_changes()  # the watcher's baseline, after the first paint
            self._warm_up_worker()
            self._quick_check_worker()

    @work(thread=True, exclusive=True, group="warm-up")
    def _warm_up_worker(self) -> None:
        store = self.store
        if isinstance(store, DeferredStore) and not store.ready:  # else opened by the caller (tests, scripts)
            try:
                store.open()
            except Exception as exc:  # said once here; the next use raises it again
                self.post_message(
                    LoadFailed(
                        _("the database"), str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                    )
                )
                return
            for name in WARM_UP_MODULES:
                try:
                    import_module(name)
                except ImportError:
                    pass
            # Every screen's module too (a first visit then only composes) and the palette's list
            # of their commands, read once here rather than when ctrl+p is pressed.
            from tuicrm.ui.commands import screen_commands_now

            screen_commands_now()
            self.call_later(self._build_ahead)
        # The ~130 000 objects of the loaded modules live as long as the app: out of the
        # collector's sight, a full collection no longer walks them all (60-100 ms pauses that
        # landed on keystrokes and page scrolls at random). Once per process: a second app
        # (tests) would freeze the first one's garbage for good.
        global _GC_FROZEN
        if not _GC_FROZEN:
            _GC_FROZEN = True
            gc.freeze()

    @work(thread=True, exclusive=True, group="integrity")
    def _quick_check_worker(self) -> None:
        """SQLite's quick_check after the first screen is up; says something only on a problem."""
        try:
            problems = self.store.quick_check()
        except Exception as exc:  # a damaged file can fail the check itself
            problems = [str(exc).splitlines()[0] if str(exc) else type(exc).__name__]
        if problems:
            message = (
                _("Database check found a problem: ") + problems[0] + _(" Run `tuicrm check` for details.")
            )
            self.call_from_thread(self.notify, message, severity="error", timeout=30, markup=False)

    def action_command_palette(self) -> None:
        """Textual's palette, its prompt in the rep's words."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(CommandPalette(placeholder=_("Search for commands…"), id="--command-palette"))

    def get_system_commands(self, screen: Any) -> Iterator[Any]:
        """Textual's own palette commands (theme, quit, keys, screenshot) in the rep's words."""
        for command in super().get_system_commands(screen):
            yield command._replace(title=_(command.title), help=_(command.help))

    def overdue_wanted(self, count: int) -> bool:
        return count > 0 if self.overdue_pref is None else self.overdue_pref

    def on_mount(self) -> None:
        if self._watcher is not None:
            self.set_interval(WATCH_INTERVAL, self.check_outside_changes, name="watch-database")
        if not self.is_headless:
            self._watch_terminal()
        if isinstance(self.store, DeferredStore):  # the rep's process (not a test's)
            self.idle_collector.start()
            self.set_interval(IDLE_SECONDS, self.idle_collector.tick, name="idle-collector")

    def on_unmount(self) -> None:
        self.idle_collector.stop()

    def _reading(self) -> bool:
        """A worker (a screen's read, a write) is pending or running."""
        return any(worker.state in _WORKING for worker in self.workers)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self.idle_collector.input_seen()  # typing: full collections wait for a pause
        await super().on_event(event)

    def _watch_terminal(self) -> None:
        """Exit when the terminal goes away (issue #21): on SIGHUP, or when its input hangs up
        (the SSH link dropped, the pty closed): else the app would outlive it, holding the database."""
        import asyncio
        import select
        import signal

        asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self.exit)
        fileno = getattr(self._driver, "fileno", None)
        if isinstance(fileno, int):
            poller = select.poll()
            poller.register(fileno, 0)  # reports only POLLHUP / POLLERR / POLLNVAL

            def hung_up() -> None:
                if poller.poll(0):
                    self.exit()

            self.set_interval(0.25, hung_up, name="watch-terminal")

    def check_outside_changes(self) -> bool:
        """Another program committed since the last look: reload what is on screen (True)."""
        if self._watcher is None:
            return False
        self._watch_primed = True
        if not self._watcher.changed():
            return False
        self.data_changed()
        return True

    def data_stamp(self, look: bool = True) -> tuple[int, date] | None:
        """What the data a screen reads depends on: the count of writes seen and the day
        (``ui.shell.Freshness``). ``look``: ask the watcher first (one pragma). None: cannot tell."""
        if look:
            primed = self._watch_primed
            self.check_outside_changes()
            if not primed:  # its first look is a baseline: a write before it would go unseen
                return None
        return self.data_version, light_today()

    def data_changed(self) -> None:
        """A write happened: tell every screen on the current stack to reload."""
        self.data_version += 1
        for screen in self.screen_stack:
            screen.post_message(DataChanged())

    def open_customer(self, customer_id: int, log: bool = False, back_after_log: bool = False) -> None:
        """Show a customer's detail screen (imported on first use)."""
        try:
            from tuicrm.ui.screens.customer_detail import CustomerDetailScreen

            detail = CustomerDetailScreen(
                self.store, self.config, customer_id, log=log, back_after_log=back_after_log
            )
        except Exception as exc:  # say why, keep running
            self.notify(
                _("Cannot open the customer: {reason}").format(reason=exc), severity="error", markup=False
            )
            return
        self.push_screen(detail)

    def on_open_customer(self, message: OpenCustomer) -> None:
        """Any screen or widget asks for a customer's detail (``OpenCustomer`` bubbles here)."""
        self.open_customer(message.customer_id, log=message.log, back_after_log=message.back_after_log)

    def on_data_written(self, message: DataWritten) -> None:
        """A screen wrote to the database (``DataWritten``): every screen reloads."""
        self.data_changed()

    def on_load_failed(self, message: LoadFailed) -> None:
        """A worker's query failed (all bubble here): one plain line, the app keeps running."""
        self.notify(
            _("Could not load {what}: {reason}").format(what=message.what, reason=message.reason),
            severity="error",
            markup=False,
        )

    # -- global actions ---------------------------------------------------------------------

    async def action_show_customers(self) -> None:
        if self.current_mode != CUSTOMERS_MODE:
            await self.switch_mode(CUSTOMERS_MODE)
        while len(self.screen_stack) > 1:
            await self.pop_screen()

    def _lazy_mode(self, mode: str) -> bool:
        """Add the mode of a screen built on demand; False if its module is missing."""
        module_name, class_name, _title = LAZY_SCREENS[mode]
        try:
            screen_class = getattr(import_module(module_name), class_name)
        except (ImportError, AttributeError):
            return False
        if mode not in self._lazy_modes:
            self.add_mode(mode, lambda: styled_as_built(screen_class(self.store, self.config), self))
            self._lazy_modes.add(mode)
        return True

    async def _build_ahead(self, modes: tuple[str, ...] = AHEAD_MODES) -> None:
        """Compose the boards before their first visit, one per turn of the app's queue (each
        20-30 ms of the UI thread: a key pressed meanwhile waits for one at most). Their first
        visit then only lays them out and draws them; they read their data when first shown."""
        from tuicrm.store.errors import StoreError

        if not modes:
            if isinstance(self.store, DeferredStore) and _GC_FROZEN:
                gc.freeze()  # their widgets live as long as the app, as after a first visit (below)
            return
        mode, rest = modes[0], modes[1:]
        if mode not in self._screen_stacks and self._lazy_mode(mode):
            try:
                await self.build_mode(mode)
            except (StoreError, TypeError, ValueError):  # the visit will try again and say why
                self._lazy_modes.discard(mode)
                self.remove_mode(mode)
        self.call_later(self._build_ahead, rest)

    async def _show_lazy(self, mode: str) -> None:
        from tuicrm.store.errors import StoreError

        title = LAZY_SCREENS[mode][2]
        if not self._lazy_mode(mode):
            self.notify(_("{title} is not built yet.").format(title=title), severity="warning", markup=False)
            return
        if self.current_mode == mode:
            while len(self.screen_stack) > 1:
                await self.pop_screen()
            return
        first_visit = mode not in self._visited_modes
        try:
            await self.switch_mode(mode)
        except (StoreError, TypeError, ValueError) as exc:
            self._lazy_modes.discard(mode)
            self.remove_mode(mode)
            self.notify(
                _("{title} could not open: {exc}").format(title=title, exc=exc),
                severity="error",
                markup=False,
            )
            return
        self._visited_modes.add(mode)
        if first_visit and isinstance(self.store, DeferredStore) and _GC_FROZEN:
            # The screen's widgets live as long as the app: out of the collector's sight, like the
            # startup's (below), so the next full collection does not walk them on a later switch
            # (0.5 s pauses measured on the board screens' second visits).
            self.call_after_refresh(gc.freeze)

    async def action_show_timeline(self) -> None:
        await self._show_lazy("timeline")

    async def action_show_tiers(self) -> None:
        await self._show_lazy("tiers")

    async def action_show_pipeline(self) -> None:
        await self._show_lazy("pipeline")

    async def action_show_reports(self) -> None:
        await self._show_lazy("reports")

    async def action_show_agenda(self) -> None:
        await self._show_lazy("agenda")

    async def action_show_leads(self) -> None:
        await self._show_lazy("leads")

    async def action_show_complaints(self) -> None:
        await self._show_lazy("complaints")

    async def action_show_receivables(self) -> None:
        await self._show_lazy("receivables")

    async def action_toggle_overdue(self) -> None:
        screen = self.screen
        if isinstance(screen, CustomersScreen):
            self.overdue_pref = screen.toggle_panel()
            return
        await self.action_show_customers()
        if isinstance(self.screen, CustomersScreen):
            self.overdue_pref = True
            self.screen.show_panel(True)

    async def action_search(self) -> None:
        if not isinstance(self.screen, CustomersScreen):
            await self.action_show_customers()
        if isinstance(self.screen, CustomersScreen):
            self.screen.focus_search()

    def action_help(self) -> None:
        from tuicrm.ui.screens.help import HelpScreen, section_of

        self.push_screen(HelpScreen(self.config.keymap, start=section_of(self.screen)))

    def action_undo(self) -> None:
        from tuicrm.i18n.names import operation_label
        from tuicrm.store.errors import StoreError
        from tuicrm.store.undo import undo_operation, undo_preview
        from tuicrm.ui.background import write_in_background
        from tuicrm.ui.widgets.confirm import ConfirmModal

        with self.store.read() as session:
            preview = undo_preview(session)
        if preview is None:
            self.notify(_("Nothing to undo."), markup=False)
            return
        body = Text(end="")
        body.append(_("Last change: "))
        body.append_text(ut.line(operation_label(preview.label), style="bold"))
        body.append(_("\nUndoing it will:"))
        for line in preview.lines:
            body.append(f"\n  • {line}")

        def answer(yes: bool | None) -> None:
            if not yes:
                return

            def undo() -> str:
                with self.store.write("undo", log=False) as session:
                    return undo_operation(session, preview.operation_id)

            def undone(label: str) -> None:
                self.notify(_("Undone: {clean}").format(clean=ut.clean(operation_label(label))), markup=False)
                self.data_changed()

            def refused(exc: StoreError) -> None:
                self.notify(str(exc), severity="warning", markup=False)

            write_in_background(self, undo, undone, refused)

        self.push_screen(
            ConfirmModal(Text(_("Undo the last change?"), style="bold"), body, yes=_("Undo"), no=_("Keep")),
            answer,
        )


def _textual_words() -> tuple[str, ...]:
    """Textual's palette words, for the catalogue (``get_system_commands`` translates them by text)."""
    return (
        _("Theme"),
        _("Change the current theme"),
        _("Quit"),
        _("Quit the application as soon as possible"),
        _("Keys"),
        _("Hide the keys and widget help panel"),
        _("Show help for the focused widget and a summary of available keys"),
        _("Minimize"),
        _("Minimize the widget and restore to normal size"),
        _("Maximize"),
        _("Maximize the focused widget"),
        _("Screenshot"),
        _("Save an SVG 'screenshot' of the current screen"),
    )


def make_app(store: Store, config: Config) -> TuiCrmApp:
    """The one way to build the TUI (CLI, Pilot tests, snapshot tests)."""
    from tuicrm.ui import textual_compat

    textual_compat.install()
    return TuiCrmApp(store, config)
