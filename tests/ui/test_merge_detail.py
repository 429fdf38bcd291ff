"""The customer detail's M (issue #15): pick a possible duplicate, confirm, it is merged into this
customer off the UI thread."""

from __future__ import annotations

from sqlmodel import select
from support import settle

from tuicrm.models import Contact, Customer
from tuicrm.store.customers import create_contact, create_customer
from tuicrm.ui.screens.customer_detail import CustomerDetailScreen
from tuicrm.ui.widgets.confirm import ConfirmModal
from tuicrm.ui.widgets.merge_picker import MergePicker

SIZE = (80, 24)


async def test_m_merges_a_possible_duplicate_into_the_customer(app, crm):
    store, ids = crm
    acme = ids["acme"]
    with store.write("a duplicate") as s:
        dupe = create_customer(s, "ACME trading co")
        create_contact(s, dupe, "Qiao Mergetest", mobile="13755556666")
        dupe_id = dupe.id
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_customer(acme)
        await settle(pilot)
        assert isinstance(app.screen, CustomerDetailScreen)
        await pilot.press("M")
        await settle(pilot)
        assert isinstance(app.screen, MergePicker)
        assert [ref.id for ref, _same in app.screen.others] == [dupe_id]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await pilot.pause()
        await settle(pilot)
        assert isinstance(app.screen, CustomerDetailScreen)
    with store.read() as s:
        merged = s.get(Customer, dupe_id)
        assert merged is not None and merged.archived_at is not None
        moved = s.exec(select(Contact).where(Contact.name == "Qiao Mergetest")).one()
        assert moved.customer_id == acme


async def test_m_without_duplicates_says_so(app, crm):
    store, ids = crm
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_customer(ids["acme"])
        await settle(pilot)
        await pilot.press("M")
        await settle(pilot)
        assert isinstance(app.screen, CustomerDetailScreen)
