"""Tier board (SPEC §5, §7): customers in columns A/B/C/D; moving a card means assessing it."""

from __future__ import annotations

from datetime import date

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.worker import get_current_worker

from tuicrm.clock import today as clock_today
from tuicrm.config import TIERS, Config
from tuicrm.domain.cadence import is_overdue
from tuicrm.domain.dates import relative_label
from tuicrm.domain.tiers import reassess_before
from tuicrm.i18n import _
from tuicrm.i18n.names import display
from tuicrm.query.boards import DEFAULT_LIMIT, TierCard, TierColumn, tier_board
from tuicrm.query.customers import count_customers
from tuicrm.query.filters import CustomerFilter
from tuicrm.store import Store
from tuicrm.ui import toasts
from tuicrm.ui.messages import DataChanged, OpenCustomer
from tuicrm.ui.shell import mark_read, stale
from tuicrm.ui.textual_compat import KeptStylesScreen
from tuicrm.ui.widgets.board import (
    Board,
    BoardColumn,
    BoardList,
    BoardLoadFailed,
    CardSpec,
    ScreenTitle,
    TargetPicker,
    announce_change,
    user_text,
)
from tuicrm.ui.widgets.key_footer import KeyFooter

UNASSESSED = "D"


def card_content(card: TierCard, today: date) -> Content:
    """Name / code · status / next follow-up (overdue said in words, not only colour)."""
    if card.next_on is None:
        when = Content(_("no follow-up set"))
    elif is_overdue(card.next_on, today):
        when = Content.assemble(("! " + relative_label(card.next_on, today), "bold $text-error"))
    elif card.next_on == today:
        when = Content.assemble((_("due today"), "bold $text-warning"))
    else:
        when = Content(_("next {isoformat}").format(isoformat=card.next_on.isoformat()))
    return Content("\n").join(
        [
            user_text(card.name).stylize("bold"),
            Content.assemble(user_text(card.code), " ", user_text(display("status", card.status))),
            when,
        ]
    )


def detail_content(card: TierCard, today: date) -> Content:
    """The highlighted card on one line, whole: a narrow column cuts its name."""
    return Content(" · ").join(
        [
            user_text(card.name).stylize("bold"),
            user_text(card.code),
            user_text(display("status", card.status)),
            card_content(card, today).split("\n")[-1],
        ]
    )


def header_content(column: TierColumn, config: Config) -> Content:
    label = _("unassessed") if column.tier == UNASSESSED else _range_label(column.tier, config)
    return Content.assemble((f"{column.tier}", "bold"), f" · {column.count}  ", (label, "dim"))


def _range_label(tier: str, config: Config) -> str:
    if tier == "A":
        return f"≥{config.tier_a_min}"
    if tier == "B":
        return f"{config.tier_b_min}–{config.tier_a_min - 1}"
    return f"≤{config.tier_b_min - 1}"


class TierBoardLoaded(Message):
    def __init__(
        self, columns: list[TierColumn], cards: dict[str, list[CardSpec]], today: date, reassess: int = 0
    ) -> None:
        super().__init__()
        self.columns = columns
        self.cards = cards  # built in the worker: Content is plain data
        self.today = today
        self.reassess = reassess  # live customers whose last assessment is too old


