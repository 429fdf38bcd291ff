"""A fix to Textual, installed by the app factory for the Textual version it was checked against.

Textual 8's ``Timer._run`` skips the ticks whose time has passed one tick too far: after a
tick that followed an idle spell, the next one comes 1-2 intervals later instead of at the
next point of the interval grid. The screen's refresh is such a timer (60 a second), so a
change that arrives a few milliseconds after a frame (search results from the reader thread,
a window of rows after a page down) waited 17-33 ms for its frame instead of up to 17 ms.

The replacement is 8.2.8's ``Timer._run`` (MIT licence, Textualize) with that one line
fixed (and a zero interval, which has nothing to skip, no longer divides by zero). Another Textual version is left as it is.
"""

from __future__ import annotations

from textual import _time
from textual import timer as _timer
from textual.timer import EventTargetGone, Timer

CHECKED_WITH = "8.2.8"
_original_run = Timer._run


async def _run(self: Timer) -> None:
    """Run the timer (Textual 8.2.8's ``Timer._run``, with the skip landing on the next tick)."""
    count = 0
    _repeat = self._repeat
    _interval = self._interval
    self._active  # noqa: B018 (creates the Event in this thread, as Textual does)
    await self._active.wait()
    start = _time.get_time()

    while _repeat is None or count <= _repeat:
        next_timer = start + ((count + 1) * _interval)
        now = _time.get_time()
        if self._skip and _interval > 0 and next_timer < now:
            # The next tick is the first one still ahead (8.2.8 adds 1 here: one tick too far).
            count = max(count + 1, int((now - start) / _interval))
            continue
        now = _time.get_time()
        wait_time = max(0, next_timer - now)
        await _timer.sleep(wait_time)
        count += 1
        await self._active.wait()
        if self._reset:
            start = _time.get_time()
            count = 0
            self._reset = False
            continue
        try:
            await self._tick(next_timer=next_timer, count=count)
        except EventTargetGone:
            break


def install() -> bool:
    """Install the fix if Textual is the version it was checked against; True if it is in."""
    import textual

    if textual.__version__ != CHECKED_WITH:
        return False
    Timer._run = _run
    return True
