"""Column/card widgets shared by the tier board and the pipeline, and small display helpers.

A board is a row of columns; each column is a header plus a ``BoardList`` (an
``OptionList``: only the visible cards are rendered, so a column of a few hundred
cards stays cheap). Cards are ``Content`` built from user text with
``user_text`` — never markup — so a customer called ``[@click=app.quit]x[/]``
is shown literally.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalScroll, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tuicrm.domain.privacy import sanitize_line
from tuicrm.i18n import _
from tuicrm.ui.messages import DataWritten
from tuicrm.ui.textual_compat import LinesKeptOptionList

# --- display helpers ------------------------------------------------------------------------


def user_text(value: object) -> Content:
    """Database text for a widget: control characters removed, one line, never parsed as markup."""
    return Content(sanitize_line("" if value is None else str(value)))


_UNITS = ((Decimal(10) ** 12, "T"), (Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M"), (Decimal(10) ** 3, "k"))


def abbreviate(amount: Decimal | int | float | None) -> str:
    """A short money figure for narrow columns: 950, 1.5k, 350k, 1.2M, 12M, 3.4B."""
    value = Decimal(str(amount or 0))
    sign = "-" if value < 0 else ""
    value = abs(value)
    for index, (unit, suffix) in enumerate(_UNITS):
        if value >= unit:
            scaled = value / unit
            text = _short(scaled)
            if Decimal(text) >= 1000 and index > 0:  # 999.96k rounds to 1000k: say 1M instead
                bigger, bigger_suffix = _UNITS[index - 1]
                return sign + _short(value / bigger) + bigger_suffix
            return sign + text + suffix
    rounded = value.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    if rounded >= 1000:
        return sign + "1k"
    return sign + str(rounded)


def _short(scaled: Decimal) -> str:
    if scaled < 10:
        text = str(scaled.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
        if text == "10.0":
            return "10"
        return text[:-2] if text.endswith(".0") else text
    return str(scaled.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


class BoardLoadFailed(Message):
    """A screen's loading worker failed; the handler says why in one line (``r`` retries)."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


def announce_change(app: App[object]) -> None:
    """Tell the app shell a write happened (it posts ``DataChanged`` so other screens reload)."""
    app.post_message(DataWritten())


# --- widgets --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CardSpec:
    """One card: an option id (unique on the board) and what it shows."""

    id: str
    prompt: Content


def drawn(content: Content) -> tuple[str, tuple[object, ...]]:
    """What ``content`` looks like, to compare (``Content ==`` compares the text only)."""
    return content.plain, tuple(content.spans)


class ScreenTitle(Static):
    """A one-line title bar at the top of a board or timeline screen."""

    DEFAULT_CSS = """
    ScreenTitle {
        dock: top;
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $foreground;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """


PAGE = 30  # cards built at once: three screens of a 120x40 column
NEAR_END = 10  # the next page is built when the highlight comes this close to the last card


