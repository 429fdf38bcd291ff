"""Full collections wait for the rep's pause (issue #20): the policy, on a fake clock and counts."""

from __future__ import annotations

import gc

import pytest

from tuicrm.ui import idle_gc
from tuicrm.ui.idle_gc import CPYTHON_FULL, DEFERRED_FULL, IDLE_SECONDS, IdleCollector


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def collector(monkeypatch):
    pending = {"young": 0}
    collected: list[int] = []
    monkeypatch.setattr(idle_gc.gc, "get_count", lambda: (0, 0, pending["young"]))
    monkeypatch.setattr(idle_gc.gc, "collect", lambda *a: collected.append(1) or 0)
    clock = Clock()
    thresholds = gc.get_threshold()
    c = IdleCollector(clock)
    c.start()
    yield c, clock, pending, collected
    c.stop()
    assert gc.get_threshold() == thresholds  # put back as it was


@pytest.mark.parametrize(
    ("pending_young", "idle_for", "runs"),
    [
        (CPYTHON_FULL, IDLE_SECONDS, True),  # due, and the rep paused: now
        (CPYTHON_FULL + 5, IDLE_SECONDS * 3, True),
        (CPYTHON_FULL, IDLE_SECONDS / 2, False),  # typing: later
        (CPYTHON_FULL - 1, IDLE_SECONDS * 3, False),  # CPython would not have collected yet
        (0, 60.0, False),
    ],
)
def test_a_full_collection_runs_only_when_due_and_idle(collector, pending_young, idle_for, runs):
    c, clock, pending, collected = collector
    assert gc.get_threshold()[2] == DEFERRED_FULL
    pending["young"] = pending_young
    c.input_seen()
    clock.now += idle_for
    assert c.tick() is runs
    assert (len(collected), c.collections) == ((1, 1) if runs else (0, 0))


def test_a_read_in_flight_puts_it_off(monkeypatch):
    """The rep waits for a screen's data: not a pause, whatever the keyboard says."""
    monkeypatch.setattr(idle_gc.gc, "get_count", lambda: (0, 0, CPYTHON_FULL))
    collected: list[int] = []
    monkeypatch.setattr(idle_gc.gc, "collect", lambda *a: collected.append(1) or 0)
    reading = {"now": True}
    clock = Clock()
    c = IdleCollector(clock, busy=lambda: reading["now"])
    c.start()
    try:
        clock.now += IDLE_SECONDS * 5
        assert c.tick() is False and collected == []
        reading["now"] = False
        assert c.tick() is True and collected == [1]
    finally:
        c.stop()


def test_a_key_puts_it_off_again(collector):
    c, clock, pending, collected = collector
    pending["young"] = CPYTHON_FULL
    clock.now += IDLE_SECONDS * 2
    c.input_seen()
    assert c.tick() is False and collected == []
    clock.now += IDLE_SECONDS
    assert c.tick() is True and collected == [1]


def test_not_started_it_never_collects(monkeypatch):
    monkeypatch.setattr(idle_gc.gc, "get_count", lambda: (0, 0, 99))
    clock = Clock()
    c = IdleCollector(clock)
    clock.now += 60
    assert c.tick() is False


async def test_the_app_sees_the_reps_keys(tmp_path):
    """Every key reaches the collector (so a full collection never lands mid-typing); a test's
    app (its store opened by the test) leaves CPython's thresholds alone."""
    from tuicrm.config import DEFAULT
    from tuicrm.store import Store
    from tuicrm.ui.app import make_app

    thresholds = gc.get_threshold()
    app = make_app(Store.open(str(tmp_path / "t.db")), DEFAULT)
    async with app.run_test(size=(80, 24)) as pilot:
        before = app.idle_collector.last_input
        await pilot.press("down")
        assert app.idle_collector.last_input > before
        assert gc.get_threshold() == thresholds
