"""Edit forms against a second writer (issue #14): only the rep's changes are written, checked
against the row's version; a field both changed is asked about, never overwritten silently; a
save waits for the write lock off the UI thread."""

from __future__ import annotations

import sqlite3

from sqlmodel import select
from support import settle
from textual.pilot import Pilot
from textual.widgets import Select

from pilot_waits import RAW_PAUSE
from tuicrm.config import DEFAULT
from tuicrm.models import Contact
from tuicrm.store import customers as C
from tuicrm.ui.widgets.conflict import ConflictScreen
from tuicrm.ui.widgets.contact_form import ContactForm
from tuicrm.ui.widgets.customer_form import CustomerForm


def _customer(store, customer_id):
    with store.read() as s:
        return C.get_customer(s, customer_id)


def _other_writer(store, customer_id, **fields):
    """Another process's edit (a CLI `edit`), committed while the form is open."""
    with store.write("other writer") as s:
        C.update_customer(s, C.get_customer(s, customer_id), **fields)


async def _open_customer_form(app, pilot, store, customer_id):
    await settle(pilot)
    app.push_screen(CustomerForm(store, DEFAULT, customer_id))
    await settle(pilot)
    assert isinstance(app.screen, CustomerForm)
    return app.screen


async def test_an_unchanged_save_reverts_nothing(app, crm):
    store, ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_customer_form(app, pilot, store, ids["acme"])
        _other_writer(store, ids["acme"], industry="Glass", notes="called back", tags="vip")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, CustomerForm)
    row = _customer(store, ids["acme"])
    assert (row.industry, row.notes, row.tags) == ("Glass", "called back", "vip")


async def test_a_field_the_rep_did_not_touch_keeps_the_other_writers_change(app, crm):
    store, ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open_customer_form(app, pilot, store, ids["acme"])
        form.field("owner").control.value = "lin"
        await settle(pilot)
        _other_writer(store, ids["acme"], industry="Glass")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, CustomerForm)
    row = _customer(store, ids["acme"])
    assert (row.owner, row.industry) == ("lin", "Glass")


async def test_a_field_both_changed_is_asked_about_then_keep_mine(app, crm):
    store, ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open_customer_form(app, pilot, store, ids["acme"])
        form.field("industry").control.value = "Steel"
        form.field("owner").control.value = "lin"
        await settle(pilot)
        _other_writer(store, ids["acme"], industry="Glass", notes="theirs")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)  # nothing written yet
        assert [c.field for c in app.screen.conflicts] == ["industry"]
        assert _customer(store, ids["acme"]).owner != "lin"
        await pilot.press("ctrl+s")  # apply: keep mine (the default)
        await settle(pilot)
        assert not isinstance(app.screen, (CustomerForm, ConflictScreen))
    row = _customer(store, ids["acme"])
    assert (row.industry, row.owner, row.notes) == ("Steel", "lin", "theirs")


async def test_take_theirs_keeps_the_other_writers_value_and_the_reps_other_changes(app, crm):
    store, ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open_customer_form(app, pilot, store, ids["acme"])
        form.field("industry").control.value = "Steel"
        form.field("owner").control.value = "lin"
        await settle(pilot)
        _other_writer(store, ids["acme"], industry="Glass")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
        app.screen.query_one("#choice-industry", Select).value = "theirs"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, (CustomerForm, ConflictScreen))
    row = _customer(store, ids["acme"])
    assert (row.industry, row.owner) == ("Glass", "lin")


async def test_escape_from_the_question_goes_back_to_the_form_with_the_text_kept(app, crm):
    store, ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open_customer_form(app, pilot, store, ids["acme"])
        form.field("industry").control.value = "Steel"
        await settle(pilot)
        _other_writer(store, ids["acme"], industry="Glass")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is form and form.field("industry").raw() == "Steel"
        assert "Someone else changed" in str(form.query_one("#form-status").render())
    assert _customer(store, ids["acme"]).industry == "Glass"


async def test_contact_form_two_writers(app, crm):
    store, ids = crm
    with store.read() as s:
        contact_id = s.exec(select(Contact.id).where(Contact.customer_id == ids["acme"])).first()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ContactForm(store, DEFAULT, ids["acme"], contact_id=contact_id))
        await settle(pilot)
        form = app.screen
        form.field("title").control.value = "Director"
        form.field("interests").control.value = "golf"
        await settle(pilot)
        with store.write("other") as s:
            C.update_contact(s, C.get_contact(s, contact_id), department="Sales", interests="tea")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
        assert [c.field for c in app.screen.conflicts] == ["interests"]
        await pilot.press("ctrl+s")
        await settle(pilot)
    with store.read() as s:
        row = C.get_contact(s, contact_id)
    assert (row.title, row.department, row.interests) == ("Director", "Sales", "golf")


async def test_a_save_waits_for_the_lock_in_a_worker_and_keys_keep_working(app, crm, monkeypatch):
    store, ids = crm
    monkeypatch.setattr(Pilot, "pause", RAW_PAUSE)  # this test looks while the save still waits
    events: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open_customer_form(app, pilot, store, ids["acme"])
        form.field("owner").control.value = "lin"
        await pilot.pause()
        locker = sqlite3.connect(store.path, isolation_level=None)
        locker.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        try:
            await pilot.press("ctrl+s")
            form.field("notes").control.focus()
            await pilot.pause()
            await pilot.press("x")  # a key while the save waits
            events.append("key handled" if form.field("notes").raw().endswith("x") else "key lost")
            assert form.saving and app.screen is form
            await pilot.pause(0.4)
            assert "waiting for another program" in str(form.query_one("#form-status").render())
        finally:
            locker.execute("ROLLBACK")
            locker.close()
        for worker in list(app.workers):
            if worker.group == "form-save":
                await worker.wait()
        events.append("saved")
        await pilot.pause()
        assert app.screen is not form
    assert events == ["key handled", "saved"]
    assert _customer(store, ids["acme"]).owner == "lin"


async def test_a_busy_database_is_one_sentence_and_the_text_stays(app, crm, monkeypatch):
    from tuicrm.store.lean.connect import busy

    store, ids = crm

    def still_locked(self, values):
        raise busy()  # what the write raises once the busy timeout has passed

    monkeypatch.setattr(CustomerForm, "save", still_locked)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open_customer_form(app, pilot, store, ids["acme"])
        form.field("owner").control.value = "lin"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form and form.field("owner").raw() == "lin"
        status = str(form.query_one("#form-status").render())
        assert str(busy()) in status and "^s tries again" in status
