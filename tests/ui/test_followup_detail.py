"""Follow-ups in the TUI at 80×24 (issue #16): back-dated with a contact and a deal from the log
form; edited and deleted from the customer detail's history, then undone with the app's undo key;
two writers editing one follow-up."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from rich.text import Text
from sqlmodel import col, select
from support import settle
from textual.widgets import Input, Select, Static

from cli_runner import run_main
from tuicrm.models import Contact, Customer, FollowUp, Opportunity
from tuicrm.store.followups import update_follow_up
from tuicrm.ui.screens.customer_detail import CustomerDetailScreen
from tuicrm.ui.widgets.confirm import ConfirmModal
from tuicrm.ui.widgets.followup_form import FollowUpForm, SummaryArea

SIZE = (80, 24)


def sections(app) -> str:
    content = app.screen.query_one("#detail-sections", Static).content
    return content.plain if isinstance(content, Text) else str(content)


def focus_line(app) -> str:
    content = app.screen.query_one("#detail-focus", Static).content
    return content.plain if isinstance(content, Text) else str(content)


def follow_ups(store, customer_id: int) -> list[FollowUp]:
    with store.read() as s:
        return list(
            s.exec(
                select(FollowUp)
                .where(FollowUp.customer_id == customer_id)
                .order_by(col(FollowUp.at).desc(), col(FollowUp.id).desc())
            )
        )


def pending(store, customer_id: int) -> date | None:
    with store.read() as s:
        found = s.get(Customer, customer_id)
        assert found is not None
        return found.next_follow_up_on


def ids_of(store, customer_id: int) -> tuple[int, int]:
    """(Zhang Wei's id, the open deal's id) of Acme."""
    with store.read() as s:
        contact = s.exec(select(Contact).where(Contact.name == "Zhang Wei")).one()
        deal = s.exec(select(Opportunity).where(Opportunity.customer_id == customer_id)).one()
        assert contact.id is not None and deal.id is not None
        return contact.id, deal.id


async def press(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot, rounds=2)


async def open_detail(pilot, customer_id: int) -> CustomerDetailScreen:
    await settle(pilot)
    pilot.app.open_customer(customer_id)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CustomerDetailScreen)
    return screen


async def select_follow_up(pilot, summary_start: str) -> None:
    """j until the line above the footer names a follow-up whose history line has ``summary_start``."""
    screen = pilot.app.screen
    for _ in range(12):
        item = screen.selected_item()
        if item.kind == "followup":
            with screen.store.read() as s:
                fu = s.get(FollowUp, item.id)
                if fu is not None and fu.summary.startswith(summary_start):
                    return
        await press(pilot, "j")
    raise AssertionError(f"no follow-up {summary_start!r} to select")


async def test_back_dated_log_with_contact_and_deal_shows_in_order_and_in_its_week(app, crm, tmp_path):
    store, ids = crm
    acme = ids["acme"]
    contact_id, deal_id = ids_of(store, acme)
    week = ["--db", str(tmp_path / "crm.db"), "report", "weekly", "--week", "2026-W47", "--json"]
    env = {"TUICRM_NOW": "2026-11-22T09:00"}
    before = json.loads(run_main(week, env=env).stdout)["follow_ups"]
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, acme)
        await press(pilot, "l")
        form = app.screen
        assert isinstance(form, FollowUpForm)
        await pilot.press(*"Met their buyer at the expo")
        form.query_one("#fu-at", Input).value = "yesterday 15:00"
        form.query_one("#fu-contact", Select).value = contact_id
        form.query_one("#fu-opp", Select).value = deal_id
        form.query_one("#fu-place", Input).value = "Canton fair"
        form.query_one("#fu-outcome", Select).value = "partly"
        await settle(pilot)
        assert "Sat 2026-11-21 15:00" in str(form.field("at").query_one(".field-hint", Static).content)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, CustomerDetailScreen)
        await settle(pilot)
        text = sections(app)
        # newest first: yesterday's above the two older ones, with whom, which deal, where, how it went
        order = [text.index(t) for t in ("2026-11-21 15:00", "2026-11-12 10:00", "2026-11-05 10:00")]
        assert order == sorted(order)
        assert "with Zhang Wei · deal 2027 annual supply · at Canton fair" in text
        assert "partly 部分完成" in text
    newest = follow_ups(store, acme)[0]
    assert newest.at.replace(tzinfo=UTC) == datetime(2026, 11, 21, 15, 0, tzinfo=UTC)  # TZ=UTC in tests
    assert (newest.contact_id, newest.opportunity_id, newest.outcome) == (contact_id, deal_id, "partly")
    assert pending(store, acme) == date(2026, 11, 24)  # intent: 3 days from the day it happened
    after = json.loads(run_main(week, env=env).stdout)["follow_ups"]
    assert after["total"] == before["total"] + 1
    assert after["by_channel"].get("phone", 0) == before["by_channel"].get("phone", 0) + 1


async def test_a_log_back_dated_before_the_newest_keeps_the_newer_next_step(app, crm):
    store, ids = crm
    acme = ids["acme"]
    assert pending(store, acme) == date(2026, 11, 19)
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, acme)
        await press(pilot, "l")
        form = app.screen
        await pilot.press(*"Forgot to log this call")
        form.query_one("#fu-at", Input).value = "2026-11-08 11:00"
        form.query_one("#fu-next", Input).value = "+1d"
        await settle(pilot)
        await press(pilot, "ctrl+s")
        text = sections(app)
        order = [text.index(t) for t in ("2026-11-12 10:00", "2026-11-08 11:00", "2026-11-05 10:00")]
        assert order == sorted(order)
    assert pending(store, acme) == date(2026, 11, 19)


async def test_the_log_form_refuses_a_time_in_the_future(app, crm):
    store, ids = crm
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, ids["acme"])
        await press(pilot, "l")
        form = app.screen
        await pilot.press(*"Called")
        form.query_one("#fu-at", Input).value = "tomorrow 10:00"
        await settle(pilot)
        assert form.field("at").has_class("-invalid")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, FollowUpForm)
    assert len(follow_ups(store, ids["acme"])) == 2


async def test_edit_a_follow_up_from_the_history_writes_only_what_changed(app, crm):
    store, ids = crm
    acme = ids["acme"]
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, acme)
        assert "e edits the customer card" in focus_line(app)
        await select_follow_up(pilot, "Intro call")
        assert "e edits follow-up 2026-11-05 10:00" in focus_line(app)
        assert "d deletes it" in focus_line(app)
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, FollowUpForm) and form.entry is not None
        area = form.query_one("#fu-summary", SummaryArea)
        assert area.text == "Intro call, sent catalogue"
        area.text = ""
        await pilot.press(*"Intro call, sent the catalogue")
        await press(pilot, "ctrl+j", *"and the price list")
        await press(pilot, "ctrl+s")
        assert app.screen is screen
        assert "Intro call, sent the catalogue" in sections(app)
    fu = follow_ups(store, acme)[-1]
    assert fu.summary == "Intro call, sent the catalogue\nand the price list"
    assert fu.at.replace(tzinfo=UTC) == datetime(2026, 11, 5, 10, 0, tzinfo=UTC)  # untouched
    assert fu.next_on == date(2026, 11, 12) and fu.version == 2
    assert pending(store, acme) == date(2026, 11, 19)  # an older one's edit leaves the pending step


async def test_delete_a_follow_up_then_undo_with_the_app_key(app, crm):
    store, ids = crm
    acme = ids["acme"]
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, acme)
        await press(pilot, "d")  # the card is selected: nothing to delete
        assert not isinstance(app.screen, ConfirmModal)
        await select_follow_up(pilot, "Visited the plant")
        await press(pilot, "d")
        assert isinstance(app.screen, ConfirmModal)
        await press(pilot, "n")  # kept
        assert len(follow_ups(store, acme)) == 2
        await press(pilot, "d", "y")
        assert isinstance(app.screen, CustomerDetailScreen)
        await settle(pilot)
        assert [f.summary for f in follow_ups(store, acme)] == ["Intro call, sent catalogue"]
        assert pending(store, acme) == date(2026, 11, 12)  # the remaining newest's next step
        assert "Visited the plant" not in sections(app)
        assert "e edits the customer card" in focus_line(app)
        await press(pilot, "u")
        assert isinstance(app.screen, ConfirmModal)
        await press(pilot, "y")
        await settle(pilot)
        assert "Visited the plant" in sections(app)
    assert [f.summary for f in follow_ups(store, acme)] == [
        "Visited the plant, they want a quote",
        "Intro call, sent catalogue",
    ]
    assert pending(store, acme) == date(2026, 11, 19)


async def test_two_writers_the_other_writers_feedback_survives_the_reps_summary(app, crm):
    store, ids = crm
    acme = ids["acme"]
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, acme)
        await select_follow_up(pilot, "Visited the plant")
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, FollowUpForm) and form.entry is not None
        fid = form.entry.id
        with store.write("another writer") as s:  # meanwhile, elsewhere
            update_follow_up(s, fid, feedback="wants 10% off")
        area = form.query_one("#fu-summary", SummaryArea)
        area.text = "Visited the plant; quote requested"
        await settle(pilot)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, CustomerDetailScreen)
    with store.read() as s:
        fu = s.get(FollowUp, fid)
        assert fu is not None
        assert fu.summary == "Visited the plant; quote requested"
        assert fu.feedback == "wants 10% off"


async def test_two_writers_changing_the_same_field_is_refused_and_nothing_is_written(app, crm):
    store, ids = crm
    acme = ids["acme"]
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, acme)
        await select_follow_up(pilot, "Visited the plant")
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, FollowUpForm) and form.entry is not None
        fid = form.entry.id
        with store.write("another writer") as s:
            update_follow_up(s, fid, summary="theirs")
        form.query_one("#fu-summary", SummaryArea).text = "mine"
        form.query_one("#fu-feedback", Input).value = "also mine"
        await settle(pilot)
        await press(pilot, "ctrl+s")
        from tuicrm.ui.widgets.conflict import ConflictScreen

        assert isinstance(app.screen, ConflictScreen)  # asked: keep mine or take theirs
        assert [c.field for c in app.screen.conflicts] == ["summary"]
        with store.read() as s:
            fu = s.get(FollowUp, fid)
            assert fu is not None and (fu.summary, fu.feedback) == ("theirs", "price is the concern")
        await press(pilot, "escape")  # back to the form, still saying why, nothing written
        assert app.screen is form
        status = form.query_one("#form-status", Static).content
        assert "summary" in (status.plain if isinstance(status, Text) else str(status))
    with store.read() as s:
        fu = s.get(FollowUp, fid)
        assert fu is not None and (fu.summary, fu.feedback) == ("theirs", "price is the concern")


async def test_e_on_a_contact_opens_the_contact_form_and_the_profile_shows(app, crm):
    store, ids = crm
    acme = ids["acme"]
    with store.write("profile") as s:
        zhang = s.exec(select(Contact).where(Contact.name == "Zhang Wei")).one()
        zhang.birthday = date(1980, 5, 4)
        zhang.relationship = "trusted"
        zhang.prefers = "im"
        zhang.interests = "golf"
        zhang.im = "wx:zhangwei"
        s.add(zhang)
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, acme)
        text = sections(app)
        assert "born 1980-05-04 · relationship trusted · prefers im · likes golf · IM wx:zhangwei" in text
        await press(pilot, "j")
        assert "e edits contact Zhang Wei" in focus_line(app)
        await press(pilot, "e")
        from tuicrm.ui.widgets.contact_form import ContactForm

        assert isinstance(app.screen, ContactForm)


async def test_the_status_history_shows_from_to_when_and_who(app, crm):
    store, ids = crm
    from tuicrm.store.customers import get_customer, update_customer

    with store.write("status") as s:
        update_customer(s, get_customer(s, ids["acme"]), status="won")
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, ids["acme"])
        text = sections(app)
        assert "Status history (1)" in text
        assert "2026-11-22 09:00 intent → won · by " in text


async def test_ctrl_e_edits_the_summary_in_the_editor(app, crm, monkeypatch):
    import contextlib

    store, ids = crm
    monkeypatch.setenv("VISUAL", 'sh -c \'printf "first line\\nsecond line\\n" > "$1"\' sh')
    monkeypatch.setattr(type(app), "suspend", lambda self: contextlib.nullcontext())
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, ids["acme"])
        await press(pilot, "l")
        form = app.screen
        assert isinstance(form, FollowUpForm)
        await press(pilot, "ctrl+e")
        assert form.query_one("#fu-summary", SummaryArea).text == "first line\nsecond line"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, CustomerDetailScreen)
    assert follow_ups(store, ids["acme"])[0].summary == "first line\nsecond line"


async def test_ctrl_e_without_a_terminal_says_so_and_keeps_the_text(app, crm):
    from support import notified

    store, ids = crm
    async with app.run_test(size=SIZE) as pilot:  # headless: the app cannot suspend
        await open_detail(pilot, ids["acme"])
        await press(pilot, "l")
        form = app.screen
        await pilot.press(*"typed")
        await press(pilot, "ctrl+e")
        assert isinstance(app.screen, FollowUpForm)
        assert form.query_one("#fu-summary", SummaryArea).text == "typed"
        assert any("Could not open the editor" in str(n) for n in notified(app))
