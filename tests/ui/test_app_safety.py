"""The app's own safety nets: a background integrity check, and crash output without locals."""

from __future__ import annotations

from support import notifications, settle


async def test_quick_check_problem_is_shown_after_start(app, monkeypatch):
    import tuicrm.db

    monkeypatch.setattr(tuicrm.db, "quick_check", lambda engine: ["row 3 of customer is damaged."])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 6)
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = [n.message for n in notifications(app)]
        assert any("Database check found a problem: row 3 of customer is damaged." in m for m in messages)
        assert app.is_running


async def test_healthy_database_says_nothing(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 6)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not any("Database check" in n.message for n in notifications(app))
