"""The TUI notices other processes' commits (issue #14): the panel and the list show them."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

from support import screen_text, settle

from tuicrm.query.connect import ChangeWatcher
from tuicrm.ui.app import WATCH_INTERVAL


def test_the_watcher_sees_other_connections_commits_once(crm):
    store, _ids = crm
    watcher = ChangeWatcher(store.path)
    assert watcher.changed() is False  # the first look is the baseline
    assert watcher.changed() is False
    with sqlite3.connect(store.path) as other:
        other.execute("UPDATE customer SET notes = 'x' WHERE id = (SELECT min(id) FROM customer)")
    other.close()
    assert watcher.changed() is True
    assert watcher.changed() is False  # that state is seen now
    watcher.close()
    assert ChangeWatcher(str(store.path) + ".missing").changed() is False


async def test_a_log_from_another_shell_shows_on_the_next_tick(app, crm):
    """`tuicrm log` (a real process) for the first panel item: the panel count and the list follow."""
    store, _ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        before = screen.panel.data.count
        first = screen.panel.data.items[0]
        assert WATCH_INTERVAL <= 1.0  # "within about a second" (SPEC §10)
        assert app.check_outside_changes() is False  # nothing new yet
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "tuicrm",
                "--db",
                str(store.path),
                "log",
                str(first.code),
                "called",
                "--next",
                "+9d",
            ],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        assert app.check_outside_changes() is True  # the watcher's tick, driven by the test
        await settle(pilot)
        assert screen.panel.data.count == before - 1
        assert first.code not in [i.code for i in screen.panel.data.items]
        assert f"{before - 1} due" in screen_text(app)
        table = screen.table
        table.set_query(filter=table.filter.replace(text=first.code))
        await settle(pilot)
        row = table.row_at(0)
        assert row is not None and row.code == first.code
        assert str(row.next_follow_up_on) == "2026-12-01"  # 2026-11-22 + 9 days, from the other shell
