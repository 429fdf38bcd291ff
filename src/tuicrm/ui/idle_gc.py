"""Full garbage collections while the rep is not typing (issue #20).

CPython collects its oldest generation when enough objects have survived the younger ones. In
the TUI that is every form opened and closed (its ~150 widgets live long enough to grow old, then
die together) and every reload of a screen: one or two full collections of 50-110 ms landed on
each "open the log form, save it" at 100 000 customers, at random keystrokes.

``IdleCollector`` moves them: the automatic full collection waits for ``DEFERRED_FULL`` young
collections instead of CPython's 10, and ``tick()`` (called every second by the app) runs the
full collection once the rep has left the keyboard and the mouse alone for ``IDLE_SECONDS``, no
read is in flight (a screen's data arriving would wait for it), and CPython would have run one
by then. Young collections (a few ms) stay automatic; a rep who types
without a pause for very long still gets the full collection from CPython, so memory is bounded.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from time import monotonic

IDLE_SECONDS = 1.0  # no key or mouse event for this long: the rep is reading, not typing
DEFERRED_FULL = 1000  # young (generation 1) collections before CPython's own full one
CPYTHON_FULL = 10  # CPython's default: a full collection is due after this many


class IdleCollector:
    """Defers full collections to the rep's pauses. ``start()`` once, ``input_seen()`` on each
    key or mouse event, ``tick()`` every second; ``stop()`` puts CPython's thresholds back."""

    def __init__(
        self, clock: Callable[[], float] = monotonic, busy: Callable[[], bool] = lambda: False
    ) -> None:
        self.clock = clock
        self.busy = busy  # the app's workers are reading: not a pause, whatever the keys say
        self.last_input = clock()
        self.collections = 0  # full collections run by tick() (the bench and tests read it)
        self._thresholds: tuple[int, int, int] | None = None

    def start(self) -> None:
        if self._thresholds is None:
            self._thresholds = gc.get_threshold()
            young, middle, _old = self._thresholds
            gc.set_threshold(young, middle, DEFERRED_FULL)

    def stop(self) -> None:
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None

    def input_seen(self) -> None:
        self.last_input = self.clock()

    def due(self) -> bool:
        """A full collection is pending (CPython would have run it) and the rep is idle."""
        return (
            gc.get_count()[2] >= CPYTHON_FULL
            and self.clock() - self.last_input >= IDLE_SECONDS
            and not self.busy()
        )

    def tick(self) -> bool:
        """Run the pending full collection if the rep is idle; True if it ran."""
        if self._thresholds is None or not self.due():
            return False
        gc.collect()
        self.collections += 1
        return True
