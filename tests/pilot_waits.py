"""A Pilot pause that also lets the TUI's write threads finish (``FormScreen`` and
``tuicrm.ui.background`` write off the UI thread), as a rep waits for a save to land before
looking. ``RAW_PAUSE`` is Textual's own pause, for a test that looks while a save still waits."""

from __future__ import annotations

from textual.pilot import Pilot

RAW_PAUSE = Pilot.pause
WRITE_GROUPS = ("form-save", "tui-write")


async def pause_after_writes(self, delay=None):
    await RAW_PAUSE(self, delay)
    writes = [w for w in self.app.workers if w.group in WRITE_GROUPS and not w.is_finished]
    if writes:
        for worker in writes:
            await worker.wait()
        await RAW_PAUSE(self)
