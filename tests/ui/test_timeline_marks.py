"""Marking customers in the timeline (issue #21): space, shift+arrows, esc; a mark in the line and
a count in the title; s snoozes them all as one change."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import select
from support import Host, settle

from tuicrm.config import DEFAULT
from tuicrm.models import Customer, Operation
from tuicrm.store import Store
from tuicrm.store.customers import create_customer
from tuicrm.store.followups import log_follow_up
from tuicrm.ui.screens.timeline import TimelineList, TimelineScreen
from tuicrm.ui.widgets.bulk_actions import BulkSnoozeForm


async def test_mark_in_the_timeline_then_snooze_them_all(tmp_path, monkeypatch):
    monkeypatch.setenv("TUICRM_NOW", "2026-11-22T09:00")
    store = Store.open(str(tmp_path / "crm.db"))
    with store.write("fixture") as s:
        for name, due in (("Late Ltd", 19), ("Later Ltd", 20), ("Today Co", 22)):
            c = create_customer(s, name)
            log_follow_up(
                s, DEFAULT, c, "call", next_on=date(2026, 11, due), at=datetime(2026, 11, 10, tzinfo=UTC)
            )
    app = Host(lambda: TimelineScreen(store, DEFAULT))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        title = lambda: str(screen.query_one("#title").render())  # noqa: E731
        options = lambda: [o.prompt.plain for o in screen.query_one(TimelineList).options]  # noqa: E731
        assert not any(line.startswith("* ") for line in options())
        await pilot.press("space", "escape")
        assert screen.marks == {} and "marked" not in title()
        await pilot.press("shift+down", "shift+down")  # the two overdue, then today's (over the heading)
        await settle(pilot)
        assert sorted(screen.marks.values()) == ["Late Ltd", "Later Ltd", "Today Co"]
        assert "* 3 marked" in title()
        assert sum(line.startswith("* ") for line in options()) == 6  # their due and their logged lines
        await pilot.press("space")  # today's unmarked again
        assert len(screen.marks) == 2 and "* 2 marked" in title()
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, BulkSnoozeForm)
        app.screen.field("to_on").control.value = "2026-12-01"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen) and screen.marks == {}
        with store.read() as s:
            dates = {c.name: c.next_follow_up_on for c in s.exec(select(Customer))}
            label = s.exec(select(Operation).order_by(Operation.id.desc())).first().label
        assert dates == {
            "Late Ltd": date(2026, 12, 1),
            "Later Ltd": date(2026, 12, 1),
            "Today Co": date(2026, 11, 22),
        }
        assert label == "snooze 2 customers to 2026-12-01"
        assert not any(line.startswith("* ") for line in options())
    store.dispose()
