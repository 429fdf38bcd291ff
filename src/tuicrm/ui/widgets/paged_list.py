"""An ``OptionList`` that builds its options a page at a time (issue #20).

A screen may hold 20 000 rows (every open lead at 100 000 customers); building an option for each
(its prompt, then the list measuring every one) took seconds on each switch. ``PagedList.show``
builds the rows up to the highlighted one and a page more; moving near the end builds the next page.
The rows stay the screen's: option ``n`` is ``rows[n]``, so ``highlighted`` indexes them.
A screen that reads only the first rows passes ``total`` and ``fetch(offset, limit)``: the list
then reads the next rows into ``rows`` (a list) in a thread when the highlight comes within
``PREFETCH`` rows of the last one read, and on the spot if the rep gets there first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from textual.widgets import OptionList
from textual.widgets.option_list import Option

PAGE = 100  # options built at once: more than two screens of two-line rows
NEAR_END = 20  # the next page is built when the highlight comes this close to the last option
FETCH = 200  # rows read at once through ``fetch``
PREFETCH = 100  # the next rows are read in a thread when the highlight comes this close to the last

Fetch = Callable[[int, int], list[Any]]  # (offset, limit) → the rows read


class PagedList(OptionList):
    """``show(rows, make_option)`` instead of ``set_options``; the rest is ``OptionList``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._rows: Sequence[Any] = ()
        self._make: Callable[[Any], Option] = lambda row: Option(str(row))
        self._total = 0
        self._fetch: Fetch | None = None
        self._fetching = False  # a read in a thread is under way
        self.built = 0  # options built so far (rows[:built])

    def show(
        self,
        rows: Sequence[Any],
        make_option: Callable[[Any], Option],
        index: int = 0,
        *,
        total: int | None = None,
        fetch: Fetch | None = None,
    ) -> None:
        """Replace the options with the first rows' (up to ``index`` and a page more). ``total``
        and ``fetch``: ``rows`` is a list holding the first of ``total`` rows; ``fetch`` reads more."""
        self._rows, self._make = rows, make_option
        self._total = len(rows) if total is None else max(total, len(rows))
        self._fetch = fetch
        self.built = min(len(rows), max(index, 0) + PAGE)
        self.set_options(make_option(row) for row in rows[: self.built])

    def _read(self, limit: int) -> None:
        """Up to ``limit`` more rows from ``fetch`` into the rows (none left: stop reading)."""
        if self._fetch is None or len(self._rows) >= self._total:
            return
        more = self._fetch(len(self._rows), limit)
        if more:
            self._rows.extend(more)  # type: ignore[attr-defined]  # a list when fetch is given
        else:
            self._total = len(self._rows)

    def build_more(self) -> None:
        """The next page of options, if any rows are left."""
        if self.built + PAGE > len(self._rows):
            self._read(FETCH)
        if self.built >= len(self._rows):
            return
        end = min(len(self._rows), self.built + PAGE)
        self.add_options([self._make(row) for row in self._rows[self.built : end]])
        self.built = end

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        if highlighted is not None and highlighted >= self.built - NEAR_END:
            self.build_more()
        if highlighted is not None and highlighted >= len(self._rows) - PREFETCH:
            self._prefetch()

    def _prefetch(self) -> None:
        """The next rows read in a thread before the rep reaches them (a page read is tens of ms)."""
        if self._fetch is None or self._fetching or len(self._rows) >= self._total:
            return
        rows, fetch, offset = self._rows, self._fetch, len(self._rows)
        self._fetching = True

        def read() -> None:
            more = fetch(offset, FETCH)
            self.app.call_from_thread(self._fetched, rows, offset, more)

        self.run_worker(read, thread=True, group="paged-list-read")

    def _fetched(self, rows: Sequence[Any], offset: int, more: list[Any]) -> None:
        self._fetching = False
        if rows is not self._rows or len(rows) != offset:
            return  # shown again, or read on the spot meanwhile
        if more:
            self._rows.extend(more)  # type: ignore[attr-defined]  # a list when fetch is given
        else:
            self._total = len(self._rows)

    def action_last(self) -> None:
        """``end`` goes to the very last row: build them all first (what the rep asked for)."""
        self._read(self._total - len(self._rows))
        while self.built < len(self._rows):
            self.build_more()
        super().action_last()
