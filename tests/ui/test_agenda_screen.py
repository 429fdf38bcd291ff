"""The agenda screen (key 6, issue #17) at 80×24: plan a visit, see it, mark it done with a result
that logs a follow-up and sets the customer's next step; overdue and conflicts shown."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlmodel import col, select
from support import Host, screen_text
from textual.widgets import Checkbox, Input, Static

from tuicrm.config import DEFAULT
from tuicrm.models import Activity, Customer, FollowUp
from tuicrm.store import Store
from tuicrm.store.activities import add_activity
from tuicrm.store.customers import create_customer
from tuicrm.ui.screens.agenda import AgendaScreen
from tuicrm.ui.widgets.activity_form import ActivityForm, DoneForm

NOW = "2026-11-22T09:00"  # a Sunday


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("TUICRM_NOW", NOW)
    s = Store.open(str(tmp_path / "crm.db"))
    with s.write("fixture") as session:
        create_customer(session, "Acme Trading")
    yield s
    s.dispose()


def customer_hint_text(form: ActivityForm) -> str:
    """What the customer field's hint says (the line beside the field)."""
    hint = form.field("customer").query_one(".field-hint", Static)
    return str(hint.render()).strip()


async def loaded(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def test_plan_a_visit_then_mark_it_done_logging_a_follow_up(store):
    app = Host(lambda: AgendaScreen(store, DEFAULT))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert "Agenda · 0 activities" in screen_text(app)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ActivityForm)
        form.query_one("#act-customer", Input).value = "Acme"
        await pilot.pause()
        # the customer field says whom the typed fragment means, before the save
        assert customer_hint_text(form) == "→ C000001 Acme Trading"
        form.query_one("#act-name", Input).value = "Visit the CTO"
        form.query_one("#act-start", Input).value = "tomorrow 10:00"
        form.query_one("#act-end", Input).value = "11:30"
        form.query_one("#act-place", Input).value = "[b]HQ[/b]"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert isinstance(app.screen, AgendaScreen)
        text = screen_text(app)
        assert "Visit the CTO" in text and "Later · 1" in text  # Monday is next week
        with store.read() as s:
            (row,) = s.exec(select(Activity)).all()
            assert row.code == "A000001" and row.place == "[b]HQ[/b]"
            assert (row.planned_end - row.planned_start).total_seconds() == 90 * 60

        await pilot.press("d")
        await pilot.pause()
        done = app.screen
        assert isinstance(done, DoneForm)
        assert done.query_one("#done-log", Checkbox).value is True
        done.query_one("#done-result", Input).value = "They want a quote"
        done.query_one("#done-next", Input).value = "2026-11-30"
        done.query_one("#done-action", Input).value = "send the quote"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert isinstance(app.screen, AgendaScreen)
        with store.read() as s:
            (row,) = s.exec(select(Activity)).all()
            assert row.status == "done" and row.result == "They want a quote"
            follow_up = s.get(FollowUp, row.follow_up_id)
            assert follow_up is not None and follow_up.summary == "They want a quote"
            assert follow_up.channel == "visit"
            customer = s.get(Customer, row.customer_id)
            assert customer is not None
            assert customer.next_follow_up_on == date(2026, 11, 30)
            assert customer.next_action == "send the quote"


async def test_overdue_and_conflicts_are_marked(store):
    with store.write("plan") as s:
        acme = s.exec(select(Customer)).one()
        add_activity(s, acme, "Early call", kind="call", planned_start=datetime(2026, 11, 22, 8, 0))
        add_activity(s, acme, "Long visit", kind="visit", planned_start=datetime(2026, 11, 22, 14, 0))
        add_activity(s, acme, "Overlapping demo", kind="demo", planned_start=datetime(2026, 11, 22, 15, 0))
    app = Host(lambda: AgendaScreen(store, DEFAULT))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        text = screen_text(app)
        assert "Today · 3" in text
        assert "! overdue" in text
        assert "clashes with A000003" in text and "clashes with A000002" in text
        assert "1 overdue" in text and "2 in conflict" in text
        # start the first, cancel the second: both off the UI thread
        await pilot.press("s")
        await loaded(pilot)
        await pilot.press("down", "x")
        await loaded(pilot)
        with store.read() as s:
            statuses = [a.status for a in s.exec(select(Activity).order_by(col(Activity.id)))]
        assert statuses == ["in-progress", "cancelled", "planned"]
        assert "clashes" not in screen_text(app)


async def test_key_6_opens_the_agenda(tmp_path, monkeypatch):
    from tuicrm.ui.app import make_app

    monkeypatch.setenv("TUICRM_NOW", NOW)
    s = Store.open(str(tmp_path / "crm.db"))
    try:
        app = make_app(s, DEFAULT)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("6")
            await loaded(pilot)
            assert isinstance(app.screen, AgendaScreen)
            assert "Agenda ·" in screen_text(app)
    finally:
        s.dispose()


async def test_a_visit_planned_for_tomorrow_ten_is_in_tomorrows_panel(tmp_path, monkeypatch):
    """Plan it through the key a rep presses, then open tuicrm the next morning: it is in the panel."""
    from tuicrm.ui.app import make_app
    from tuicrm.ui.widgets.overdue_panel import OverduePanel

    monkeypatch.setenv("TUICRM_NOW", NOW)
    s = Store.open(str(tmp_path / "crm.db"))
    try:
        with s.write("fixture") as session:
            create_customer(session, "Acme Trading")
            create_customer(session, "Acme Logistics")
        app = make_app(s, DEFAULT)
        async with app.run_test(size=(80, 24)) as pilot:
            await loaded(pilot)
            await pilot.press("6")
            await loaded(pilot)
            await pilot.press("a")
            await pilot.pause()
            form = app.screen
            assert isinstance(form, ActivityForm)
            form.query_one("#act-customer", Input).value = "Acme"
            await pilot.pause()
            assert customer_hint_text(form) == "2 match: C000002 Acme Logistics; C000001 Acme Trading"
            form.query_one("#act-customer", Input).value = "Acme Tarding"
            await pilot.pause()
            assert customer_hint_text(form) == "no customer matches"
            form.query_one("#act-customer", Input).value = "acme trad"
            form.query_one("#act-name", Input).value = "Visit the CTO"
            form.query_one("#act-start", Input).value = "tomorrow 10:00"
            await pilot.pause()
            await pilot.press("ctrl+s")
            await loaded(pilot)
            assert "Visit the CTO" in screen_text(app)
        monkeypatch.setenv("TUICRM_NOW", "2026-11-23T08:30")
        app = make_app(s, DEFAULT)
        async with app.run_test(size=(80, 24)) as pilot:
            await loaded(pilot)
            panel = app.screen.query_one(OverduePanel)
            kinds = [(i.kind, i.customer) for i in panel.data.items]
            assert ("activity", "Acme Trading") in kinds
            assert "Acme Trading" in screen_text(app)
    finally:
        s.dispose()
