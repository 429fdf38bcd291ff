"""Under the customer list, while the search reaches notes too (``SearchInput.all_text``): the
customers whose notes, follow-ups or deals hold the search text, each with where it was found
(``follow-up 2026-11-03: “…sent the quote…”``). The list above keeps the name matches, which rank
first; enter here opens the customer."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tuicrm.i18n import _, ngettext
from tuicrm.ui import text as ut
from tuicrm.ui.messages import OpenCustomer
from tuicrm.ui.widgets.search_input import SearchInput

TYPE_CHECKING = False
if TYPE_CHECKING:  # the store imports SQLModel: not before the list's first paint
    from tuicrm.query.search_all import TextHit
    from tuicrm.store import Store

# Hits listed (the CLI's ``find --all --limit`` lists more).
HITS_SHOWN = 30


class SearchHits(OptionList):
    DEFAULT_CSS = """
    SearchHits { height: auto; max-height: 45%; border: round $secondary; padding: 0; display: none; }
    SearchHits.-on { display: block; }
    """

    def __init__(self, store: Store, source: SearchInput, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.store = store
        self.source = source
        self.text = ""
        self._reading = False  # a read is running: the next keystroke's waits for it

    def on_mount(self) -> None:
        self.watch(self.source, "value", self._text_changed, init=False)
        self.watch(self.source, "all_text", self._mode_changed, init=False)

    def _mode_changed(self, on: bool) -> None:
        self.set_class(on, "-on")
        self.clear_options()
        if on:
            self._search(self.source.value)

    def _text_changed(self, value: str) -> None:
        if self.source.all_text:
            self._search(value)

    def _search(self, text: str) -> None:
        from tuicrm.query.search_all import MIN_TEXT

        self.text = text.strip()
        if len(self.text) < MIN_TEXT:
            self.clear_options()
            self.border_title = _("Notes and follow-ups: type 2 or more characters")
            return
        self.border_title = _("Searching notes and follow-ups…")
        if not self._reading:
            self._reading = True
            self._read(self.text)

    @work(thread=True, group="search-hits")
    def _read(self, text: str) -> None:
        """One read at a time (a rare text scans every follow-up, ~0.2 s at 500 000): keystrokes
        typed meanwhile are not read one by one; the text as it is then is read next."""
        from tuicrm.query.search_all import find_everywhere

        try:
            with self.store.reading() as conn:
                hits: list[TextHit] | None = find_everywhere(conn, text, HITS_SHOWN, names=False)
        except Exception:
            hits = None  # the list's own read reports a database that cannot be read
        self.app.call_from_thread(self._show, text, hits)

    def _show(self, text: str, hits: list[TextHit] | None) -> None:
        from tuicrm.domain.snippets import hit_where

        self._reading = False
        if text != self.text:  # typed on meanwhile: read what is there now
            if self.source.all_text and self.text:
                self._search(self.source.value)
            return
        if hits is None:
            return
        self.clear_options()
        self.add_options(
            Option(
                Text.assemble(
                    (h.customer.code, "dim"),
                    " ",
                    ut.clean(h.customer.name),
                    " · ",
                    ut.clean(hit_where(h, text)),
                ),
                id=str(h.customer.id),
            )
            for h in hits
        )
        if hits:
            self.highlighted = 0  # enter opens the first without moving first
            self.border_title = ngettext(
                "Also in notes and follow-ups: {count} customer (tab, enter opens)",
                "Also in notes and follow-ups: {count} customers (tab, enter opens)",
                len(hits),
            ).format(count=len(hits))
        else:
            self.border_title = _("No note, follow-up or deal holds this text")

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.app.post_message(OpenCustomer(int(event.option.id)))
