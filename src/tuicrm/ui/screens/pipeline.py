"""Pipeline board (SPEC §6, §7): a column per stage with count, sum and weighted sum;
moving a card records a StageChange (lost asks for a reason); stale cards marked;
a forecast footer of weighted open value by expected close month.

At 80 columns the six stages do not fit side by side: columns keep a readable
minimum width and the board scrolls sideways as the focus moves (``h``/``l``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.worker import get_current_worker

from tuicrm.clock import today as clock_today
from tuicrm.config import OPEN_STAGES, STAGES, Config
from tuicrm.domain.lost import lost_reason_text
from tuicrm.domain.pipeline import ForecastRow, forecast, quarter_name, quarter_start
from tuicrm.i18n import _
from tuicrm.i18n.names import display
from tuicrm.query.pipeline import (
    DEFAULT_LIMIT,
    Card,
    PipelineColumn,
    open_forecast_inputs,
    pipeline_board,
    stale_count,
)
from tuicrm.store import Store
from tuicrm.store.errors import StoreError
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
    abbreviate,
    announce_change,
    user_text,
)
from tuicrm.ui.widgets.key_footer import KeyFooter
from tuicrm.ui.widgets.opportunity_form import OpportunityForm
from tuicrm.ui.widgets.stage_move import StageMoveModal, apply_move

MIN_COLUMN_WIDTH = 20
STAGE_DEFAULT = ":default"  # a move picker choice: the stage at its default probability


def stage_title(stage: str) -> str:
    return display("stage", stage).capitalize()


def card_content(card: Card, today: date, config: Config) -> Content:
    close = card.expected_close_on.isoformat() if card.expected_close_on else _("no close date")
    lines = [
        user_text(card.name).stylize("bold"),
        user_text(card.customer_name),
        Content(f"{abbreviate(card.amount)} · {close}"),
    ]
    if card.overdue:
        lines.append(Content.styled(_("! close passed"), "bold $text-error"))
    if card.lost_reason:
        why = lost_reason_text(card.lost_reason, card.lost_detail)
        lines.append(Content.assemble(_("lost: "), user_text(why.splitlines()[0])))
    for mark, value in (("⚔ ", card.competitors), ("⚠ ", card.risks), ("→ ", card.next_step)):
        if value:
            lines.append(Content.assemble(mark, user_text(value.splitlines()[0])))
    if card.stale:
        quiet = (today - card.last_activity).days if card.last_activity else None
        lines.append(Content.assemble((_("! stale"), "bold $text-warning"), f" {quiet}d" if quiet else ""))
    return Content("\n").join(lines)


def detail_content(card: Card, today: date, config: Config) -> Content:
    """The focused card in one line under the board: what the card has no room for."""
    parts: list[Content] = [
        user_text(card.name).stylize("bold"),
        user_text(card.customer_name),
        Content(f"{card.amount:,.2f} {config.currency} · {card.probability}%"),
    ]
    if card.expected_close_on:
        close = Content(_("close {day}").format(day=card.expected_close_on.isoformat()))
        if card.overdue:
            close = Content.assemble(close, (" " + _("(passed)"), "bold $text-error"))
        parts.append(close)
    labelled = (
        (_("competitors"), card.competitors),
        (_("risks"), card.risks),
        (_("next"), card.next_step),
    )
    for label, value in labelled:
        if value:
            parts.append(Content.assemble(f"{label}: ", user_text(" ".join(value.split()))))
    if card.next_step and card.next_step_due_on:
        parts.append(Content(_("due {day}").format(day=card.next_step_due_on.isoformat())))
    if card.lost_reason:
        why = " ".join(lost_reason_text(card.lost_reason, card.lost_detail).split())
        parts.append(Content.assemble(_("lost: "), user_text(why)))
    return Content(" · ").join(parts)


def per_currency(sums: dict[str, Decimal], default: str) -> str:
    """Amounts in several currencies, one figure each, never converted ("1.2M CNY · 30k USD");
    the configured currency first. Nothing: 0 in the configured currency."""
    if not sums:
        return f"{abbreviate(Decimal(0))} {default}"
    order = sorted(sums, key=lambda c: (c != default, c))
    return " · ".join(f"{abbreviate(sums[c])} {c}" for c in order)


def closed_period(today: date | None) -> str:
    """What the won and lost columns count, in their titles: "Q4" (this quarter) or "all" (all
    time: short, a column is 18 cells wide)."""
    return quarter_name(today) if today is not None else _("all")


def header_content(column: PipelineColumn, config: Config, period: str | None = None) -> Content:
    """A column's title and totals; ``period`` ("Q4", "all time") follows the won and lost titles."""
    totals = {c: t for c, (t, _w) in column.by_currency.items()} or {config.currency: column.total}
    weighted = {c: w for c, (_t, w) in column.by_currency.items()} or {config.currency: column.weighted}
    title = stage_title(column.stage)
    if period and column.stage in ("won", "lost"):
        title = f"{title} · {period}"
    if len(totals) == 1:
        (currency,) = totals
        lines = [
            _("Σ {abbreviate} {currency}").format(abbreviate=abbreviate(totals[currency]), currency=currency),
            _("wt {abbreviate}").format(abbreviate=abbreviate(weighted[currency])),
        ]
    else:
        lines = [
            _("Σ {amounts}").format(amounts=per_currency(totals, config.currency)),
            _("wt {amounts}").format(amounts=per_currency(weighted, config.currency)),
        ]
    return Content("\n").join([Content.assemble((title, "bold"), f" {column.count}"), *map(Content, lines)])


