"""Form inputs take a burst of keys in order, nothing dropped (issue #14).

A paste without bracketed paste, or a slow SSH link, delivers many keys at once. Textual's
``Input`` inserts printable keys in its own handler but ran the editing keys' actions (backspace,
left, home ...) only after the key bubbled up to the app, so queued keys overtook them:
``someday`` + 7 backspaces + ``tomorrow`` left ``somedayt`` in the log form. The keys are posted
here in one go (``app.post_message`` of every key before the app handles any).
"""

from __future__ import annotations

import pytest
from support import settle
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input

from tuicrm.ui.textual_compat import InOrderInput
from tuicrm.ui.widgets.followup_form import FollowUpForm, SummaryArea
from tuicrm.ui.widgets.forms import text_input
from tuicrm.ui.widgets.search_input import SearchInput

SOMEDAY_TOMORROW = [*"someday", *["backspace"] * 7, *"tomorrow"]


def burst(app: App, keys: list[str]) -> None:
    """Every key posted to the app at once, as a terminal delivers a burst."""
    for key in keys:
        if key == " ":
            key = "space"
        char = " " if key == "space" else (key if len(key) == 1 else None)
        app.post_message(events.Key(key, char))


class OneInput(App[None]):
    def __init__(self, make) -> None:
        super().__init__()
        self.make = make

    def compose(self) -> ComposeResult:
        yield self.make()


@pytest.mark.parametrize(
    "keys, expected",
    [
        (SOMEDAY_TOMORROW, "tomorrow"),
        ([*"abc", "backspace", "d"], "abd"),
        ([*"ab", "left", "x"], "axb"),
        ([*"abc", "home", "x", "end", "y"], "xabcy"),
        ([*"abc", "left", "left", "delete", "z"], "azc"),
    ],
)
@pytest.mark.parametrize("make", [text_input, lambda: SearchInput(), lambda: InOrderInput()])
async def test_every_form_input_takes_a_burst_in_order(make, keys, expected):
    app = OneInput(make)
    async with app.run_test() as pilot:
        field = app.query_one(Input)
        field.focus()
        await settle(pilot)
        burst(app, keys)
        await settle(pilot, rounds=10)
        assert field.value == expected


async def test_the_log_form_keeps_tomorrow_from_a_burst(app, crm):
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FollowUpForm)
        next_on = form.query_one("#fu-next", Input)
        next_on.focus()
        next_on.value = ""
        await settle(pilot)
        burst(app, SOMEDAY_TOMORROW)
        await settle(pilot, rounds=10)
        assert next_on.value == "tomorrow"
        summary = form.query_one("#fu-summary", SummaryArea)
        summary.focus()
        await settle(pilot)
        burst(app, [*"Called", "backspace", "backspace", *"ed about the quote", "home", *"We "])
        await settle(pilot, rounds=10)
        assert summary.text == "We Called about the quote"
