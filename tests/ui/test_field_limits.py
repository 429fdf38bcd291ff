"""One length limit per field (issue #14): the form reads the same table as the CLI, and a long
text stored before the limit existed stays editable (the form never refuses an unchanged field)."""

from __future__ import annotations

from support import settle
from textual.widgets import Select

from tuicrm.domain.limits import field_limit
from tuicrm.models import Customer
from tuicrm.store.customers import update_customer
from tuicrm.ui.widgets.customer_form import CustomerForm
from tuicrm.ui.widgets.forms import FormField


def note_of(store, customer_id):
    with store.read() as s:
        return s.get(Customer, customer_id).notes


async def test_a_long_stored_note_stays_editable_and_a_longer_typed_one_is_refused(app, crm):
    store, ids = crm
    most = field_limit("customer", "notes")
    long_note = "n" * (most + 2001)  # written before the limit (an old CLI, an old import)
    with store.write("old data") as s:
        update_customer(s, s.get(Customer, ids["acme"]), notes=long_note)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(CustomerForm(store, app.config, ids["acme"]))
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CustomerForm)
        notes: FormField = form.field("notes")
        assert notes.validate()[0]  # unchanged: fine
        industry = form.field("industry")
        industry.control.value = "Chemicals"
        await settle(pilot)
        form.action_save()
        await settle(pilot)
        assert not isinstance(app.screen, CustomerForm)  # saved
        with store.read() as s:
            c = s.get(Customer, ids["acme"])
            assert c.industry == "Chemicals" and c.notes == long_note
        # a note typed longer than the limit is refused, naming it
        app.push_screen(CustomerForm(store, app.config, ids["acme"]))
        await settle(pilot)
        form = app.screen
        form.field("notes").control.value = "x" * (most + 1)
        await settle(pilot)
        form.action_save()
        await settle(pilot)
        assert isinstance(app.screen, CustomerForm)
        assert f"at most {most} fit" in (form.field("notes").error or "")
        assert note_of(store, ids["acme"]) == long_note
        assert isinstance(form.field("tier").control, Select)