def forecast_content(rows: list[ForecastRow], config: Config, expanded: bool = False) -> Content:
    if not rows:
        return Content(
            _("Forecast ({currency}, weighted): no open opportunities.").format(currency=config.currency)
        )
    if not expanded:
        parts = " · ".join(f"{r.period} {abbreviate(r.weighted)}" for r in rows)
        return Content(
            _("Forecast ({currency}, weighted): {parts}").format(currency=config.currency, parts=parts)
        )
    lines = [
        Content(
            _("Forecast of open opportunities by expected close month ({currency})  f: fold").format(
                currency=config.currency
            )
        )
    ]
    for r in rows:
        lines.append(
            Content(
                _("  {period:<8} {count:>5} open   Σ {abbreviate:>5}   weighted {abbreviate2:>5}").format(
                    period=r.period,
                    count=r.count,
                    abbreviate=abbreviate(r.amount),
                    abbreviate2=abbreviate(r.weighted),
                )
            )
        )
    return Content("\n").join(lines)


class PipelineLoaded(Message):
    def __init__(
        self,
        columns: list[PipelineColumn],
        cards: dict[str, list[CardSpec]],
        forecast_rows: list[ForecastRow],
        stale: int,
        today: date,
        select: str | None = None,
    ) -> None:
        super().__init__()
        self.select = select  # the card this load was asked to focus (a stale load keeps its own)
        self.columns = columns
        self.cards = cards  # built in the worker: Content is plain data
        self.stale = stale
        self.forecast_rows = forecast_rows
        self.today = today


