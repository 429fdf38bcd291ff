"""Issue #21: the overdue panel's width follows the terminal — hidden with a note below 60
columns (the list keeps the room), 30 columns at 80, wider from 120 on (Chinese names)."""

from __future__ import annotations

from support import screen_text, settle


async def test_the_panel_follows_the_terminal_width(app, crm):
    async with app.run_test(size=(40, 15)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert not screen.panel.display
        assert "overdue panel shows from 60" in screen_text(app)
        assert screen.table.size.width >= 36  # the list has the whole width (less its scrollbar)
        await pilot.resize_terminal(130, 40)
        await settle(pilot)
        assert screen.panel.display and screen.panel.outer_size.width == 42
        assert "overdue panel shows from" not in screen_text(app)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert screen.panel.display and screen.panel.outer_size.width == 30
