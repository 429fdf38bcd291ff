"""The overdue panel: the morning queue, docked at the side of the customer list.

Shows the count of overdue + due-today items of every kind (follow-ups, lead responses,
activities), then the items in the queue's order (``tuicrm.domain.queue``), each with its kind,
how late it is as text (a marker and words, never colour alone) and what to do. ``t`` filters by kind (type).
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tuicrm.config import Config
from tuicrm.domain.dates import relative_label
from tuicrm.i18n import _
from tuicrm.query.connect import today as light_today
from tuicrm.query.queue import PanelData, panel_data
from tuicrm.ui import text as ut
from tuicrm.ui.messages import LoadFailed, PanelLoaded

MARK_OVERDUE = "!"
MARK_TODAY = "•"
FIRST_ITEMS = 40  # loaded at start (two screens at 120×40); more as the rep scrolls near the end
MORE_ITEMS = 200
NEAR_END = 15

TYPE_CHECKING = False
if TYPE_CHECKING:
    from tuicrm.domain.queue import QueueItem
    from tuicrm.query.followups import DueItem
    from tuicrm.store import Store

# The panel's kind filter, in the order ``f`` cycles through (None: every kind).
KIND_FILTERS: tuple[str | None, ...] = (
    None,
    "follow-up",
    "lead",
    "activity",
    "complaint",
    "birthday",
    "renewal",
    "receivable",
)


def kind_label(kind: str) -> str:
    labels = {
        "follow-up": _("follow-up"),
        "lead": _("lead"),
        "activity": _("activity"),
        "complaint": _("complaint"),
        "birthday": _("birthday"),
        "renewal": _("renewal"),
        "receivable": _("receivable"),
    }
    return labels.get(kind, kind)


def due_label(item: QueueItem, today: date) -> str:
    """'! 3 days overdue' / '• due today' / '! 2 h overdue' / '• 14:00' — the marker and the
    words carry the meaning."""
    mark = MARK_OVERDUE if item.overdue else MARK_TODAY
    if item.at is None:
        return f"{mark} {relative_label(item.on, today)}"
    if item.overdue:
        from tuicrm.domain.leads import time_left_label
        from tuicrm.store.lean.clock import utcnow

        return f"{mark} {time_left_label(item.at, utcnow())}"
    from tuicrm.store.lean.clock import local_time

    return f"{mark} {local_time(item.at).strftime('%H:%M')}"


def option_id(item: QueueItem) -> str:
    """A follow-up's option is its customer's id (as before the queue); other kinds ``kind:id``."""
    if item.kind == "follow-up":
        return str(item.id)
    if isinstance(item.source, dict) and "what" in item.source:  # reminders: a birthday and an anniversary
        return f"{item.kind}:{item.source['what']}:{item.id}"
    return f"{item.kind}:{item.id}"


def item_prompt(item: QueueItem, today: date) -> Text:
    out = Text(end="")
    out.append_text(ut.line(item.customer, style="bold"))
    out.append("\n")
    out.append(due_label(item, today), style="bold" if item.overdue else "")
    source = item.source if item.kind == "follow-up" else None
    if source is not None:
        out.append(_(" · tier {tier}").format(tier=source.tier), style="dim")
    else:
        out.append(f" · {kind_label(item.kind)}", style="dim")
    out.append("\n")
    action = ut.clean(item.title)
    out.append("→ ", style="dim")
    out.append(action or _("(no next action)"), style="" if action else "dim italic")
    return out


class OverdueList(OptionList):
    """The items. ``enter`` (or a click) opens the customer with the log form ready."""

    BINDINGS = [
        Binding(
            "enter",
            "select",
            _("Log"),
            id="panel.log",
            tooltip=_("Open the customer with the follow-up form ready"),
        ),
        Binding("w", "why", _("Why"), id="panel.why", tooltip=_("Explain the call-next order of this item")),
        Binding(
            "t",
            "filter_kind",
            _("Kind"),
            show=False,
            id="panel.kind",
            tooltip=_("Show one kind of item (cycles)"),
        ),
        Binding(
            "l",
            "screen.log",
            _("Log here"),
            show=False,
            id="panel.log_here",
            tooltip=_("Log a follow-up without opening the customer"),
        ),
        Binding("j", "cursor_down", _("Down"), show=False, id="panel.down"),
        Binding("k", "cursor_up", _("Up"), show=False, id="panel.up"),
    ]

    def action_why(self) -> None:
        panel = self.parent
        if isinstance(panel, OverduePanel):
            panel.explain_selected()

    def action_filter_kind(self) -> None:
        panel = self.parent
        if isinstance(panel, OverduePanel):
            panel.next_kind()

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        panel = self.parent
        if isinstance(panel, OverduePanel) and highlighted is not None:
            panel.near(highlighted)


class OverduePanel(Vertical):
    """Title with counts, the call-next list, and a line for what did not fit."""

    class Open(Message):
        """The rep chose an item: open it with the follow-up form ready."""

        def __init__(self, item: DueItem) -> None:
            super().__init__()
            self.item = item

    class Loaded(Message):
        """The panel finished (re)loading; ``count`` is overdue + due today."""

        def __init__(self, count: int, first_load: bool) -> None:
            super().__init__()
            self.count = count
            self.first_load = first_load

    def __init__(
        self, store: Store, config: Config, *, id: str | None = None, limit: int = FIRST_ITEMS
    ) -> None:
        super().__init__(id=id)
        self.store = store
        self.config = config
        self.limit = limit  # items loaded; grows by MORE_ITEMS as the rep nears the end
        self.data: PanelData | None = None
        self.today: date = light_today()
        self._loads = 0
        self._loading_more = False
        self.kind: str | None = None  # the kind filter (None: every kind)

    def compose(self) -> ComposeResult:
        yield Static(Text(_("Call next …")), id="panel-title")
        yield OverdueList(id="panel-list")
        yield Static("", id="panel-more")

    @property
    def list(self) -> OverdueList:
        return self.query_one(OverdueList)

    @property
    def count(self) -> int | None:
        return None if self.data is None else self.data.count

    def load(self) -> None:
        self._load_worker(self.limit)

    def next_kind(self) -> None:
        """t: show the next kind only (follow-ups, leads, activities, then every kind again)."""
        index = KIND_FILTERS.index(self.kind) if self.kind in KIND_FILTERS else 0
        self.kind = KIND_FILTERS[(index + 1) % len(KIND_FILTERS)]
        self.limit = FIRST_ITEMS
        self.list.highlighted = None
        self.load()

    def near(self, index: int) -> None:
        """The highlight moved to ``index``: load the next items before the rep reaches the end."""
        data = self.data
        if data is None or self._loading_more or not data.more or index < len(data.items) - NEAR_END:
            return
        self._loading_more = True
        self.limit = len(data.items) + MORE_ITEMS
        self._load_worker(self.limit)

    @work(thread=True, exclusive=True, group="overdue-panel")
    def _load_worker(self, limit: int) -> None:
        worker = get_current_worker()
        kind = self.kind
        try:
            today = light_today()
            with self.store.reading() as conn:
                data = panel_data(conn, self.config, today, limit, kind=kind)
        except Exception as exc:  # reported in one line, never swallowed
            self.post_message(
                LoadFailed(
                    _("the overdue list"), str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                )
            )
            return
        if not worker.is_cancelled:
            self.post_message(PanelLoaded((today, data)))

    def logged(self, customer_id: int, next_on: date | None, was_due_on: date | None = None) -> bool:
        """A follow-up was just logged for ``customer_id`` (whose follow-up was due on
        ``was_due_on``, if known) with the next one on ``next_on``: its item and its share of
        the counts leave the panel at once, from the write's result (issue #20: the queue's
        re-read takes longer at 100 000 customers, and follows). True if the panel changed."""
        data, today = self.data, self.today
        if data is None or (next_on is not None and next_on <= today):
            return False  # still due: the re-read puts it in its new place
        gone = [i for i in data.items if i.kind == "follow-up" and i.customer_id == customer_id]
        if gone:
            overdue, due_today = gone[0].overdue, gone[0].due_today
        elif was_due_on is not None and was_due_on <= today:  # due, but further down the queue
            overdue, due_today = was_due_on < today, was_due_on == today
        else:
            return False
        items = [i for i in data.items if not gone or i is not gone[0]]
        self._show(
            today,
            PanelData(items, data.count - 1, data.overdue - overdue, data.today - due_today),
        )
        return True

    @on(PanelLoaded)
    def _loaded(self, message: PanelLoaded) -> None:
        message.stop()
        today, data = message.data
        self._loading_more = False
        self._loads += 1
        self._show(today, data)
        self.post_message(self.Loaded(data.count, self._loads == 1))

    def _show(self, today: date, data: PanelData) -> None:
        previous = self.selected_item
        old_index = self.list.highlighted
        self.today = today
        self.data = data
        self._render_title()
        ol = self.list
        ol.set_options(Option(item_prompt(i, today), id=option_id(i)) for i in data.items)
        if data.items:
            index = old_index if old_index is not None else 0
            if previous is not None:
                for n, i in enumerate(data.items):
                    if (i.kind, i.id) == (previous.kind, previous.id):
                        index = n
                        break
            ol.highlighted = min(index, len(data.items) - 1)
        more = self.query_one("#panel-more", Static)
        more.update(
            Text(_("… and {more} more (see the list: d)").format(more=data.more)) if data.more else ""
        )
        more.display = bool(data.more)

    def _render_title(self) -> None:
        data = self.data
        title = Text(end="")
        if self.kind is not None:
            title.append(_("[{kind} only] ").format(kind=kind_label(self.kind)), style="italic")
        if data is None:
            title.append(_("Call next …"), style="bold")
        elif data.count == 0:
            title.append(_("Call next: 0\n"), style="bold")
            title.append(_("Nothing overdue or due today."), style="dim")
        else:
            title.append(_("Call next: {count} due\n").format(count=data.count), style="bold")
            title.append(
                _("{mark_overdue} {overdue} overdue · {mark_today} {today} today").format(
                    mark_overdue=MARK_OVERDUE, overdue=data.overdue, mark_today=MARK_TODAY, today=data.today
                )
            )
        self.query_one("#panel-title", Static).update(title)

    @property
    def selected_item(self) -> QueueItem | None:
        """The highlighted queue item, of any kind."""
        if self.data is None or not self.is_mounted:
            return None
        index = self.list.highlighted
        if index is None or not 0 <= index < len(self.data.items):
            return None
        item: QueueItem = self.data.items[index]
        return item

    @property
    def selected(self) -> DueItem | None:
        """The highlighted follow-up (its customer), or None for another kind."""
        item = self.selected_item
        if item is None or item.kind != "follow-up":
            return None
        due: DueItem = item.source
        return due

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.data is None or not 0 <= event.option_index < len(self.data.items):
            return
        item = self.data.items[event.option_index]
        if item.kind == "follow-up":
            self.post_message(self.Open(item.source))
        elif item.kind == "lead":
            self.app.call_later(self.app.run_action, "show_leads")
        elif item.customer_id is not None:
            from tuicrm.ui.messages import OpenCustomer

            self.app.post_message(OpenCustomer(item.customer_id))

    def explain_selected(self) -> None:
        item = self.selected_item
        if item is None:
            return
        rank = self.data.items.index(item) + 1 if self.data else 0
        self.app.notify(
            _(
                "#{rank} {clean}: {explain}. Order: past hard deadlines, today's timed items, then by score "
                "(tier weights {join})."
            ).format(
                rank=rank,
                clean=ut.clean(item.customer),
                explain=item.why,
                join=", ".join((f"{k} {v:g}" for k, v in self.config.tier_weights.items())),
            ),
            title=_("Why this order"),
            markup=False,
            timeout=10,
        )