class PipelineScreen(KeptStylesScreen):
    """Stages lead → need → proposal → negotiation → won | lost."""

    BINDINGS = [
        Binding(
            "less_than_sign,shift+left", "shift(-1)", _("◂ Stage"), key_display="<", id="pipeline.move_left"
        ),
        Binding(
            "greater_than_sign,shift+right",
            "shift(1)",
            _("Stage ▸"),
            key_display=">",
            id="pipeline.move_right",
        ),
        Binding("m", "move", _("Move to…"), id="pipeline.move"),
        Binding("e", "edit", _("Edit"), id="pipeline.edit"),
        Binding("f", "toggle_forecast", _("Forecast"), id="pipeline.forecast"),
        Binding(
            "a",
            "toggle_closed_period",
            _("Quarter/all"),
            tooltip=_("Won and lost columns: this quarter or all time"),
            id="pipeline.closed_period",
        ),
        Binding("r", "refresh", _("Refresh"), id="pipeline.refresh"),
    ]

    DEFAULT_CSS = """
    PipelineScreen { layout: vertical; }
    PipelineScreen Board { height: 1fr; }
    PipelineScreen #card-detail {
        height: 1;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    PipelineScreen #forecast {
        height: auto;
        max-height: 12;
        padding: 0 1;
        background: $panel;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
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
        self._loaded = False
        self._forecast_expanded = False
        self._all_time = False  # won and lost columns: this quarter's closes unless the rep asks
        self._forecast_rows: list[ForecastRow] = []
        self._cards: dict[str, Card] = {}
        self._today: date = clock_today()

    def compose(self) -> ComposeResult:
        yield ScreenTitle(Content(_("Pipeline · loading…")), id="title")
        yield Board(STAGES, min_column_width=MIN_COLUMN_WIDTH, id="board")
        yield Static(Content(""), id="card-detail")
        yield Static(Content(""), id="forecast")
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
        if select is None:
            current = self.board.selection()
            select = current[1] if current else None
        self._load(select)

    @work(thread=True, exclusive=True, group="pipeline")
    def _load(self, select: str | None) -> None:
        worker = get_current_worker()
        today = clock_today()
        try:
            with self.store.reading() as conn:
                columns = pipeline_board(
                    conn,
                    self.config,
                    today,
                    limit_per_stage=self.limit,
                    closed_since=None if self._all_time else quarter_start(today),
                )
                rows = forecast(open_forecast_inputs(conn), by="month")
                stale = stale_count(conn, self.config, today)
            cards = {
                column.stage: [
                    CardSpec(f"o{card.opportunity_id}", card_content(card, today, self.config))
                    for card in column.cards
                ]
                for column in columns
            }
        except Exception as exc:  # a locked or broken database: say so, keep the app running
            if not worker.is_cancelled:
                self.post_message(BoardLoadFailed(str(exc)))
            return
        if not worker.is_cancelled:
            self.post_message(PipelineLoaded(columns, cards, rows, stale, today, select))

    def on_board_load_failed(self, message: BoardLoadFailed) -> None:
        self.query_one("#title", ScreenTitle).update(
            Content(_("Pipeline · could not load: {reason} (r retries)").format(reason=message.reason))
        )

    def on_data_changed(self, _message: DataChanged) -> None:
        """The app shell's ``DataChanged`` (a form saved elsewhere, an undo ran)."""
        if stale(self):
            self.reload()

    def on_pipeline_loaded(self, message: PipelineLoaded) -> None:
        board = self.board
        # Each load carries the card it was asked to focus: a load started before a move (the
        # picker closing resumes the screen) and finishing after it must not steal the focus.
        select = message.select
        focused = board.current_column
        focused_key = focused.key if focused else None
        keep = {c.key: c.cards.highlighted for c in board.query(BoardColumn)}
        self._cards = {}
        period = closed_period(None if self._all_time else message.today)
        for column in message.columns:
            widget = board.column(column.stage)
            widget.set_header(header_content(column, self.config, period))
            for card in column.cards:
                self._cards[f"o{card.opportunity_id}"] = card
            widget.set_cards(
                message.cards[column.stage],
                more=column.more,
                select=select,
                keep_index=keep.get(column.stage),
            )
        open_cols = [c for c in message.columns if c.stage in OPEN_STAGES]
        open_count = sum(c.count for c in open_cols)
        open_weighted: dict[str, Decimal] = {}
        for c in open_cols:  # one figure per currency, never converted (issue #15)
            for currency, (_total, weighted) in c.by_currency.items():
                open_weighted[currency] = open_weighted.get(currency, Decimal(0)) + weighted
        self.query_one("#title", ScreenTitle).update(
            Content(
                _(
                    "Pipeline · {open_count} open · weighted {amounts} · {stale} stale (no follow-up > {stale_days}d)"
                ).format(
                    open_count=open_count,
                    amounts=per_currency(open_weighted, self.config.currency),
                    stale=message.stale,
                    stale_days=self.config.stale_days,
                )
            )
        )
        self._forecast_rows = message.forecast_rows
        self._today = message.today
        self._show_forecast()
        if not (select and board.focus_card(select)):
            if focused_key:
                board.focus_column(focused_key)
            elif not self._loaded:
                first = next((c.stage for c in message.columns if c.cards), STAGES[0])
                board.focus_column(first)
        self._loaded = True
        self._show_detail()

    def _show_detail(self) -> None:
        selected = self._selected()
        self.query_one("#card-detail", Static).update(
            detail_content(selected[1], self._today, self.config) if selected else Content("")
        )

    def on_option_list_option_highlighted(self, _event: OptionList.OptionHighlighted) -> None:
        self.call_after_refresh(self._show_detail)

    def on_descendant_focus(self, _event: object) -> None:
        self.call_after_refresh(self._show_detail)

    def _show_forecast(self) -> None:
        self.query_one("#forecast", Static).update(
            forecast_content(self._forecast_rows, self.config, self._forecast_expanded)
        )

    # --- actions --------------------------------------------------------------------------

    def _selected(self) -> tuple[str, Card] | None:
        selection = self.board.selection()
        if selection is None or selection[1] not in self._cards:
            return None
        return selection[0], self._cards[selection[1]]

    def action_refresh(self) -> None:
        self.reload()

    def action_toggle_closed_period(self) -> None:
        """Won and lost columns: this quarter's closes (the default) or every close."""
        self._all_time = not self._all_time
        said = (
            _("Won and lost columns: all time.")
            if self._all_time
            else _("Won and lost columns: this quarter ({quarter}).").format(
                quarter=quarter_name(clock_today())
            )
        )
        self.notify(said, markup=False)
        self.reload()

    def action_toggle_forecast(self) -> None:
        self._forecast_expanded = not self._forecast_expanded
        self._show_forecast()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        card = self._cards.get(event.option.id or "")
        if isinstance(event.option_list, BoardList) and card is not None:
            event.stop()
            self.app.post_message(OpenCustomer(card.customer_id))

    def action_shift(self, step: int) -> None:
        selected = self._selected()
        if selected is None:
            self.notify(toasts.pick_first(_("an opportunity card")), severity="warning")
            return
        stage, _card = selected
        index = STAGES.index(stage) + step
        if not 0 <= index < len(STAGES):
            self.notify(
                _("{stage_title} is already the {value} column.").format(
                    stage_title=stage_title(stage), value="first" if step < 0 else "last"
                )
            )
            return
        self.move_to(STAGES[index])

    def action_edit(self) -> None:
        selected = self._selected()
        if selected is None:
            self.notify(toasts.pick_first(_("an opportunity card")), severity="warning")
            return
        _stage, card = selected
        key = f"o{card.opportunity_id}"
        try:
            form = OpportunityForm(
                self.store, self.config, card.customer_id, opportunity_id=card.opportunity_id
            )
        except StoreError as exc:
            self.notify(_("Cannot edit: {exc}").format(exc=exc), severity="error", markup=False)
            self.reload()
            return

        def done(saved: object) -> None:
            if saved:
                self.notify(_("Saved {plain}.").format(plain=user_text(card.name).plain), markup=False)
                self.reload(select=key)
                announce_change(self.app)

        self.app.push_screen(form, done)

    def action_move(self) -> None:
        selected = self._selected()
        if selected is None:
            self.notify(toasts.pick_first(_("an opportunity card")), severity="warning")
            return
        stage, card = selected
        keeps = card.probability_set and stage in OPEN_STAGES
        choices = [
            (
                s,
                _("{stage} (keeps {p}%)").format(stage=stage_title(s), p=card.probability)
                if keeps and s in OPEN_STAGES
                else f"{stage_title(s)} ({self.config.stage_probability[s]}%)",
                str(i),
            )
            for i, s in enumerate(STAGES, 1)
        ]
        if keeps:
            # the same open stages at their default probability: the rep's probability let go
            choices += [
                (
                    s + STAGE_DEFAULT,
                    _("{stage} at {p}% (stage default)").format(
                        stage=stage_title(s), p=self.config.stage_probability[s]
                    ),
                    letter,
                )
                for s, letter in zip(OPEN_STAGES, "abcd", strict=False)
                if s != stage
            ]
        self.app.push_screen(
            TargetPicker(
                Content.assemble(_("Move "), user_text(card.name).stylize("bold"), _(" to…")),
                choices,
                current=stage,
            ),
            lambda target: self.move_to(target) if target else None,
        )

    def move_to(self, target: str) -> None:
        selected = self._selected()
        if selected is None:
            return
        stage, card = selected
        stage_default = target.endswith(STAGE_DEFAULT)
        target = target.removesuffix(STAGE_DEFAULT)
        if target == stage:
            return
        key = f"o{card.opportunity_id}"
        if target == "lost":

            def done(saved: bool | None) -> None:
                if saved:
                    self.notify(
                        _("Marked as lost: {plain}.").format(plain=user_text(card.name).plain), markup=False
                    )
                    self.reload(select=key)
                    announce_change(self.app)

            self.app.push_screen(StageMoveModal(self.store, self.config, card.opportunity_id, target), done)
            return
        from tuicrm.ui.background import write_in_background

        def move() -> str:
            return apply_move(
                self.store, self.config, card.opportunity_id, target, stage_default=stage_default
            )

        def moved(_from_stage: str) -> None:
            self.notify(
                _("Moved {plain}: {stage} → {target}.").format(
                    plain=user_text(card.name).plain, stage=stage, target=target
                ),
                markup=False,
            )
            self.reload(select=key)
            announce_change(self.app)
            if target == "won":
                from tuicrm.ui.widgets.receivable_form import offer_receivable

                offer_receivable(self, self.store, self.config, card.opportunity_id)

        def refused(exc: StoreError) -> None:  # a busy database included: one sentence, keep running
            self.notify(_("Not moved: {exc}").format(exc=exc), severity="error", markup=False)

        write_in_background(self, move, moved, refused)
