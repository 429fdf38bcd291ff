"""The test helpers of ``support.py`` see what they claim to (screen text, terminal output, notes)."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from support import Host, notifications, region_lines, screen_lines, screenshot, style_at
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from tuicrm.ui.messages import OpenCustomer


class Sample(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Static("plain 伽马 text", id="plain")
        yield Static(Text("linked", style=Style(link="https://example.com")), id="link")


async def test_screen_text_terminal_output_styles_and_notes():
    app = Host(Sample)
    notes = notifications(app)
    async with app.run_test(size=(30, 4)) as pilot:
        await pilot.pause()
        lines = screen_lines(app)
        assert len(lines) == 4 and lines[0].startswith("plain 伽马 text") and lines[1].startswith("linked")
        assert region_lines(app, app.screen.query_one("#plain").region)[0].startswith("plain 伽马")
        shot = screenshot(app)
        assert shot.lines == lines
        assert "\x1b]8;" in shot.terminal  # a link reaches the terminal output, so a check would see it
        assert style_at(app, 0, 1).link == "https://example.com" and not style_at(app, 0, 0).link
        app.notify("Saved.", severity="warning")
        app.screen.notify("From a screen.")
        assert [(n.message, n.severity) for n in notes] == [
            ("Saved.", "warning"),
            ("From a screen.", "information"),
        ]
        app.post_message(OpenCustomer(7))
        await pilot.pause()
        assert app.opened == [7]
