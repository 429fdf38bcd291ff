"""The customer list's window loader (``ui/widgets/customer_table/loader.py``), without Textual."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from concurrent.futures import Future

import pytest

from tuicrm.query.filters import CustomerFilter as ListFilter
from tuicrm.ui.widgets.customer_table import loader as loader_module
from tuicrm.ui.widgets.customer_table.loader import (
    COUNT_AHEAD,
    Loaded,
    WindowLoader,
    WindowRequest,
    count_key,
)

ROWS = [f"row {n}" for n in range(500)]


class FakeReads:
    """Reads from a list; ``gate`` holds every read until set."""

    def __init__(self) -> None:
        self.reads: list[tuple] = []
        self.counts: list[str] = []
        self.gate = threading.Event()
        self.gate.set()
        self.delay = 0.0

    def read_window(self, f, sort, desc, offset, limit, count, known_total):
        self.reads.append((f.text, offset, limit, count, known_total))
        self.gate.wait(5)
        time.sleep(self.delay)
        rows = [r for r in ROWS if f.text in r]
        return (len(rows) if count else None), rows[offset : offset + limit]

    def count(self, f):
        self.counts.append(f.text)
        return sum(1 for r in ROWS if f.text in r)


def request(text: str = "", offset: int = 0, limit: int = 10, count: bool = True) -> WindowRequest:
    return WindowRequest(ListFilter(text=text), "name", False, offset, limit, count)


@pytest.fixture
def reads():
    return FakeReads()


@pytest.fixture
def loader(reads):
    loader = WindowLoader(reads.read_window, reads.count)
    yield loader
    reads.gate.set()
    loader.close()


def test_the_loader_imports_no_textual():
    code = (
        "import sys, tuicrm.ui.widgets.customer_table.loader as m;"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('textual', 'sqlmodel', 'sqlalchemy'));"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_quick_read_is_waited_for(loader, reads):
    result = loader.load(request("row 1"), wait=True)
    assert isinstance(result, Loaded)
    assert result.total == 111 and result.rows[:2] == ["row 1", "row 10"]
    assert reads.reads == [("row 1", 0, 10, True, None)]


def test_without_wait_the_rows_come_through_a_future(loader):
    result = loader.load(request(offset=20, count=False), wait=False)
    assert isinstance(result, Future)
    total, rows = result.result(5)
    assert total is None and rows == ROWS[20:30]


def test_a_read_slower_than_the_budget_goes_on_and_is_read_once(loader, reads, monkeypatch):
    monkeypatch.setattr(loader_module, "SYNC_BUDGET", 0.01)
    reads.delay = 0.1
    start = time.monotonic()
    result = loader.load(request("row 2"), wait=True)
    assert time.monotonic() - start < 0.09  # did not wait for it
    assert isinstance(result, Future)
    assert result.result(5)[0] == 111
    assert len(reads.reads) == 1


def test_the_wait_is_25_ms():
    assert loader_module.SYNC_BUDGET == 0.025 and loader_module.READER_THREADS == 2


def test_a_failed_read_raises_within_the_wait(loader):
    def broken(*args):
        raise RuntimeError("disk I/O error")

    loader.read_window = broken
    with pytest.raises(RuntimeError, match="disk I/O error"):
        loader.load(request(), wait=True)


def test_a_newer_read_cancels_one_not_started(reads):
    loader = WindowLoader(reads.read_window, reads.count, threads=1)
    reads.gate.clear()
    first = loader.submit(request("a"))  # running (held)
    second = loader.submit(request("b"))  # queued behind it
    third = loader.submit(request("c"))  # cancels the queued one
    assert second is not None and second.cancelled()
    reads.gate.set()
    assert first is not None and third is not None
    first.result(5), third.result(5)
    assert [r[0] for r in reads.reads] == ["a", "c"]
    loader.close()


def test_a_closed_loader_reads_nothing(loader, reads):
    loader.load(request(), wait=True)
    assert loader.started
    loader.close()
    assert loader.closed and not loader.started
    assert loader.load(request(), wait=True) is None and loader.submit(request()) is None
    assert len(reads.reads) == 1


def test_count_keys_are_one_character_or_two_digits_and_nothing_else():
    assert count_key(ListFilter(text="O ")) == "o"
    assert count_key(ListFilter(text="13")) == "13"
    assert count_key(ListFilter(text="ab")) is None
    assert count_key(ListFilter(text="1a")) is None
    assert count_key(ListFilter(text="")) is None
    assert count_key(ListFilter(text="a", tier="A")) is None


def test_the_count_cache(loader, reads):
    f = ListFilter(text="7")
    assert loader.known_count(f) is None
    loader.remember_count(f, 5)
    assert loader.known_count(f) == 5 and loader.counts == {"7": 5}
    loader.remember_count(ListFilter(text="long text"), 9)  # not a short search: not kept
    assert loader.counts == {"7": 5}


def test_the_read_ahead_counts_every_short_search_and_keeps_newer_counts(loader, reads):
    loader.remember_count(ListFilter(text="7"), 999)  # a recount since the read-ahead began
    counts = loader.count_ahead()
    assert set(counts) == set(COUNT_AHEAD) and len(COUNT_AHEAD) == 36 + 100
    assert counts["7"] == sum(1 for r in ROWS if "7" in r)
    loader.add_counted_ahead(counts)
    assert loader.known_count(ListFilter(text="7")) == 999
    assert loader.known_count(ListFilter(text="42")) == sum(1 for r in ROWS if "42" in r)


def test_the_read_ahead_counts_in_one_read_when_it_can(reads):
    batches: list[int] = []

    def count_texts(texts):
        batches.append(len(texts))
        return {text: reads.count(ListFilter(text=text)) for text in texts}

    loader = WindowLoader(reads.read_window, reads.count, count_texts)
    loader.count_ahead()
    assert batches == [len(COUNT_AHEAD)]