class TierBoardScreen(KeptStylesScreen):
    """Columns A/B/C/D. Move a card (``<``/``>``, shift+arrows, ``m``) to assess the customer."""

    BINDINGS = [
        Binding("less_than_sign,shift+left", "shift(-1)", _("◂ Tier"), key_display="<", id="tiers.move_left"),
        Binding(
            "greater_than_sign,shift+right", "shift(1)", _("Tier ▸"), key_display=">", id="tiers.move_right"
        ),
        Binding("m", "move", _("Move to…"), id="tiers.move"),
        Binding("a", "assess", _("Assess"), id="tiers.assess"),
        Binding("enter", "open", _("Open"), show=False, id="tiers.open"),
        Binding("r", "refresh", _("Refresh"), id="tiers.refresh"),
    ]

    DEFAULT_CSS = """
    TierBoardScreen { layout: vertical; }
    TierBoardScreen Board { height: 1fr; }
    TierBoardScreen #card-detail { height: 1; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    AUTO_FOCUS = None

    def __init__(
        self,
        store: Store,
        config: Config,
        *,
        limit: int = DEFAULT_LIMIT,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.store = store
        self.config = config
        self.limit = limit
        self._select: str | None = None  # card to highlight after the next load
        self._loaded = False
        self._cards: dict[str, TierCard] = {}
        self._today: date = clock_today()

    def compose(self) -> ComposeResult:
        yield ScreenTitle(Content(_("Tier board · loading…")), id="title")
        yield Board(TIERS, id="board")
        yield Static(Content(""), id="card-detail")
        yield KeyFooter()

    @property
    def board(self) -> Board:
        return self.query_one(Board)

    # --- loading --------------------------------------------------------------------------

    def on_screen_resume(self) -> None:
        if stale(self):
            self.reload()

    def reload(self, select: str | None = None) -> None:
        mark_read(self)
        if select is not None:
            self._select = select
        elif self._select is None:
            current = self.board.selection()
            self._select = current[1] if current else None
        self._load()

    @work(thread=True, exclusive=True, group="tier-board")
    def _load(self) -> None:
        worker = get_current_worker()
        today = clock_today()
        try:
            with self.store.reading() as conn:
                columns = tier_board(conn, limit_per_tier=self.limit)
                reassess = count_customers(
                    conn,
                    CustomerFilter(reassess_before=reassess_before(today, self.config.care.reassess_days)),
                )
            cards = {
                column.tier: [
                    CardSpec(f"c{card.customer_id}", card_content(card, today)) for card in column.cards
                ]
                for column in columns
            }
        except Exception as exc:  # a locked or broken database: say so, keep the app running
            if not worker.is_cancelled:
                self.post_message(BoardLoadFailed(str(exc)))
            return
        if not worker.is_cancelled:
            self.post_message(TierBoardLoaded(columns, cards, today, reassess))

    def on_board_load_failed(self, message: BoardLoadFailed) -> None:
        self.query_one("#title", ScreenTitle).update(
            Content(_("Tier board · could not load: {reason} (r retries)").format(reason=message.reason))
        )

    def on_data_changed(self, _message: DataChanged) -> None:
        """The app shell's ``DataChanged`` (a form saved elsewhere, an undo ran)."""
        if stale(self):
            self.reload()

    def on_tier_board_loaded(self, message: TierBoardLoaded) -> None:
        board = self.board
        select = self._select
        self._select = None
        focused = board.current_column
        focused_key = focused.key if focused else None
        keep = {c.key: c.cards.highlighted for c in board.query(BoardColumn)}
        for column in message.columns:
            widget = board.column(column.tier)
            widget.set_header(header_content(column, self.config))
            widget.set_cards(
                message.cards[column.tier], more=column.more, select=select, keep_index=keep.get(column.tier)
            )
        total = sum(c.count for c in message.columns)
        self.query_one("#title", ScreenTitle).update(
            Content(
                _(
                    "Tier board · {total} customers · {reassess} to re-assess · A ≥{tier_a_min}, "
                    "B ≥{tier_b_min} on potential + willingness"
                ).format(
                    total=total,
                    reassess=message.reassess,
                    tier_a_min=self.config.tier_a_min,
                    tier_b_min=self.config.tier_b_min,
                )
            )
        )
        if not (select and board.focus_card(select)):
            if focused_key:
                board.focus_column(focused_key)
            elif not self._loaded:
                first = next((c.tier for c in message.columns if c.cards), TIERS[0])
                board.focus_column(first)
        self._loaded = True
        self._cards = {f"c{card.customer_id}": card for column in message.columns for card in column.cards}
        self._today = message.today
        self._show_detail()

    def _show_detail(self) -> None:
        selection = self.board.selection()
        card = self._cards.get(selection[1]) if selection else None
        self.query_one("#card-detail", Static).update(
            detail_content(card, self._today) if card else Content("")
        )

    def on_option_list_option_highlighted(self, _event: OptionList.OptionHighlighted) -> None:
        self.call_after_refresh(self._show_detail)

    def on_descendant_focus(self, _event: object) -> None:
        self.call_after_refresh(self._show_detail)

    # --- actions --------------------------------------------------------------------------

    def _selected(self) -> tuple[str, int] | None:
        selection = self.board.selection()
        if selection is None:
            return None
        tier, card_id = selection
        return tier, int(card_id[1:])

    def action_refresh(self) -> None:
        self.reload()

    def action_open(self) -> None:
        selected = self._selected()
        if selected:
            self.app.post_message(OpenCustomer(selected[1]))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if isinstance(event.option_list, BoardList) and event.option.id and event.option.id.startswith("c"):
            event.stop()
            self.app.post_message(OpenCustomer(int(event.option.id[1:])))

    def action_shift(self, step: int) -> None:
        selected = self._selected()
        if selected is None:
            self.notify(toasts.pick_first(_("a customer card")), severity="warning")
            return
        tier, _cid = selected
        index = TIERS.index(tier) + step
        if not 0 <= index < len(TIERS):
            self.notify(
                _("Tier {tier} is already the {value} column.").format(
                    tier=tier, value="first" if step < 0 else "last"
                )
            )
            return
        self.move_to(TIERS[index])

    def action_move(self) -> None:
        selected = self._selected()
        if selected is None:
            self.notify(toasts.pick_first(_("a customer card")), severity="warning")
            return
        tier, cid = selected
        choices = [
            (
                t,
                _("Tier {tier}").format(tier=t)
                + (_(" (not assessed)") if t == UNASSESSED else f" ({_range_label(t, self.config)})"),
                t.lower(),
            )
            for t in TIERS
        ]
        self.app.push_screen(
            TargetPicker(Content(_("Move the customer to tier…")), choices, current=tier),
            lambda target: self.move_to(target) if target else None,
        )

    def action_assess(self) -> None:
        selected = self._selected()
        if selected is None:
            self.notify(toasts.pick_first(_("a customer card")), severity="warning")
            return
        self._open_form(selected[1], None)

    def move_to(self, target: str) -> None:
        """Moving a card = assessing the customer; the scores decide where it lands."""
        selected = self._selected()
        if selected is None:
            return
        tier, cid = selected
        if target == tier:
            return
        if target == UNASSESSED:
            self.notify(
                _("Tier D means not assessed yet: an assessment always gives A, B or C."), severity="warning"
            )
            return
        self._open_form(cid, target)

    def _open_form(self, customer_id: int, target: str | None) -> None:
        from tuicrm.ui.widgets.assessment_form import AssessmentForm

        def done(saved: bool | None) -> None:
            if saved:
                self.reload(select=f"c{customer_id}")
                announce_change(self.app)

        self.app.push_screen(AssessmentForm(self.store, self.config, customer_id, target_tier=target), done)
