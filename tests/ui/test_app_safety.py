"""The app's own safety nets: a background integrity check, and crash output without locals."""

from __future__ import annotations

from rich.console import Console
from shell_support import settle


async def test_quick_check_problem_is_shown_after_start(app, monkeypatch):
    import tuicrm.db

    monkeypatch.setattr(tuicrm.db, "quick_check", lambda engine: ["row 3 of customer is damaged."])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 6)
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("Database check found a problem: row 3 of customer is damaged." in m for m in messages)
        assert app.is_running


async def test_healthy_database_says_nothing(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 6)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not any("Database check" in n.message for n in app._notifications)


def test_crash_output_has_no_local_variables(app):
    def handler():
        # Built at run time so only a printed local (not the source line) could show it.
        customer_phone = "-".join(["SECRET", "1381234" + "5678"])  # noqa: F841
        raise RuntimeError("boom")

    try:
        handler()
    except RuntimeError:
        app._fatal_error()
    console = Console(record=True, width=120, color_system=None)
    for renderable in app._exit_renderables:
        console.print(renderable)
    text = console.export_text()
    assert "RuntimeError" in text and "boom" in text
    assert "SECRET-13812345678" not in text
    assert "every saved change is in the database" in text
