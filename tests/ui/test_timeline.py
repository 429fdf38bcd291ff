"""Follow-up timeline (SPEC §7): sections, overdue marked in words, enter opens the customer.

The screen runs inside a tiny host app here, so these tests do not depend on the app shell.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime

import pytest
from support import Host, notifications, screen_text
from textual.widgets import Static

from tuicrm.config import DEFAULT
from tuicrm.store import Store
from tuicrm.store.customers import create_customer
from tuicrm.store.followups import log_follow_up
from tuicrm.ui.screens.timeline import TimelineList, TimelineScreen

SIZES = [(80, 24), (120, 40)]
MARKUP_NAME = "[@click=app.quit]x[/]"


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("TUICRM_NOW", "2026-11-22T09:00")
    s = Store.open(str(tmp_path / "crm.db"))
    yield s
    s.dispose()


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=UTC)


def fill(store: Store) -> dict[str, int]:
    ids = {}
    with store.write("fixture") as s:
        late = create_customer(s, "Late Ltd", tier="A")
        log_follow_up(
            s,
            DEFAULT,
            late,
            "sent the quote",
            next_on=date(2026, 11, 19),
            next_action="chase the quote",
            at=at(12),
        )
        today = create_customer(s, MARKUP_NAME)
        log_follow_up(
            s,
            DEFAULT,
            today,
            "[bold]demo[/] went well",
            next_on=date(2026, 11, 22),
            next_action="[@click=app.quit]call[/]",
            at=at(21),
        )
        soon = create_customer(s, "Soon GmbH")
        log_follow_up(
            s, DEFAULT, soon, "intro call", next_on=date(2026, 11, 25), next_action="send deck", at=at(20)
        )
        later = create_customer(s, "Later Inc")
        log_follow_up(
            s, DEFAULT, later, "met at the fair", next_on=date(2026, 12, 20), at=at(1)
        )  # before window
        ids.update(late=late.id, today=today.id, soon=soon.id, later=later.id)
    return ids


async def open_timeline(pilot) -> TimelineScreen:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, TimelineScreen)
    return screen


def lines(screen: TimelineScreen) -> list[str]:
    return [o.prompt.plain for o in screen.query_one(TimelineList).options]


@pytest.mark.parametrize("size", SIZES)
async def test_sections_in_order_with_overdue_marked_in_words(store, size):
    fill(store)
    app = Host(lambda: TimelineScreen(store, DEFAULT))
    async with app.run_test(size=size) as pilot:
        screen = await open_timeline(pilot)
        shown = lines(screen)
        options = screen.query_one(TimelineList).options
        headings = [o.prompt.plain for o in options if o.id.startswith("h-")]
        assert headings == [
            "Overdue · 1",
            "Today · 1",
            "Next 7 days · 1",
            "Later · 1",
            "Logged in the past 14 days · 3",
        ]
        overdue = shown[1]
        assert overdue.startswith("! 2026-11-19 3 days overdue")
        assert "Late Ltd (C000001) — chase the quote" in overdue
        assert shown[3].startswith("• 2026-11-22 due today")
        assert shown[5].startswith("  2026-11-25 in 3 days")
        assert shown[7].startswith("  2026-12-20 in 28 days")
        # past logs grouped by day, newest first; the log from Nov 1 is outside the window
        days = [o.prompt.plain.strip() for o in options if o.id.startswith("d-")]
        assert days == ["Sat 2026-11-21 · 1", "Fri 2026-11-20 · 1", "Thu 2026-11-12 · 1"]
        text = screen_text(app)
        assert "! 2026-11-19 3 days overdue" in text
        assert "1 overdue · 1 due today" in text
        # the highlighted (first) entry is previewed in full under the list
        preview = screen.query_one("#preview", Static).render().plain
        assert "! Next follow-up 2026-11-19 (3 days overdue): chase the quote" in preview


@pytest.mark.parametrize("size", SIZES)
async def test_enter_opens_the_customer(store, monkeypatch, size):
    ids = fill(store)
    app = Host(lambda: TimelineScreen(store, DEFAULT))
    async with app.run_test(size=size) as pilot:
        await open_timeline(pilot)
        await pilot.press("enter")
        assert app.opened == [ids["late"]]
        await pilot.press("j", "enter")  # the heading "Today" is skipped
        assert app.opened == [ids["late"], ids["today"]]
        await pilot.press("right_square_bracket", "enter")  # next section
        assert app.opened[-1] == ids["soon"]
        await pilot.press("left_square_bracket", "left_square_bracket", "enter")
        assert app.opened[-1] == ids["late"]


async def test_open_without_a_detail_screen_notifies_and_keeps_running(store, monkeypatch):
    from tuicrm.ui.app import make_app

    fill(store)
    # The detail screen belongs to the app shell; when it cannot be imported the app says so.
    monkeypatch.setitem(sys.modules, "tuicrm.ui.screens.customer_detail", None)
    app = make_app(store, DEFAULT)
    notes = notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("2")
        screen = await open_timeline(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running
        assert app.screen is screen
        cannot = [n.message for n in notes if n.message.startswith("Cannot open the customer")]
        assert len(cannot) == 1


@pytest.mark.parametrize("size", SIZES)
async def test_markup_is_literal_and_clicking_keeps_running(store, monkeypatch, size):
    ids = fill(store)
    app = Host(lambda: TimelineScreen(store, DEFAULT))
    async with app.run_test(size=size) as pilot:
        screen = await open_timeline(pilot)
        text = screen_text(app)
        assert f"{MARKUP_NAME} (C000002)" in text
        if size[0] >= 120:
            assert f"{MARKUP_NAME} (C000002) — [@click=app.quit]call[/]" in text
            assert "[bold]demo[/] went well" in text
        # the "Today" entry is the fourth line of the list; click on the customer's name
        await pilot.click(TimelineList, offset=(40, 3))
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert app.screen is screen
        assert app.opened == [ids["today"]]
        assert "due today): [@click=app.quit]call[/]" in screen_text(app)  # the preview, in full


async def test_empty_database(store):
    app = Host(lambda: TimelineScreen(store, DEFAULT))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_timeline(pilot)
        assert "Overdue · 0" in lines(screen)
        assert "Nothing to follow up." in screen.query_one("#preview", Static).render().plain
        await pilot.press("enter", "j", "k", "right_square_bracket")
        assert app.is_running


async def test_reload_after_a_change_elsewhere(store):
    ids = fill(store)
    app = Host(lambda: TimelineScreen(store, DEFAULT))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_timeline(pilot)
        with store.write("log from the CLI") as s:
            from tuicrm.store.customers import get_customer

            log_follow_up(s, DEFAULT, get_customer(s, ids["late"]), "called back", next_on=date(2026, 11, 24))
        await pilot.press("r")
        await open_timeline(pilot)
        assert "Overdue · 0" in lines(screen)


async def test_long_sections_are_cut_and_grow_on_enter(store, monkeypatch):
    """At scale each section shows a first slice; "+ show more" (enter) adds the next one."""
    with store.write("bulk") as s:
        for i in range(7):
            c = create_customer(s, f"Week {i}")
            log_follow_up(s, DEFAULT, c, "intro", next_on=date(2026, 11, 24), at=at(21))
    app = Host(lambda: TimelineScreen(store, DEFAULT, section_limit=3))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_timeline(pilot)
        shown = lines(screen)
        assert "Next 7 days · 7" in shown
        week = [line for line in shown if "Week " in line and "in 2 days" in line]
        assert len(week) == 3
        assert "  + show 3 more of 4 (enter)" in shown
        screen.query_one(TimelineList).highlighted = shown.index("  + show 3 more of 4 (enter)")
        await pilot.press("enter")
        await pilot.pause()
        shown = lines(screen)
        assert len([line for line in shown if "Week " in line and "in 2 days" in line]) == 6
        assert "  + show 1 more of 1 (enter)" in shown
        assert app.opened == []  # "more" is not a customer
        # the cursor sits on the first newly shown entry
        assert "Week 3" in screen.query_one(TimelineList).highlighted_option.prompt.plain
        assert len([line for line in shown if line.startswith("  ✓")]) == 3  # past logs cut too


async def test_in_the_app_shell(store):
    """Key 2 through the real app, when the app shell is there."""
    app_module = pytest.importorskip("tuicrm.ui.app")
    fill(store)
    app = app_module.make_app(store, DEFAULT)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("2")
        screen = await open_timeline(pilot)
        assert lines(screen)[0] == "Overdue · 1"


async def test_log_and_snooze_from_the_timeline_then_the_next_item(store):
    """Issue #21: ``l`` logs the highlighted follow-up, ``s`` snoozes it; after a log the cursor
    is on the next item of the section, not on the customer's new date."""
    from tuicrm.ui.widgets.followup_form import FollowUpForm
    from tuicrm.ui.widgets.snooze import SnoozeForm

    ids = fill(store)
    with store.write("fixture") as s:
        also = create_customer(s, "Also Late")
        log_follow_up(s, DEFAULT, also, "no answer", next_on=date(2026, 11, 20), at=at(13))
        also_id = also.id
    app = Host(lambda: TimelineScreen(store, DEFAULT))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_timeline(pilot)
        listing = screen.query_one(TimelineList)
        assert listing.highlighted_option.id == f"p{ids['late']}"  # the most overdue first
        await pilot.press("l")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FollowUpForm)
        form.field("summary").control.load_text("called, quote accepted")
        form.field("next_on").control.value = "+10d"
        await pilot.press("ctrl+s")
        await open_timeline(pilot)
        assert listing.highlighted_option.id == f"p{also_id}"  # the next overdue item
        assert "Overdue · 1" in lines(screen)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SnoozeForm)
