"""Random keys for 20 s, visiting every screen, without a crash (issue #14).

A seeded stream of keys (never ``q``, ``ctrl+c``, ``ctrl+q``, nor the palette, which could run
"Quit", nor ``ctrl+z``) is pressed on the app over the fixture database. Every round starts on
one of the five screens (``1``-``5``, after escaping any modal) and then presses random keys:
letters that open forms and modals, navigation, text, saves and cancels. An exception anywhere
in the app (a handler, a worker) fails the test when the app stops; the app must still be running
after every key. The screens and modals seen are recorded: all five screens, forms and modals.
"""

from __future__ import annotations

import os
import random
import time

import pytest
from support import settle
from textual.widgets import Input

SECONDS = 6.0
NEVER = {"q", "ctrl+c", "ctrl+q", "ctrl+p", "ctrl+z"}
SCREEN_KEYS = ["1", "2", "3", "4", "5"]
ACTION_KEYS = list("abcdefghijklmnoprstuvwxyzFJKN") + ["question_mark", "slash", "space"]
MOVE_KEYS = ["up", "down", "left", "right", "pageup", "pagedown", "home", "end", "tab", "shift+tab"]
EDIT_KEYS = ["backspace", "delete", "enter", "escape", "ctrl+s", "ctrl+r", "shift+left", "less_than_sign"]
TEXT_KEYS = list("0123456789+-") + ["full_stop", "comma", "left_square_bracket", "right_square_bracket"]
# Keys that open something on some screen (a form, a modal, the detail, help, a filter).
OPENERS = ["n", "e", "l", "s", "a", "enter", "f", "question_mark", "m", "c", "v", "w", "p", "x", "u", "r"]
KEYS = SCREEN_KEYS + ACTION_KEYS * 2 + MOVE_KEYS * 3 + EDIT_KEYS * 2 + TEXT_KEYS
assert not NEVER & (set(KEYS) | set(OPENERS))


def screen_name(app) -> str:
    return type(app.screen).__name__


@pytest.mark.slow(seconds=18)
async def test_random_keys_for_6_seconds_visit_every_screen_without_a_crash(app):
    rng = random.Random(int(os.environ.get("TUICRM_KEYS_SEED", "14")))  # another seed: explore
    seen: set[str] = set()
    pressed = 0
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        deadline = time.monotonic() + SECONDS
        round_ = 0
        while time.monotonic() < deadline or round_ < 10:  # every screen twice, however slow the box
            # A round: back to a main screen (escape closes forms and modals), then random keys.
            for _ in range(5):
                if len(app.screen_stack) <= 1 and not isinstance(app.focused, Input):
                    break  # a main screen, and a digit will not be typed into a search line
                await pilot.press("escape")
                await settle(pilot, rounds=1)
            await pilot.press(SCREEN_KEYS[round_ % 5])
            await settle(pilot, rounds=1)
            seen.add(screen_name(app))
            round_ += 1
            # Open something (the openers in turn: 16 and 5 screens meet in every pair), then random keys.
            await pilot.press("down", OPENERS[(round_ - 1) % len(OPENERS)])
            await settle(pilot, rounds=1)
            seen.add(screen_name(app))
            keys = rng.randint(5, 40) if time.monotonic() < deadline else 3  # past time: only the tour
            for _ in range(keys):
                key = rng.choice(KEYS)
                await pilot.press(key)
                pressed += 1
                if rng.random() < 0.3:
                    await settle(pilot, rounds=1)
                seen.add(screen_name(app))
                assert app.is_running and app.return_code is None, (key, seen)
                if time.monotonic() >= deadline and round_ >= 10:
                    break
        await settle(pilot)
    # run_test re-raises an exception the app hit; a crash also ends the app early.
    assert app.return_code in (None, 0)
    main = {"CustomersScreen", "TimelineScreen", "TierBoardScreen", "PipelineScreen", "ReportsScreen"}
    assert main <= seen, seen
    forms_and_modals = seen - main
    assert len(forms_and_modals) >= 3, seen
    print(f"{pressed} random keys; seen: {sorted(seen)}")
    assert pressed > 50, pressed
