"""Issue #16: the customer and contact forms carry every stored field, keyed by the model's field
names (only labels are translated), and a new field typed at 80×24 lands in the database."""

from __future__ import annotations

from support import settle
from textual.widgets import Select

from tuicrm.models import Contact, Customer
from tuicrm.ui.widgets import contact_form, customer_form
from tuicrm.ui.widgets.contact_form import ContactForm
from tuicrm.ui.widgets.customer_form import CustomerForm
from tuicrm.ui.widgets.forms import FormField

NEW_CUSTOMER_FIELDS = {
    "registered_address",
    "address",
    "region",
    "company_revenue",
    "product_preference",
    "payment_method",
    "renewal_risk",
    "renewal_on",
}
NEW_CONTACT_FIELDS = {"gender", "education", "work_history", "department", "im", "birthday"}
NEW_CONTACT_FIELDS |= {"relationship", "prefers", "interests"}


async def test_a_region_typed_in_the_customer_form_is_saved(app, crm):
    store, ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(CustomerForm(store, app.config, ids["acme"]))
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CustomerForm)
        keys = {f.key for f in form.query(FormField)}
        assert NEW_CUSTOMER_FIELDS <= keys
        risk = form.field("renewal_risk").control
        assert isinstance(risk, Select)
        status = form.field("status").control
        assert isinstance(status, Select)
        status.value = "dormant"  # an unknown value would raise InvalidSelectValueError
        form.field("region").control.focus()
        await pilot.press(*"East")
        risk.value = "high"
        await settle(pilot)
        form.action_save()
        await settle(pilot)
        assert not isinstance(app.screen, CustomerForm)  # saved
    with store.read() as s:
        c = s.get(Customer, ids["acme"])
        assert (c.region, c.renewal_risk, c.status) == ("East", "high", "dormant")
        assert c.industry == "Manufacturing"


async def test_an_education_typed_in_a_new_contact_is_saved(app, crm):
    store, ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ContactForm(store, app.config, ids["acme"]))
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContactForm)
        assert NEW_CONTACT_FIELDS <= {f.key for f in form.query(FormField)}
        form.field("name").control.focus()
        await pilot.press(*"Liu Yang")
        form.field("education").control.focus()
        await pilot.press(*"MBA")
        await settle(pilot)
        form.action_save()
        await settle(pilot)
        assert not isinstance(app.screen, ContactForm)
    with store.read() as s:
        from sqlmodel import select

        row = s.exec(select(Contact).where(Contact.name == "Liu Yang")).one()
        assert (row.customer_id, row.education, row.gender) == (ids["acme"], "MBA", None)


async def test_field_keys_are_model_field_names_whatever_the_language(app, crm, monkeypatch):
    """A translated key would save nothing (or fail): only labels go through ``_()``."""
    store, ids = crm
    shout = str.upper  # a "translation" that changes every message
    monkeypatch.setattr(customer_form, "_", shout)
    monkeypatch.setattr(contact_form, "_", shout)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for screen, model in (
            (CustomerForm(store, app.config, ids["acme"]), Customer),
            (ContactForm(store, app.config, ids["acme"]), Contact),
        ):
            app.push_screen(screen)
            await settle(pilot)
            fields = list(screen.query(FormField))
            assert fields and {f.key for f in fields} <= set(model.model_fields)
            assert all(f.label_text == f.label_text.upper() for f in fields)  # labels translated
            screen.dismiss(None)
            await settle(pilot)


async def test_a_new_customer_you_have_is_named_before_it_is_added(app, crm):
    """Issue #21: ``n`` on the list, a name the list already holds (another case and spacing):
    the first ^s names the customer you have, the second adds it; the first follow-up is
    prefilled by the cadence so that the new customer reaches the queue."""
    from support import screen_text

    store, ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CustomerForm)
        next_on = form.field("next_follow_up_on").control.value
        assert next_on  # the cadence's date, not empty
        form.field("name").control.focus()
        await pilot.press(*"beta  LOGISTICS")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CustomerForm)
        text = screen_text(app)
        assert "you may have this customer" in text and "Beta Logistics" in text
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, CustomerForm)
    with store.read() as s:
        added = [c for c in s.query(Customer).all() if c.name == "beta  LOGISTICS"]
        assert len(added) == 1 and added[0].next_follow_up_on.isoformat() == next_on


async def test_checkboxes_read_as_text_not_only_colour(app, crm):
    """Issue #21: a checked box reads ``[x]``, an unchecked one ``[ ]`` (``NO_COLOR`` safe)."""
    from support import screen_text

    store, ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ContactForm(store, app.config, ids["acme"]))
        await settle(pilot)
        app.screen.field("is_key_decision_maker").control.focus()  # scrolled into view
        await settle(pilot)
        text = screen_text(app)
        assert "[ ] primary contact" in text and "[ ] key decision-maker" in text
        app.screen.field("is_primary").control.value = True
        await settle(pilot)
        assert "[x] primary contact" in screen_text(app)
