"""The agenda (key ``6``, issue #17): today's activities, the rest of this week, later.

Overdue planned activities (their start passed, nobody started them) are marked, and so are
activities that overlap (conflicts). Keys: ``a`` plan one, ``e`` edit, ``s`` start, ``d`` done
(asks the result, optionally logs a follow-up and the next step, one write), ``x`` cancel,
``m`` move, ``enter`` opens the customer. Reads and writes run off the UI thread.
"""

from __future__ import annotations

from datetime import datetime

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tuicrm import clock
from tuicrm.config import Config
from tuicrm.domain.agenda import GROUPS, Slot, conflicts, group_of, is_overdue
from tuicrm.i18n import _
from tuicrm.i18n.names import display, weekday
from tuicrm.query.activities import ActivityRow, agenda
from tuicrm.store import Store
from tuicrm.store.errors import StoreError
from tuicrm.ui import toasts
from tuicrm.ui.background import write_in_background
from tuicrm.ui.messages import DataChanged, OpenCustomer, Saved
from tuicrm.ui.shell import mark_read, stale
from tuicrm.ui.widgets.board import announce_change, user_text
from tuicrm.ui.widgets.key_footer import KeyFooter

GROUP_TITLES = {"today": _("Today"), "week": _("This week"), "later": _("Later")}


def _now() -> datetime:
    n = clock.now()
    return datetime(n.year, n.month, n.day, n.hour, n.minute)


def row_content(row: ActivityRow, now: datetime, clashes: list[str]) -> Content:
    """One line: when · kind · name · customer, then overdue / status / conflict in words."""
    when = (
        f"{row.start:%H:%M}"
        if row.start.date() == now.date()
        else f"{weekday(row.start)} {row.start:%m-%d %H:%M}"
    )
    parts: list[Content | tuple[str, str] | str] = [
        (when, "bold"),
        "  ",
        display("activity_kind", row.kind),
        "  ",
    ]
    parts += [user_text(row.name).stylize("bold"), " · ", user_text(row.customer_name)]
    if is_overdue(row.status, row.start, now):
        parts += ["  ", ("! " + _("overdue"), "bold $text-error")]
    elif row.status != "planned":
        parts += ["  ", (display("activity_status", row.status), "$text-muted")]
    if clashes:
        parts += ["  ", (_("clashes with {codes}").format(codes=", ".join(clashes)), "bold $text-warning")]
    return Content.assemble(*parts)


class AgendaLoaded(Message):
    def __init__(self, rows: list[ActivityRow], now: datetime) -> None:
        super().__init__()
        self.rows = rows
        self.now = now