class BoardList(LinesKeptOptionList):
    """The cards of one column. ``j``/``k`` as well as the arrows move between cards.

    Cards are built a page at a time (issue #20; like ``PagedList``): a column holds up to 200
    cards and measuring each one's height was most of a board's load. The column keeps them all
    (``BoardColumn.card_ids``); moving or scrolling near the end builds the next page.
    """

    BINDINGS = [
        Binding("enter", "select", _("Open"), tooltip=_("Open the customer")),
        Binding("j", "cursor_down", _("Down"), show=False),
        Binding("k", "cursor_up", _("Up"), show=False),
    ]

    DEFAULT_CSS = """
    BoardList {
        height: 1fr;
        max-height: 100%;
        border: none;
        padding: 0;
        background: $surface;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        scrollbar-size-vertical: 1;
        & > .option-list--option { padding: 0; }
        &:focus { border: none; }
        &:nocolor:focus > .option-list--option-highlighted { background: $foreground 85%; color: $background; }
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(markup=False, **kwargs)
        self.cards: list[CardSpec] = []  # every card of the column, built or not
        self.more = 0  # cards the column has and the board did not load ("+N more")
        self.built = 0  # cards built as options so far (cards[:built])

    def show(self, cards: list[CardSpec], more: int, index: int = 0) -> None:
        """Replace the cards; build them up to ``index`` and a page more."""
        self.cards, self.more = cards, more
        self.built = min(len(cards), max(index, 0) + PAGE)
        options: list[Option | None] = []
        for card in cards[: self.built]:
            options.append(Option(card.prompt, id=card.id))
            options.append(None)  # a rule between cards
        if not cards:
            options.append(Option(Content(_("(none)")), disabled=True, id="-none"))
        options.extend(self._tail())
        self.set_options(options)

    def _tail(self) -> list[Option | None]:
        """The "+N more not shown" line, once every loaded card is built."""
        if not self.more or self.built < len(self.cards):
            return []
        text = _("+{more} more not shown").format(more=self.more)
        return [Option(Content(text), disabled=True, id="-more")]

    def build_to(self, index: int) -> None:
        """Build the cards up to ``index`` (and a page more), if they are not yet."""
        if index < self.built - NEAR_END or self.built >= len(self.cards):
            return
        end = min(len(self.cards), max(index, 0) + PAGE)
        options: list[Option | None] = []
        for card in self.cards[self.built : end]:
            options.append(Option(card.prompt, id=card.id))
            options.append(None)
        self.built = end
        options.extend(self._tail())
        self.add_options(options)

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        if highlighted is not None:
            self.build_to(highlighted)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if new_value >= self.max_scroll_y - self.size.height:  # the wheel near the end
            self.build_to(self.built)

    def action_last(self) -> None:
        """``end`` goes to the very last card: build them all first."""
        self.build_to(len(self.cards))
        super().action_last()


class BoardColumn(Vertical):
    """A column: a header (count, totals) above its cards."""

    DEFAULT_CSS = """
    BoardColumn {
        width: 1fr;
        height: 1fr;
        border: round $panel-lighten-2;
        padding: 0;
    }
    BoardColumn:focus-within {
        border: double $accent;
    }
    BoardColumn > .board-header {
        height: auto;
        padding: 0 0 0 1;
        background: $panel;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    BoardColumn:focus-within > .board-header {
        background: $accent 40%;
        text-style: bold;
    }
    """

    def __init__(self, key: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.key = key
        self._header: object = None  # drawn(header) last shown
        self._shown: object = None  # drawn() of the cards last set, and "more"

    def compose(self) -> ComposeResult:
        yield Static(Content(self.key), classes="board-header")
        yield BoardList(id=f"list-{self.key}")

    @property
    def cards(self) -> BoardList:
        return self.query_one(BoardList)

    def set_header(self, header: Content) -> None:
        if drawn(header) != self._header:  # the same header again: no relayout
            self._header = drawn(header)
            self.query_one(".board-header", Static).update(header)

    def set_cards(
        self,
        cards: Iterable[CardSpec],
        more: int = 0,
        select: str | None = None,
        keep_index: int | None = None,
    ) -> None:
        """Replace the cards; keep a card highlighted (by id, else by position).

        A reload that brings the same cards (a write elsewhere made the screen stale) keeps the
        options as they are: no rebuild, no relayout."""
        specs = list(cards)
        ids = [card.id for card in specs]
        index = 0
        if select in ids:
            index = ids.index(select)
        elif keep_index is not None:
            index = min(max(0, keep_index), len(ids) - 1)
        board_list = self.cards
        shown = ([(card.id, drawn(card.prompt)) for card in specs], more)
        if shown != self._shown:
            self._shown = shown
            board_list.show(specs, more, index)
        if ids:
            self.highlight(index)

    def highlight(self, index: int) -> None:
        """Highlight the card at ``index`` (built first if it is not yet)."""
        board_list = self.cards
        board_list.build_to(index)
        board_list.highlighted = index

    def card_ids(self) -> list[str]:
        return [card.id for card in self.cards.cards]

    @property
    def selected_id(self) -> str | None:
        option = self.cards.highlighted_option
        if option is None or option.disabled or not option.id or option.id.startswith("-"):
            return None
        return option.id


class Board(HorizontalScroll):
    """A row of columns. ``h``/``l`` and the arrows move between columns, keeping the row."""

    BINDINGS = [
        Binding("h,left", "column(-1)", _("Column"), show=False, id="board.column_left"),
        Binding("l,right", "column(1)", _("Column"), show=False, id="board.column_right"),
    ]

    DEFAULT_CSS = """
    Board {
        height: 1fr;
        scrollbar-size-horizontal: 1;
    }
    """

    def __init__(self, keys: Iterable[str], min_column_width: int = 0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.keys = list(keys)
        self.min_column_width = min_column_width

    def compose(self) -> ComposeResult:
        for key in self.keys:
            yield BoardColumn(key, id=f"col-{key}")

    _fits = True  # the columns share the width (their CSS), else each has the minimum

    def on_resize(self) -> None:
        # Share the width; below the minimum, columns keep the minimum and the board scrolls sideways.
        # Only a change is applied: setting a width lays the board out again (a first visit
        # did it for nothing, after its first frame).
        if not self.min_column_width or not self.keys:
            return
        fits = self.size.width // len(self.keys) >= self.min_column_width
        if fits == self._fits:
            return
        self._fits = fits
        for column in self.query(BoardColumn):
            column.styles.width = "1fr" if fits else self.min_column_width

    def column(self, key: str) -> BoardColumn:
        return self.query_one(f"#col-{key}", BoardColumn)

    @property
    def current_column(self) -> BoardColumn | None:
        focused = self.screen.focused
        for column in self.query(BoardColumn):
            if focused is not None and focused is column.cards:
                return column
        return None

    def selection(self) -> tuple[str, str] | None:
        """(column key, card id) of the highlighted card in the focused column."""
        column = self.current_column
        if column is None or column.selected_id is None:
            return None
        return column.key, column.selected_id

    def focus_column(self, key: str) -> None:
        column = self.column(key)
        # Now, not after the next refresh (``focus()``): a reload landing meanwhile reads the focused
        # column to keep it, and must see this one.
        self.screen.set_focus(column.cards)
        self.call_after_refresh(column.scroll_visible, animate=False)

    def find(self, card_id: str) -> str | None:
        for column in self.query(BoardColumn):
            if card_id in column.card_ids():
                return column.key
        return None

    def focus_card(self, card_id: str) -> bool:
        key = self.find(card_id)
        if key is None:
            return False
        column = self.column(key)
        column.highlight(column.card_ids().index(card_id))
        self.focus_column(key)
        return True

    def action_column(self, step: int) -> None:
        current = self.current_column
        index = self.keys.index(current.key) if current else 0
        target = min(max(0, index + step), len(self.keys) - 1)
        if current is not None and target == index:
            return
        row = current.cards.highlighted if current else 0
        column = self.column(self.keys[target])
        ids = column.card_ids()
        if ids:
            column.highlight(min(row or 0, len(ids) - 1))
        self.focus_column(column.key)


class TargetPicker(ModalScreen[str | None]):
    """Pick where a card goes: a short list, each choice with its own key."""

    BINDINGS = [Binding("escape", "cancel", _("Cancel"))]

    DEFAULT_CSS = """
    TargetPicker {
        align: center middle;
    }
    TargetPicker > Vertical {
        width: 44;
        max-width: 95%;
        height: auto;
        max-height: 90%;
        border: thick $accent;
        background: $surface;
        padding: 0 1;
    }
    TargetPicker .picker-title { text-style: bold; text-wrap: nowrap; text-overflow: ellipsis; }
    TargetPicker .picker-hint { color: $text-muted; }
    TargetPicker OptionList { height: auto; border: none; padding: 0; }
    TargetPicker OptionList:focus { border: none; }
    TargetPicker OptionList:nocolor:focus > .option-list--option-highlighted {
        background: $foreground 85%;
        color: $background;
    }
    """

    def __init__(
        self, title: Content, choices: list[tuple[str, str, str]], current: str | None = None
    ) -> None:
        """``choices``: (key, label, hotkey) — pressing the hotkey picks the choice."""
        super().__init__()
        self.title_content = title
        self.choices = choices
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_content, classes="picker-title")
            options = []
            for key, label, hotkey in self.choices:
                mark = _("  (now)") if key == self.current else ""
                options.append(
                    Option(Content(f"{hotkey}  {label}{mark}"), id=key, disabled=key == self.current)
                )
            yield OptionList(*options, markup=False)
            yield Static(Content(_("key or enter picks · esc cancels")), classes="picker-hint")

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        option_list.action_first()
        option_list.focus()

    def on_key(self, event: events.Key) -> None:
        for key, _label, hotkey in self.choices:
            if event.character and event.character.lower() == hotkey.lower() and key != self.current:
                event.stop()
                self.dismiss(key)
                return

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
