"""After the deal at 80×24 (issue #18): a high complaint opened on the complaints screen (key 9)
tops tomorrow's panel above ordinary follow-ups; a contact's birthday 2 days ahead shows in the
panel; a won deal's first revisit is due within 3 working days and in that day's panel."""

from __future__ import annotations

from datetime import date

from support import PINNED, open_fixture_store, screen_text, settle
from textual.widgets import Input, Select

from tuicrm.config import DEFAULT
from tuicrm.ui.widgets.overdue_panel import OverduePanel

YESTERDAY = "2026-11-21T10:00"  # PINNED is 2026-11-22T09:00, a Sunday


def _panel(app) -> OverduePanel:
    return app.screen.query_one(OverduePanel)


async def test_a_high_complaint_tops_tomorrows_panel(tmp_path, monkeypatch):
    from tuicrm.ui.app import make_app
    from tuicrm.ui.screens.complaints import ComplaintsScreen
    from tuicrm.ui.widgets.complaint_form import ComplaintForm

    store, _ids = open_fixture_store(tmp_path / "crm.db")
    monkeypatch.setenv("TUICRM_NOW", YESTERDAY)
    try:
        app = make_app(store, DEFAULT)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("9")
            await settle(pilot)
            assert isinstance(app.screen, ComplaintsScreen)
            await pilot.press("a")
            await settle(pilot)
            form = app.screen
            assert isinstance(form, ComplaintForm)
            inputs = list(form.query(Input))
            inputs[0].value = "Echo"
            inputs[1].value = "[b]Late[/b] delivery"
            form.query_one(Select).value = "high"
            await pilot.pause()
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, ComplaintsScreen)
            text = screen_text(app)
            assert "K000001" in text and "Echo Retail" in text and "[b]Late[/b] delivery" in text
        monkeypatch.setenv("TUICRM_NOW", PINNED)
        app = make_app(store, DEFAULT)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            items = _panel(app).data.items
            assert (items[0].kind, items[0].customer) == ("complaint", "Echo Retail")
            assert any(i.kind == "follow-up" for i in items[1:])
            assert "Echo Retail" in screen_text(app)
    finally:
        store.dispose()


async def test_a_birthday_two_days_ahead_is_in_the_panel(tmp_path, monkeypatch):
    from tuicrm.store.customers import create_contact, resolve_customer
    from tuicrm.ui.app import make_app

    store, _ids = open_fixture_store(tmp_path / "crm.db")
    monkeypatch.setenv("TUICRM_NOW", PINNED)
    with store.write("contact") as s:
        create_contact(s, resolve_customer(s, "Echo"), "王芳", birthday=date(1988, 11, 24))
    try:
        app = make_app(store, DEFAULT)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            panel = _panel(app)
            (item,) = [i for i in panel.data.items if i.kind == "birthday"]
            assert item.on == date(2026, 11, 24) and "王芳" in item.title
            panel.kind = "birthday"
            panel.load()
            await settle(pilot)
            text = screen_text(app)
            assert "Echo Retail" in text and "王芳" in text
    finally:
        store.dispose()


async def test_a_won_deal_brings_the_first_revisit(tmp_path, monkeypatch):
    from tuicrm.store.customers import create_customer, get_customer
    from tuicrm.store.pipeline import add_opportunity, move_opportunity
    from tuicrm.ui.app import make_app

    store, _ids = open_fixture_store(tmp_path / "crm.db")
    friday = "2026-11-20T10:00"
    monkeypatch.setenv("TUICRM_NOW", friday)
    with store.write("deal") as s:
        customer = create_customer(s, "Zulu Freight", status="intent")
        opp = add_opportunity(s, DEFAULT, customer, "Fleet", 5000, stage="negotiation")
        customer_id = customer.id
    with store.write("won") as s:
        move_opportunity(s, DEFAULT, opp, "won")
    with store.read() as s:
        revisit = get_customer(s, customer_id).next_follow_up_on
    assert revisit == date(2026, 11, 25)  # Friday + 3 working days (no later)
    monkeypatch.setenv("TUICRM_NOW", f"{revisit.isoformat()}T09:00")
    try:
        app = make_app(store, DEFAULT)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            panel = _panel(app)
            assert "Zulu Freight" in [i.customer for i in panel.data.items if i.kind == "follow-up"]
    finally:
        store.dispose()