class AgendaScreen(Screen[None]):
    BINDINGS = [
        Binding("a", "add", _("Plan"), id="agenda.add"),
        Binding("e", "edit", _("Edit"), id="agenda.edit"),
        Binding("s", "start", _("Start"), id="agenda.start"),
        Binding("d", "done", _("Done"), id="agenda.done"),
        Binding("x", "cancel_activity", _("Cancel"), id="agenda.cancel"),
        Binding("m", "move", _("Move"), id="agenda.move"),
        Binding("r", "refresh", _("Refresh"), id="agenda.refresh"),
    ]
    DEFAULT_CSS = """
    AgendaScreen { layout: vertical; }
    AgendaScreen #agenda-title { height: 1; padding: 0 1; text-style: bold; }
    AgendaScreen OptionList { height: 1fr; }
    """

    def __init__(self, store: Store, config: Config) -> None:
        super().__init__()
        self.store = store
        self.config = config
        self.rows: dict[int, ActivityRow] = {}
        self._select: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(Content(_("Agenda · loading…")), id="agenda-title")
        yield OptionList(id="agenda-list")
        yield KeyFooter()

    def on_screen_resume(self) -> None:
        if stale(self):
            self.reload()

    def on_data_changed(self, _message: DataChanged) -> None:
        if stale(self):
            self.reload()

    def reload(self, select: int | None = None) -> None:
        mark_read(self)
        current = self.selected()
        self._select = select if select is not None else (current.id if current else None)
        self._load()

    @work(thread=True, exclusive=True, group="agenda")
    def _load(self) -> None:
        worker = get_current_worker()
        now = _now()
        try:
            with self.store.reading() as conn:
                rows = agenda(conn, now)
        except Exception as exc:  # a locked or broken database: say so, keep the app running
            if not worker.is_cancelled:
                self.app.call_from_thread(self._failed, str(exc))
            return
        if not worker.is_cancelled:
            self.post_message(AgendaLoaded(rows, now))

    def _failed(self, reason: str) -> None:
        self.query_one("#agenda-title", Static).update(
            Content(_("Agenda · could not load: {reason} (r retries)").format(reason=reason))
        )

    def on_agenda_loaded(self, message: AgendaLoaded) -> None:
        now = message.now
        rows = message.rows
        self.rows = {r.id: r for r in rows}
        clash = conflicts([Slot(r.id, r.start, r.end, r.status, r.kind) for r in rows], self.config.agenda)
        codes = {r.id: r.code for r in rows}
        options: list[Option] = []
        by_group: dict[str, list[ActivityRow]] = {g: [] for g in GROUPS}
        for r in rows:
            by_group[group_of(r.start, now)].append(r)
        for group in GROUPS:
            options.append(
                Option(
                    Content.assemble((GROUP_TITLES[group], "bold underline"), f" · {len(by_group[group])}"),
                    id=f"g-{group}",
                    disabled=True,
                )
            )
            for r in by_group[group]:
                options.append(
                    Option(row_content(r, now, [codes[i] for i in clash.get(r.id, [])]), id=f"a{r.id}")
                )
        listing = self.query_one(OptionList)
        listing.set_options(options)
        overdue = sum(1 for r in rows if is_overdue(r.status, r.start, now))
        self.query_one("#agenda-title", Static).update(
            Content(
                _("Agenda · {count} activities · {overdue} overdue · {clashes} in conflict").format(
                    count=len(rows), overdue=overdue, clashes=len(clash)
                )
            )
        )
        target = self._select
        index = next((i for i, o in enumerate(options) if o.id == f"a{target}"), None) if target else None
        if index is None:
            index = next((i for i, o in enumerate(options) if not o.disabled), None)
        if index is not None:
            listing.highlighted = index
        listing.focus()

    # --- actions --------------------------------------------------------------------------

    def selected(self) -> ActivityRow | None:
        try:
            listing = self.query_one(OptionList)
        except Exception:
            return None
        index = listing.highlighted
        if index is None:
            return None
        option = listing.get_option_at_index(index)
        if not option.id or not option.id.startswith("a"):
            return None
        return self.rows.get(int(option.id[1:]))

    def _pick(self) -> ActivityRow | None:
        row = self.selected()
        if row is None:
            self.notify(toasts.pick_first(_("an activity"), _("a plans one")), severity="warning")
        return row

    def _saved(self, saved: Saved | None) -> None:
        if saved:
            activity_id = saved.detail.get("activity_id")
            self.reload(select=int(activity_id) if activity_id else None)
            announce_change(self.app)

    def action_refresh(self) -> None:
        self.reload()

    def action_add(self) -> None:
        from tuicrm.ui.widgets.activity_form import ActivityForm

        row = self.selected()
        self.app.push_screen(
            ActivityForm(self.store, self.config, customer_ref=row.customer_code if row else ""), self._saved
        )

    def action_edit(self) -> None:
        from tuicrm.ui.widgets.activity_form import ActivityForm

        row = self._pick()
        if row:
            self.app.push_screen(ActivityForm(self.store, self.config, row), self._saved)

    def action_done(self) -> None:
        from tuicrm.ui.widgets.activity_form import DoneForm

        row = self._pick()
        if row:
            self.app.push_screen(DoneForm(self.store, self.config, row), self._saved)

    def action_move(self) -> None:
        from tuicrm.ui.widgets.activity_form import MoveForm

        row = self._pick()
        if row:
            self.app.push_screen(MoveForm(self.store, self.config, row), self._saved)

    def _write(self, row: ActivityRow, label: str, verb: str) -> None:
        from tuicrm.store.activities import cancel_activity, get_activity, start_activity

        change = start_activity if verb == "start" else cancel_activity

        def work() -> int:
            with self.store.write(label) as session:
                change(session, get_activity(session, row.id))
            return row.id

        def done(activity_id: int) -> None:
            self.notify(
                (_("Started {code}.") if verb == "start" else toasts.undoable(_("Cancelled {code}"))).format(
                    code=row.code
                )
            )
            self.reload(select=activity_id)
            announce_change(self.app)

        def failed(exc: StoreError) -> None:
            self.notify(str(exc), severity="error", markup=False)

        write_in_background(self, work, done, failed)

    def action_start(self) -> None:
        row = self._pick()
        if row:
            label = f"start activity {row.code}"  # i18n: not shown (the operation log keeps it as written)
            self._write(row, label, "start")

    def action_cancel_activity(self) -> None:
        row = self._pick()
        if row:
            label = f"cancel activity {row.code}"  # i18n: not shown (the operation log keeps it as written)
            self._write(row, label, "cancel")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        if option_id.startswith("a") and int(option_id[1:]) in self.rows:
            event.stop()
            self.app.post_message(OpenCustomer(self.rows[int(option_id[1:])].customer_id))


__all__ = ["AgendaScreen", "row_content"]
