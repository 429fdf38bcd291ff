"""Issue #21: ``?`` opens the key reference at the section of the screen it was pressed on, and
that reference lists the Reports screen's keys and the boards' (enter, h/l, j/k)."""

from __future__ import annotations

from support import screen_text, settle

from tuicrm.ui.screens.help import HelpScreen, key_sections


async def test_help_opens_at_the_current_screen(app, crm):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key, title in (("5", "Reports (5)"), ("4", "Pipeline (4)")):
            await pilot.press(key)
            await settle(pilot)
            await pilot.press("question_mark")
            await settle(pilot)
            assert isinstance(app.screen, HelpScreen)
            text = screen_text(app)
            assert title in text and "Everywhere" not in text, (title, text)
            await pilot.press("escape")
            await settle(pilot)
    sections = dict(key_sections())
    reports = {row.keys for row in sections["Reports (5)"]}
    assert {"w", "f", "c", "v", "l", "[", "]", "m", "r"} <= reports
    board = {row.keys for row in sections["Pipeline (4)"]}
    assert {"enter", "h, ←", "l, →", "j", "k"} <= board
