"""After the deal on the screens at 80×24 (issue #18): a customer's open complaints on its card
(the one past its deadline marked ``!``, a resolved one not shown, content as literal text)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from rich.text import Text
from support import screen_text, settle
from textual.widgets import Static

from tuicrm.config import DEFAULT
from tuicrm.store.complaints import add_complaint, get_complaint, resolve_complaint
from tuicrm.store.customers import get_customer
from tuicrm.ui.screens.customer_detail import CustomerDetailScreen


def open_complaints(store, customer_id: int) -> None:
    """Three complaints of one customer: a high one past its deadline (opened two days before the
    pinned clock), a low one still in time, and a resolved one."""
    with store.write("complaints") as s:
        customer = get_customer(s, customer_id)
        add_complaint(
            s,
            DEFAULT,
            customer,
            "[b]Late[/b] delivery",
            severity="high",
            opened_at=datetime(2026, 11, 20, 8, tzinfo=UTC),
        )
        add_complaint(
            s,
            DEFAULT,
            customer,
            "Wrong invoice title",
            severity="low",
            opened_at=datetime(2026, 11, 21, 8, tzinfo=UTC),
        )
        done = add_complaint(s, DEFAULT, customer, "Rude driver", severity="medium")
        resolve_complaint(s, get_complaint(s, int(done.id)), "apologised")


def block(app) -> Static:
    return app.screen.query_one("#detail-complaints", Static)


async def test_open_complaints_on_the_customer_card(app, crm):
    store, ids = crm
    open_complaints(store, ids["acme"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_customer(ids["acme"])
        await settle(pilot)
        assert isinstance(app.screen, CustomerDetailScreen)
        content = block(app).content
        assert isinstance(content, Text)
        lines = content.plain.splitlines()
        assert lines[0].startswith("2 open complaints")
        assert lines[1].startswith("K000001 high") and lines[1].endswith("[b]Late[/b] delivery")
        assert "2026-11-21" in lines[1] and "!" in lines[1]  # its 24 hours ran out
        assert lines[2].startswith("K000002 low") and "!" not in lines[2]
        assert "Rude driver" not in content.plain
        text = screen_text(app)
        assert "[b]Late[/b] delivery" in text and "2 open complaints" in text
        # a customer without open complaints: no block at all
        app.screen.dismiss()
        await settle(pilot)
        app.open_customer(ids["beta"])
        await settle(pilot)
        assert not block(app).display
        assert "open complaint" not in screen_text(app)


async def test_the_list_flags_a_customer_with_an_open_complaint(app, crm):
    from tuicrm.ui.widgets.customer_table import CustomerTable

    store, ids = crm
    open_complaints(store, ids["echo"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(CustomerTable)
        assert table.complained == frozenset({ids["echo"]})
        lines = screen_text(app).splitlines()
        assert any("⚑ Echo Retail" in line for line in lines)
        assert not any("⚑ Beta" in line or "⚑ Acme" in line for line in lines)


def assess_long_ago(store, ids) -> None:
    """Beta: last assessed 2026-08-22 (92 days before the pinned day: due again); Delta: 2026-08-23
    (exactly 91: not yet); Echo: an old assessment and a recent one (not due). Acme's 2026-10-01
    (the fixture) is recent; the rest were never assessed (nothing to re-assess)."""
    from tuicrm.store.tiers import assess_customer

    with store.write("assessments") as s:
        for key, day in (
            ("beta", date(2026, 8, 22)),
            ("delta", date(2026, 8, 23)),
            ("echo", date(2026, 1, 5)),
        ):
            assess_customer(s, DEFAULT, get_customer(s, ids[key]), 5, 5, assessed_on=day)
        assess_customer(s, DEFAULT, get_customer(s, ids["echo"]), 5, 5, assessed_on=date(2026, 11, 1))


def test_the_re_assess_filter_keeps_old_assessments_only(crm):
    from tuicrm.query.customers import page
    from tuicrm.query.filters import CustomerFilter

    store, ids = crm
    assess_long_ago(store, ids)
    with store.reading() as conn:
        rows = page(conn, CustomerFilter(reassess_before=date(2026, 8, 23)))
    assert [r.id for r in rows] == [ids["beta"]]


async def test_re_assess_on_the_tier_board_and_in_the_filter_form(app, crm):
    from tuicrm.ui.screens.filter_form import REASSESS_CHOICE, FilterForm
    from tuicrm.ui.widgets.customer_table import CustomerTable

    store, ids = crm
    assess_long_ago(store, ids)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert "1 to re-assess" in screen_text(app).splitlines()[0]
        await pilot.press("1")
        await settle(pilot)
        app.screen.query_one(CustomerTable).focus()
        await pilot.press("f")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FilterForm)
        form.field("reassess").control.value = REASSESS_CHOICE
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        table = app.screen.query_one(CustomerTable)
        assert table.total == 1 and table.current_row is not None and table.current_row.id == ids["beta"]
        assert "to re-assess" in screen_text(app)


async def test_anniversary_and_renewal_typed_in_the_forms_are_saved(app, crm):
    from sqlmodel import select

    from tuicrm.models import Contact, Opportunity
    from tuicrm.ui.widgets.contact_form import ContactForm
    from tuicrm.ui.widgets.opportunity_form import OpportunityForm

    store, ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ContactForm(store, app.config, ids["acme"]))
        await settle(pilot)
        form = app.screen
        form.field("name").control.focus()
        await pilot.press(*"Liu Yang")
        form.field("anniversary").control.focus()
        await pilot.press(*"2015-06-01")
        await settle(pilot)
        form.action_save()
        await settle(pilot)
        assert not isinstance(app.screen, ContactForm)
        app.push_screen(OpportunityForm(store, app.config, ids["beta"]))
        await settle(pilot)
        form = app.screen
        form.field("name").control.focus()
        await pilot.press(*"Support 2027")
        form.field("amount").control.focus()
        await pilot.press(*"900")
        form.field("renewal_on").control.focus()
        await pilot.press(*"2027-03-31")
        await settle(pilot)
        form.action_save()
        await settle(pilot)
        assert not isinstance(app.screen, OpportunityForm)
    with store.read() as s:
        contact = s.exec(select(Contact).where(Contact.name == "Liu Yang")).one()
        deal = s.exec(select(Opportunity).where(Opportunity.name == "Support 2027")).one()
        assert contact.anniversary == date(2015, 6, 1)
        assert (deal.customer_id, deal.renewal_on) == (ids["beta"], date(2027, 3, 31))
