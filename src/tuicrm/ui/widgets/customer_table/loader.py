"""The customer list's window loader: plain Python (no Textual), so it is tested on its own.

It reads windows of rows (and the count) in a small pool of reader threads, waits a short
while for a read the user is waiting on, and caches counts of the searches that are costly
to count. The widget (``table.py``) keeps the window bookkeeping and runs the deliveries,
recounts and the read-ahead in its Textual workers, calling the blocking methods here.

Timing (tuned; keep it): a window the user is waiting for (a search keystroke, a scroll past the
loaded rows) is read in a reader thread while the UI thread waits for it up to ``SYNC_BUDGET``,
so a quick read paints with the keystroke in one frame. A slower read goes on where it is
(nothing is read twice) and its rows come later through the returned ``Future``. (Without the
wait the echo would paint first, and Textual holds the next frame back 17-33 ms after it.)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as WaitTimeout
from dataclasses import dataclass
from typing import Any

from tuicrm.query.customers import count_customers, count_texts, list_window
from tuicrm.query.filters import CustomerFilter

SYNC_BUDGET = 0.025  # seconds
READER_THREADS = 2
WINDOW_MIN = 120
NO_FILTER = CustomerFilter()
# The first key of most searches is one letter or digit, and counting the customers whose text
# holds it scans all of it (~20-40 ms at 100 000). So does the second digit of a phone number
# (two digits start ~10 indexed trigrams: ~30 000 matches at 100 000, 20-25 ms to count). Those
# counts are read ahead after the first load (~2.7 s of SQLite at 100 000, off the UI thread) and
# reused: the rows come at once with the known count, and a recount behind them (another program
# may have written since) corrects the count if it changed.
COUNT_AHEAD = tuple("abcdefghijklmnopqrstuvwxyz0123456789") + tuple(f"{n:02d}" for n in range(100))

Rows = list[Any]  # tuicrm.query.search.CustomerRow rows
WindowResult = tuple["int | None", Rows]  # (count, or None when not counted; rows)
ReadWindow = Callable[[CustomerFilter, str, bool, int, int, bool, "int | None"], WindowResult]
Count = Callable[[CustomerFilter], int]
CountTexts = Callable[[tuple[str, ...]], dict[str, int]]


@dataclass(frozen=True)
class WindowRequest:
    """One window to read: ``limit`` rows from ``offset`` of the filtered, sorted list."""

    filter: CustomerFilter
    sort: str
    descending: bool
    offset: int
    limit: int
    count: bool  # also count the rows (a new query); False when scrolling
    known_total: int | None = None  # the count from before, when it is assumed


@dataclass(frozen=True)
class Loaded:
    """A window read within the wait: paint it now."""

    total: int | None
    rows: Rows


def count_key(f: CustomerFilter) -> str | None:
    """The count-cache key of a filter that is one character or two digits of text and nothing else."""
    text = f.text.strip().lower()
    short = len(text) == 1 or (len(text) == 2 and text.isascii() and text.isdigit())
    return text if short and f.replace(text="") == NO_FILTER else None


class WindowLoader:
    """Reads windows in reader threads; remembers the counts of short searches.

    ``read_window(filter, sort, descending, offset, limit, count, known_total)`` and
    ``count(filter)`` do the reading (in a reader thread, or the caller's worker thread);
    ``count_texts(texts)`` counts several searches in one read (default: ``count`` each).
    """

    def __init__(
        self,
        read_window: ReadWindow,
        count: Count,
        count_texts: CountTexts | None = None,
        *,
        threads: int = READER_THREADS,
    ) -> None:
        self.read_window = read_window
        self.count = count
        self.count_texts: CountTexts = count_texts or (
            lambda texts: {text: self.count(NO_FILTER.replace(text=text)) for text in texts}
        )
        self.threads = threads
        self._pool: ThreadPoolExecutor | None = None
        self._pending: Future[WindowResult] | None = None  # the last read asked for
        self._closed = False
        self._counts: dict[str, int] = {}  # one character or two digits of text -> matches
        self.counted_ahead = False  # the read-ahead has been started

    # -- reading --------------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def started(self) -> bool:
        """The reader threads exist (a read was asked for since the loader opened)."""
        return self._pool is not None

    def submit(self, request: WindowRequest) -> Future[WindowResult] | None:
        """Start reading ``request`` in a reader thread (None once closed).

        The read asked for before is cancelled if it has not started (a running read ends as it is).
        """
        self.cancel_pending()
        if self._closed:
            return None
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="customer-list")
        r = request
        future = self._pending = self._pool.submit(
            self.read_window, r.filter, r.sort, r.descending, r.offset, r.limit, r.count, r.known_total
        )
        return future

    def load(self, request: WindowRequest, wait: bool) -> Loaded | Future[WindowResult] | None:
        """Read ``request``; with ``wait``, wait up to ``SYNC_BUDGET`` for it.

        ``Loaded``: the rows are in. A ``Future``: they come when it finishes (nobody waited, or
        the read outlasted the wait). None: the loader is closed. A failed read raises here when
        it failed within the wait, else through the ``Future``.
        """
        future = self.submit(request)
        if future is None or not wait:
            return future
        try:
            total, rows = future.result(timeout=SYNC_BUDGET)
        except WaitTimeout:
            return future
        return Loaded(total, rows)

    def cancel_pending(self) -> None:
        if self._pending is not None:
            self._pending.cancel()  # superseded: dropped if it has not started
            self._pending = None

    def close(self) -> None:
        """No more reads; the reader threads stop once their current read is done."""
        self._closed = True
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    # -- the count cache ------------------------------------------------------------------------

    @property
    def counts(self) -> Mapping[str, int]:
        """The cached counts (one character or two digits of text -> matching customers)."""
        return self._counts

    def known_count(self, f: CustomerFilter) -> int | None:
        key = count_key(f)
        return self._counts.get(key) if key else None

    def remember_count(self, f: CustomerFilter, total: int) -> None:
        key = count_key(f)
        if key:
            self._counts[key] = total

    def count_ahead(self) -> dict[str, int]:
        """Count every ``COUNT_AHEAD`` search (blocking: run it in a worker thread)."""
        return dict(self.count_texts(COUNT_AHEAD))

    def add_counted_ahead(self, counts: Mapping[str, int]) -> None:
        """Take the read-ahead's counts; a count remembered since is newer and stays."""
        for char, n in counts.items():
            self._counts.setdefault(char, n)


def store_loader(store: Any) -> WindowLoader:
    """A loader reading ``store`` (a ``Store`` or ``DeferredStore``) on its own connections."""

    def read_window(
        f: CustomerFilter,
        sort: str,
        desc: bool,
        offset: int,
        limit: int,
        count: bool,
        known_total: int | None = None,
    ) -> WindowResult:
        with store.reading() as conn:
            return list_window(
                conn,
                f,
                sort=sort,
                descending=desc,
                offset=offset,
                limit=limit,
                count=count,
                known_total=known_total,
            )

    def count_matches(f: CustomerFilter) -> int:
        with store.reading() as conn:
            return count_customers(conn, f)

    def count_all(texts: tuple[str, ...]) -> dict[str, int]:
        with store.reading() as conn:  # one connection, one snapshot for all of them
            return count_texts(conn, texts)

    return WindowLoader(read_window, count_matches, count_all)
