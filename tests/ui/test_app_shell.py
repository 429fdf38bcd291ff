"""The app shell (issue #3 part 1): overdue panel, customer list, detail, forms, undo, help.

Pilot tests press the keys a rep presses and check both the screen and the database rows.
"""

from __future__ import annotations

from datetime import date

import pytest
from rich.text import Text
from sqlmodel import func, select
from support import MARKUP_NAME, TODAY, notifications, region_lines, screen_text, settle
from textual.widgets import Input, OptionList, Static

from tuicrm.config import DEFAULT, Config
from tuicrm.models import Contact, Customer, FollowUp, Operation, Opportunity, Snooze
from tuicrm.ui.app import make_app
from tuicrm.ui.screens.customer_detail import CustomerDetailScreen
from tuicrm.ui.screens.customers import CustomersScreen
from tuicrm.ui.screens.help import HelpScreen
from tuicrm.ui.widgets.confirm import ConfirmModal
from tuicrm.ui.widgets.contact_form import ContactForm
from tuicrm.ui.widgets.contact_picker import ContactPicker
from tuicrm.ui.widgets.customer_form import CustomerForm
from tuicrm.ui.widgets.customer_table import CustomerTable
from tuicrm.ui.widgets.followup_form import FollowUpForm, SummaryArea
from tuicrm.ui.widgets.opportunity_form import OpportunityForm
from tuicrm.ui.widgets.overdue_panel import OverdueList, OverduePanel
from tuicrm.ui.widgets.snooze import SnoozeForm

SIZES = [(80, 24), (120, 40)]


# --- helpers ---------------------------------------------------------------------------------


def plain(value) -> str:
    if isinstance(value, Text):
        return value.plain
    plain_attr = getattr(value, "plain", None)
    return plain_attr if isinstance(plain_attr, str) else str(value)


def static_text(app, selector: str) -> str:
    return plain(app.screen.query_one(selector, Static).content)


def table_lines(app) -> list[str]:
    table = app.screen.query_one(CustomerTable)
    return [table.render_line(y).text for y in range(table.size.height)]


def panel_lines(app) -> list[str]:
    panel = app.screen.query_one(OverduePanel)
    return [plain(o.prompt) for o in panel.list.options]


def db_due_now(store) -> int:
    with store.read() as s:
        return s.exec(
            select(func.count())
            .select_from(Customer)
            .where(
                Customer.archived_at.is_(None),
                Customer.next_follow_up_on.is_not(None),
                Customer.next_follow_up_on <= TODAY,
            )
        ).one()


def count(store, model) -> int:
    with store.read() as s:
        return s.exec(select(func.count()).select_from(model)).one()


def customer(store, customer_id: int) -> Customer:
    with store.read() as s:
        return s.get(Customer, customer_id)


async def press(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot, rounds=2)


async def open_detail(pilot, customer_id: int) -> None:
    """Once the list is up, open a customer's detail (as enter on its row does)."""
    await settle(pilot)
    pilot.app.open_customer(customer_id)
    await settle(pilot)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*list(text))
    await settle(pilot, rounds=2)


# --- the overdue panel and the daily loop --------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_startup_shows_panel_with_database_count(app, crm, size):
    store, ids = crm
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CustomersScreen)
        panel = app.screen.query_one(OverduePanel)
        assert panel.display and panel.region.width == (42 if size[0] >= 120 else 30)  # wider at 120+
        assert panel.count == db_due_now(store) == 5
        assert "Call next: 5 due" in static_text(app, "#panel-title")
        assert "3 overdue" in static_text(app, "#panel-title") and "2 today" in static_text(
            app, "#panel-title"
        )
        assert isinstance(app.focused, OverdueList)
        # call-next order, with days overdue as words + a marker, tier and next action
        lines = panel_lines(app)
        assert lines[0].splitlines() == [
            "Acme Trading Co.",
            "! 3 days overdue · tier A",
            "→ send revised quote",
        ]
        assert [item.splitlines()[0] for item in lines] == [
            "Acme Trading Co.",
            "Delta Foods",
            "Beta Logistics",
            "Gamma Chemicals 伽马化工",
            MARKUP_NAME,
        ]
        assert lines[3].splitlines()[1] == "• due today · tier A"
        # the list fits beside the panel, with its total count
        table = app.screen.query_one(CustomerTable)
        assert table.region.width >= 48 and table.region.right <= size[0]
        assert table.total == 17
        assert static_text(app, "#list-status").startswith("17 customers")


async def test_nothing_due_hides_panel(tmp_path, monkeypatch):
    from tuicrm.store import Store
    from tuicrm.store.customers import create_customer

    store = Store.open(str(tmp_path / "empty.db"))
    with store.write("fixture") as s:
        create_customer(s, "Calm Co", next_follow_up_on=date(2026, 12, 1))
    app = make_app(store, DEFAULT)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(OverduePanel)
        assert not panel.display
        assert isinstance(app.focused, CustomerTable)
        await press(pilot, "o")  # o shows it anyway
        assert panel.display and "Call next: 0" in static_text(app, "#panel-title")
        await press(pilot, "o")
        assert not panel.display
    store.dispose()


async def test_daily_loop_two_keystrokes_besides_the_summary(app, crm):
    """Two customers in one run: the first log saved with enter, the second with ctrl+s."""
    store, ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = count(store, FollowUp)
        keystrokes = 0

        await pilot.press("enter")  # open Acme with the log form ready
        keystrokes += 1
        await settle(pilot)
        assert isinstance(app.screen, FollowUpForm)
        assert isinstance(app.focused, SummaryArea) and app.focused.id == "fu-summary"
        assert app.screen.query_one("#fu-next", Input).value == "auto"
        # the detail is underneath, showing who this is
        assert isinstance(app.screen_stack[-2], CustomerDetailScreen)

        await type_text(pilot, "Sent the revised quote")
        await pilot.press("enter")
        keystrokes += 1
        await settle(pilot)

        assert keystrokes <= 4
        assert isinstance(app.screen, CustomersScreen)
        with store.read() as s:
            rows = s.exec(
                select(FollowUp).where(FollowUp.customer_id == ids["acme"]).order_by(FollowUp.id.desc())
            ).all()
        assert count(store, FollowUp) == before + 1
        assert rows[0].summary == "Sent the revised quote" and rows[0].channel == "phone"
        # cadence: intent = 3 days (tier A caps at 7)
        assert rows[0].next_on == date(2026, 11, 25)
        assert customer(store, ids["acme"]).next_follow_up_on == date(2026, 11, 25)
        panel = app.screen.query_one(OverduePanel)
        assert panel.count == 4 == db_due_now(store)
        assert "Call next: 4 due" in static_text(app, "#panel-title")
        assert panel.selected.customer_id == ids["delta"]  # the next item is selected
        assert isinstance(app.focused, OverdueList)

        # and again: the loop continues from the panel
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FollowUpForm) and isinstance(app.focused, SummaryArea)
        await type_text(pilot, "Checked in")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CustomersScreen)
        assert panel.count == 3 == db_due_now(store)
        assert count(store, FollowUp) == before + 2
        assert panel.selected.customer_id == ids["beta"]
        assert customer(store, ids["delta"]).next_follow_up_on == date(2026, 12, 22)  # won: 30 days


async def test_log_form_cancel_stays_on_detail_and_writes_nothing(app, crm):
    store, ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        ops, follow_ups = count(store, Operation), count(store, FollowUp)
        await press(pilot, "enter")
        await type_text(pilot, "half typed")
        await press(pilot, "escape")
        assert isinstance(app.screen, CustomerDetailScreen)
        assert count(store, FollowUp) == follow_ups
        assert count(store, Operation) == ops
        await press(pilot, "escape")
        assert isinstance(app.screen, CustomersScreen)
        assert app.screen.query_one(OverduePanel).count == 5


async def test_why_explains_the_ranking(app, crm):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "w")
        messages = [n.message for n in notifications(app)]
        assert any(
            "Acme Trading Co." in m and "tier weight 4" in m and "pipeline bonus 10.0" in m for m in messages
        )


async def test_snooze_from_panel(app, crm):
    store, ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "s")
        assert isinstance(app.screen, SnoozeForm)
        assert app.screen.query_one("#snooze-to", Input).value == "+1d"
        await press(pilot, "enter")
        assert isinstance(app.screen, CustomersScreen)
        assert customer(store, ids["acme"]).next_follow_up_on == date(2026, 11, 23)
        with store.read() as s:
            snoozes = s.exec(select(Snooze).where(Snooze.customer_id == ids["acme"])).all()
        assert [(z.from_on, z.to_on) for z in snoozes] == [(date(2026, 11, 19), date(2026, 11, 23))]
        panel = app.screen.query_one(OverduePanel)
        assert panel.count == 4 and panel.selected.customer_id == ids["delta"]


async def test_snooze_refuses_bad_dates(app, crm):
    store, ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "s")
        field = app.screen.query_one("#snooze-to", Input)
        field.value = ""
        await type_text(pilot, "someday")
        await press(pilot, "enter")
        assert isinstance(app.screen, SnoozeForm)
        errors = [plain(s.content) for s in app.screen.query(".field-error") if s.display]
        assert any("is not a date" in e and "+3d" in e for e in errors)
        field.value = "yesterday"
        await press(pilot, "enter")
        assert isinstance(app.screen, SnoozeForm)
        assert count(store, Snooze) == 0
        field.value = "fri"
        await press(pilot, "enter")
        assert customer(store, ids["acme"]).next_follow_up_on == date(2026, 11, 27)


# --- the customer list ------------------------------------------------------------------------


async def test_search_as_you_type_narrows_and_enter_opens(app, crm):
    store, ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(CustomerTable)
        await press(pilot, "slash")
        assert app.focused.id == "search"
        totals = [table.total]
        for key in "bet":
            await press(pilot, key)
            totals.append(table.total)
            assert static_text(app, "#list-status").startswith(f"{table.total} customer")
        # each key narrows: 17 → 'b' → 'be' → 'bet'
        assert totals[0] == 17
        assert all(a >= b for a, b in zip(totals, totals[1:], strict=False))
        assert totals[1] > totals[-1] == 1
        assert "Beta Logistics" in "\n".join(table_lines(app))
        await press(pilot, "enter")
        assert isinstance(app.screen, CustomerDetailScreen)
        assert app.screen.customer_id == ids["beta"]
        assert "Beta Logistics" in static_text(app, "#detail-title")
        await press(pilot, "escape")  # back on the list, keys are keys again (not search text)
        assert isinstance(app.focused, CustomerTable)
        await press(pilot, "n")
        assert isinstance(app.screen, CustomerForm)


async def test_search_matches_contacts_phone_and_code(app, crm):
    store, ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(CustomerTable)
        await press(pilot, "slash")
        for query, expected in (("zhang", "acme"), ("1390000", "acme"), ("c000007", "gamma")):
            app.screen.query_one("#search", Input).value = query
            await settle(pilot)
            assert table.total == 1, query
            assert table.current_row.id == ids[expected]
        await press(pilot, "escape")
        assert isinstance(app.focused, CustomerTable)


async def test_list_keys_filter_sort_and_move(app, crm):
    store, ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(CustomerTable)
        table.focus()
        await press(pilot, "j", "j", "down")
        assert table.cursor == 3
        await press(pilot, "k")
        assert table.cursor == 2
        await press(pilot, "d")  # due only
        assert table.total == 5
        assert "due now" in static_text(app, "#list-status")
        await press(pilot, "F")
        assert table.total == 17
        await press(pilot, "S")  # sort by next follow-up
        assert table.sort == "next"
        assert "Next▲" in table_lines(app)[0]
        await press(pilot, "r")
        assert table.descending and "Next▼" in table_lines(app)[0]
        await press(pilot, "f")  # filter form: tier A
        from textual.widgets import Select

        from tuicrm.ui.screens.customers import FilterForm

        assert isinstance(app.screen, FilterForm)
        app.screen.field("tier").control.value = "A"
        await settle(pilot)
        assert isinstance(app.screen.field("industry").control, Select)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, CustomersScreen)
        assert table.total == 2 and "tier A" in static_text(app, "#list-status")


async def test_archive_then_undo(app, crm):
    store, ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(CustomerTable)
        table.focus()
        await press(pilot, "j", "j", "j")  # Echo Retail (sorted by name)
        assert table.current_row.name == "Echo Retail"
        await press(pilot, "x")
        assert customer(store, ids["echo"]).archived_at is not None
        assert table.total == 16
        assert any("Archived Echo Retail — u undoes" in n.message for n in notifications(app))
        await press(pilot, "u")
        assert isinstance(app.screen, ConfirmModal)
        body = plain(app.screen.query_one("#confirm-body", Static).content)
        assert "archive customer Echo Retail" in body and "un-archive Echo Retail" in body
        await press(pilot, "y")
        assert customer(store, ids["echo"]).archived_at is None
        assert table.total == 17


async def test_undo_can_be_declined(app, crm):
    store, ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "u")
        assert isinstance(app.screen, ConfirmModal)
        assert "fixture" in plain(app.screen.query_one("#confirm-body", Static).content)
        await press(pilot, "n")
        assert isinstance(app.screen, CustomersScreen)
        assert count(store, Customer) == 18


async def test_virtual_list_loads_only_the_window(tmp_path):
    from tuicrm.store import Store
    from tuicrm.store.customers import create_customer

    store = Store.open(str(tmp_path / "big.db"))
    with store.write("bulk") as s:
        for n in range(1500):
            create_customer(s, f"Customer {n:05d}")
    app = make_app(store, DEFAULT)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(CustomerTable)
        assert table.total == 1500
        assert len(table.window[1]) < 200  # a window, not the whole table
        await press(pilot, "end")
        assert table.cursor == 1499
        assert table.current_row.name == "Customer 01499"
        assert "Customer 01499" in "\n".join(table_lines(app))
        assert len(table.window[1]) < 200
        await press(pilot, "pageup")
        assert table.current_row is not None
    store.dispose()


# --- the detail screen ------------------------------------------------------------------------


async def test_detail_sections_and_reveal(app, crm):
    store, ids = crm
    async with app.run_test(size=(120, 40)) as pilot:
        await open_detail(pilot, ids["acme"])
        assert isinstance(app.screen, CustomerDetailScreen)
        right = static_text(app, "#detail-right")
        assert "138****5678" in right and "13812345678" not in right
        sections = static_text(app, "#detail-sections")
        assert "139****1111" in sections and "13900001111" not in sections
        assert "Contacts (2)" in sections and "★ Zhang Wei" in sections
        # follow-ups newest first
        assert sections.index("Visited the plant") < sections.index("Intro call")
        assert "Open opportunities (1)" in sections and "2027 annual supply · proposal 50%" in sections
        assert "Tier history (1)" in sections and "A (8+9=17)" in sections
        left = static_text(app, "#detail-left")
        assert "2026-11-19 ! 3 days overdue" in left
        await press(pilot, "r")
        assert "13812345678" in static_text(app, "#detail-right")
        assert "13900001111" in static_text(app, "#detail-sections")
        await press(pilot, "r")
        assert "13812345678" not in static_text(app, "#detail-right")
        await press(pilot, "escape")
        assert isinstance(app.screen, CustomersScreen)


def contact_named(store, customer_id: int, name: str) -> Contact:
    with store.read() as s:
        return s.exec(select(Contact).where(Contact.customer_id == customer_id, Contact.name == name)).one()


async def test_detail_edit_and_archive_a_contact(app, crm):
    """C on the detail lists the contacts (phones masked); enter edits one, x archives one, u undoes."""
    store, ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        await open_detail(pilot, ids["acme"])
        await press(pilot, "C")
        assert isinstance(app.screen, ContactPicker)
        options = [plain(o.prompt) for o in app.screen.query_one(OptionList).options]
        assert options[0].startswith("★ Zhang Wei") and "139****1111" in options[0]
        assert "13900001111" not in " ".join(options) and options[1].startswith("  Li Na")

        await press(pilot, "enter")  # Zhang Wei, highlighted first
        assert isinstance(app.screen, ContactForm)
        form = app.screen
        assert form.field("name").raw() == "Zhang Wei" and form.field("is_primary").raw() is True
        assert form.field("phone").control.password  # masked until ctrl+r, as on the card
        assert "masked: ctrl+r shows it" in plain(
            form.field("phone").query_one(".field-hint", Static).content
        )
        await press(pilot, "ctrl+r")
        assert not form.field("phone").control.password
        assert "masked" not in plain(form.field("phone").query_one(".field-hint", Static).content)
        form.field("title").control.value = "Head of purchasing"
        form.field("mobile").control.value = "not a phone"
        await settle(pilot)
        await press(pilot, "ctrl+s")  # refused: the mobile is not a number
        assert isinstance(app.screen, ContactForm)
        assert contact_named(store, ids["acme"], "Zhang Wei").title == "Purchasing manager"
        form.field("mobile").control.value = "13700009999"
        await settle(pilot)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, CustomerDetailScreen)
        zhang = contact_named(store, ids["acme"], "Zhang Wei")
        assert (zhang.title, zhang.mobile, zhang.phone, zhang.is_primary) == (
            "Head of purchasing",
            "13700009999",
            "13900001111",
            True,
        )
        assert "Head of purchasing" in static_text(app, "#detail-sections")

        await press(pilot, "C", "down", "x")  # Li Na
        assert isinstance(app.screen, CustomerDetailScreen)
        assert contact_named(store, ids["acme"], "Li Na").archived_at is not None
        sections = static_text(app, "#detail-sections")
        assert "Contacts (1)" in sections and "Li Na" not in sections
        assert any("Archived contact Li Na — u undoes" in n.message for n in notifications(app))
        await press(pilot, "u")
        assert isinstance(app.screen, ConfirmModal)
        assert "archive contact Li Na" in plain(app.screen.query_one("#confirm-body", Static).content)
        await press(pilot, "y")
        assert contact_named(store, ids["acme"], "Li Na").archived_at is None
        assert "Contacts (2)" in static_text(app, "#detail-sections")

        await press(pilot, "C", "escape")  # nothing written
        assert isinstance(app.screen, CustomerDetailScreen)


async def test_editing_a_contact_writes_only_what_changed(app, crm):
    """Multi-line notes and an old number the form would refuse stay as stored when only the
    title is edited; a new role of decision-maker marks the contact as one."""
    store, ids = crm
    with store.write("by another program") as s:
        li = s.exec(select(Contact).where(Contact.customer_id == ids["acme"], Contact.name == "Li Na")).one()
        li.notes = "line one\nline two"
        li.phone = "ask reception"  # imported as it came; the form's phone check would refuse it
        s.add(li)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_detail(pilot, ids["acme"])
        await press(pilot, "C", "down", "enter")
        form = app.screen
        assert isinstance(form, ContactForm) and form.field("name").raw() == "Li Na"
        form.field("title").control.value = "Lead engineer"
        form.field("role").control.value = "decision-maker"
        await settle(pilot)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, CustomerDetailScreen)
    li = contact_named(store, ids["acme"], "Li Na")
    assert (li.title, li.notes, li.phone) == ("Lead engineer", "line one\nline two", "ask reception")
    assert li.role == "decision-maker" and li.is_key_decision_maker


async def test_detail_contacts_key_without_contacts_says_how_to_add_one(app, crm):
    store, ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        await open_detail(pilot, ids["beta"])
        await press(pilot, "C")
        assert isinstance(app.screen, CustomerDetailScreen)
        assert any("No contacts yet. Press c to add one." in n.message for n in notifications(app))


async def test_detail_new_contact_and_opportunity(app, crm):
    store, ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        await open_detail(pilot, ids["beta"])
        await press(pilot, "c")
        assert isinstance(app.screen, ContactForm)
        await press(pilot, "ctrl+s")  # empty name: refused
        assert isinstance(app.screen, ContactForm)
        await type_text(pilot, "Wang Fang")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, CustomerDetailScreen)
        assert "Wang Fang" in static_text(app, "#detail-sections")
        with store.read() as s:
            contact = s.exec(select(Contact).where(Contact.customer_id == ids["beta"])).one()
        assert contact.name == "Wang Fang" and contact.is_primary

        await press(pilot, "p")
        assert isinstance(app.screen, OpportunityForm)
        await type_text(pilot, "Warehouse deal")
        app.screen.query_one("#op-amount", Input).value = "lots"
        await settle(pilot)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, OpportunityForm)
        assert count(store, Opportunity) == 1
        app.screen.query_one("#op-amount", Input).value = "80,000"
        await settle(pilot)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, CustomerDetailScreen)
        with store.read() as s:
            opp = s.exec(select(Opportunity).where(Opportunity.customer_id == ids["beta"])).one()
        assert opp.name == "Warehouse deal" and opp.amount == 80000 and opp.probability == 10


async def test_detail_archive_goes_back_with_undo_hint(app, crm):
    store, ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        await open_detail(pilot, ids["fox"])
        await press(pilot, "x")
        assert isinstance(app.screen, CustomersScreen)
        assert customer(store, ids["fox"]).archived_at is not None
        assert app.screen.query_one(CustomerTable).total == 16


# --- forms -------------------------------------------------------------------------------------


async def test_customer_form_validates_as_you_type_and_escape_writes_nothing(app, crm):
    store, ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        customers, ops = count(store, Customer), count(store, Operation)
        await press(pilot, "n")
        assert isinstance(app.screen, CustomerForm)
        form = app.screen
        await press(pilot, "ctrl+s")  # nothing typed: refused, reason shown next to the field
        assert isinstance(app.screen, CustomerForm)
        name_field = form.field("name")
        assert name_field.has_class("-invalid")
        assert "Name is required." in plain(name_field.query_one(".field-error", Static).content)
        assert "Not saved" in static_text(app, "#form-status")
        await type_text(pilot, "Zulu Trading")
        assert not name_field.has_class("-invalid")  # validated as you type
        email = form.field("email")
        email.control.value = "not-an-email"
        await settle(pilot)
        assert email.has_class("-invalid")
        assert "is not an email address" in plain(email.query_one(".field-error", Static).content)
        nxt = form.field("next_follow_up_on")
        nxt.control.value = "+3d"
        await settle(pilot)
        assert "2026-11-25" in plain(nxt.query_one(".field-hint", Static).content)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, CustomerForm)  # still refused: the email
        await press(pilot, "escape")
        assert isinstance(app.screen, CustomersScreen)
        assert count(store, Customer) == customers and count(store, Operation) == ops


async def test_new_customer_saves_and_opens_detail(app, crm):
    store, ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "n")
        await type_text(pilot, "Zulu Trading")
        app.screen.field("next_follow_up_on").control.value = "fri"
        app.screen.field("phone").control.value = "13611112222"
        await settle(pilot)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, CustomerDetailScreen)
        with store.read() as s:
            z = s.exec(select(Customer).where(Customer.name == "Zulu Trading")).one()
        assert z.next_follow_up_on == date(2026, 11, 27) and z.phone == "13611112222" and z.owner == "rep"
        assert "136****2222" in static_text(app, "#detail-right")


async def test_edit_customer_records_next_date_change_as_snooze(app, crm):
    store, ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        await open_detail(pilot, ids["beta"])
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, CustomerForm)
        assert form.field("phone").control.password  # masked until ctrl+r
        assert "masked: ctrl+r shows it" in plain(
            form.field("phone").query_one(".field-hint", Static).content
        )
        await press(pilot, "ctrl+r")
        assert not form.field("phone").control.password
        assert "masked" not in plain(form.field("phone").query_one(".field-hint", Static).content)
        form.field("next_follow_up_on").control.value = "+2w"
        form.field("industry").control.value = "Freight"
        await settle(pilot)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, CustomerDetailScreen)
        c = customer(store, ids["beta"])
        assert c.industry == "Freight" and c.next_follow_up_on == date(2026, 12, 6)
        assert c.phone == "021-5555-0101"
        assert count(store, Snooze) == 1


async def test_followup_form_rejects_bad_date_and_empty_summary(app, crm):
    store, ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = count(store, FollowUp)
        await press(pilot, "enter")
        form = app.screen
        assert isinstance(form, FollowUpForm)
        await press(pilot, "enter")  # empty summary
        assert isinstance(app.screen, FollowUpForm)
        assert "Summary is required." in plain(
            form.field("summary").query_one(".field-error", Static).content
        )
        await type_text(pilot, "Called")
        form.query_one("#fu-next", Input).value = "next blue moon"
        await settle(pilot)
        assert form.field("next_on").has_class("-invalid")
        assert "is not a date" in plain(form.field("next_on").query_one(".field-error", Static).content)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, FollowUpForm) and count(store, FollowUp) == before
        form.query_one("#fu-next", Input).value = "+2w"
        await settle(pilot)
        assert "2026-12-06" in plain(form.field("next_on").query_one(".field-hint", Static).content)
        await press(pilot, "ctrl+s")
        assert count(store, FollowUp) == before + 1
        assert customer(store, ids["acme"]).next_follow_up_on == date(2026, 12, 6)


# --- user text is data -----------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_markup_name_is_literal_everywhere_and_clicks_are_harmless(app, crm, size):
    store, ids = crm
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        # the list
        lines = table_lines(app)
        row_y = next(y for y, line in enumerate(lines) if MARKUP_NAME in line)
        # the panel
        assert any(p.startswith(MARKUP_NAME) for p in panel_lines(app))
        assert any("→ [@click=app.quit]call[/]" in p for p in panel_lines(app))
        assert MARKUP_NAME in app.export_screenshot()
        # click the name in the list (row y of the table)
        table = app.screen.query_one(CustomerTable)
        await pilot.click(CustomerTable, offset=(12, row_y))
        await settle(pilot)
        assert app.return_code is None and app.is_running
        assert table.current_row.id == ids["inj"]
        # click it in the panel: opens the customer (not app.quit)
        panel = app.screen.query_one(OverduePanel)
        index = [o.id for o in panel.list.options].index(str(ids["inj"]))
        panel.list.highlighted = index
        panel.list.scroll_to_highlight()
        await settle(pilot)
        rows = region_lines(app, panel.list.region)
        row = next(y for y, text in enumerate(rows) if MARKUP_NAME in text)  # where the option shows
        await pilot.click(OverdueList, offset=(3, row))
        await settle(pilot)
        assert app.return_code is None and app.is_running
        # the detail (opened by the click with the log form, or opened here)
        if isinstance(app.screen, FollowUpForm):
            await press(pilot, "escape")
        if not isinstance(app.screen, CustomerDetailScreen):
            app.open_customer(ids["inj"])
            await settle(pilot)
        assert isinstance(app.screen, CustomerDetailScreen)
        title = static_text(app, "#detail-title")
        assert MARKUP_NAME in title
        assert "[b]Retail[/b]" in static_text(app, "#detail-left")
        assert "[bold]checked[/bold] pricing" in static_text(app, "#detail-sections")
        await pilot.click("#detail-title", offset=(12, 0))
        await settle(pilot)
        assert app.return_code is None and app.is_running
        # the follow-up form title
        await press(pilot, "l")
        assert MARKUP_NAME in plain(app.screen.query_one("#form-title", Static).content)
        await pilot.click("#form-title", offset=(20, 0))
        await settle(pilot)
        assert app.return_code is None and app.is_running


async def test_escape_sequences_are_stripped_on_display(tmp_path):
    from tuicrm.store import Store
    from tuicrm.store.customers import create_customer, update_customer

    store = Store.open(str(tmp_path / "esc.db"))
    with store.write("fixture") as s:
        c = create_customer(s, "Evil Co")
        # bypass the store's own cleaning, as a raw import or an old row might
        update_customer(s, c, notes="ok")
        c.name = "Evil\x1b[31m Co\x07"
        s.add(c)
    app = make_app(store, DEFAULT)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = "\n".join(table_lines(app))
        assert "Evil Co" in text and "\x1b" not in text and "\x07" not in text
    store.dispose()


async def test_no_color_overdue_is_still_marked(crm, monkeypatch):
    store, ids = crm
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(store, DEFAULT)
    assert app.no_color
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lines = table_lines(app)
        acme = next(line for line in lines if "Acme Trading" in line)
        gamma = next(line for line in lines if "Gamma Chemicals" in line)
        echo = next(line for line in lines if "Echo Retail" in line)
        assert "2026-11-19 !" in acme and "2026-11-22 •" in gamma and "!" not in echo and "•" not in echo
        assert "! 3 days overdue" in panel_lines(app)[0]
        assert "• due today" in panel_lines(app)[3]


# --- global keys ---------------------------------------------------------------------------------


async def test_help_lists_every_key_generated_from_bindings(app, crm):
    from tuicrm.ui.app import TuiCrmApp
    from tuicrm.ui.screens.customer_detail import CustomerDetailScreen as Detail
    from tuicrm.ui.screens.help import key_sections

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        sections = dict(key_sections())
        described = {row.description.split(":")[0] for rows in sections.values() for row in rows}
        for cls in (TuiCrmApp, CustomersScreen, Detail, CustomerTable, OverdueList, ContactPicker):
            for b in cls.BINDINGS:
                assert b.description in described, (cls.__name__, b.description)
        keys = {row.keys for row in sections["Everywhere"]}
        assert {"1", "2", "3", "4", "o", "/", "u", "?", "q", "ctrl+p"} <= keys
        await press(pilot, "escape")
        assert isinstance(app.screen, CustomersScreen)


async def test_keymap_from_config_overrides_keys(crm):
    store, ids = crm
    config = Config(keymap={"help": "f1", "list.new": "a"})
    app = make_app(store, config)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        assert "f1" in {
            row.keys
            for row in dict(__import__("tuicrm.ui.screens.help", fromlist=["x"]).key_sections(config.keymap))[
                "Everywhere"
            ]
        }
        await press(pilot, "escape")
        await press(pilot, "a")
        assert isinstance(app.screen, CustomerForm)


async def test_missing_screens_notify_instead_of_crashing(app, crm, monkeypatch):
    from tuicrm.ui import app as app_module

    monkeypatch.setitem(
        app_module.LAZY_SCREENS, "timeline", ("tuicrm.ui.screens.no_such_module", "X", "The timeline")
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "2")
        assert isinstance(app.screen, CustomersScreen)
        assert any("The timeline is not built yet." in n.message for n in notifications(app))


async def test_number_keys_switch_screens_and_back(app, crm):
    from tuicrm.ui.app import LAZY_SCREENS

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key, mode in (("2", "timeline"), ("3", "tiers"), ("4", "pipeline")):
            await press(pilot, key)
            module, name, _ = LAZY_SCREENS[mode]
            try:
                cls = getattr(__import__(module, fromlist=[name]), name)
            except ImportError:
                assert isinstance(app.screen, CustomersScreen)
            else:
                assert isinstance(app.screen, cls)
            await press(pilot, "1")
            assert isinstance(app.screen, CustomersScreen)
        app.open_customer(ids_first := 1)
        await settle(pilot)
        assert isinstance(app.screen, CustomerDetailScreen) and ids_first == 1
        await press(pilot, "slash")  # / from the detail goes back to the list's search
        assert isinstance(app.screen, CustomersScreen) and app.focused.id == "search"


async def test_o_from_detail_returns_to_list_with_panel(app, crm):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "o")
        assert not app.screen.query_one(OverduePanel).display
        app.open_customer(2)
        await settle(pilot)
        await press(pilot, "o")
        assert isinstance(app.screen, CustomersScreen)
        assert app.screen.query_one(OverduePanel).display


async def test_command_palette_runs_actions_and_opens_customers(app, crm):
    store, ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+p")
        from textual.command import CommandPalette

        assert isinstance(app.screen, CommandPalette)
        await type_text(pilot, "gamma")
        await pilot.pause(0.5)
        await settle(pilot)
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerDetailScreen) and app.screen.customer_id == ids["gamma"]
        await press(pilot, "ctrl+p")
        await type_text(pilot, "New contact")
        await pilot.pause(0.5)
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactForm)


def test_docs_keys_md_is_generated_from_bindings():
    """docs/keys.md holds the tables ``keys_markdown()`` generates (checked for the app shell's sections;
    regenerate the page when bindings change)."""
    from pathlib import Path

    from tuicrm.ui.screens.help import keys_markdown

    doc = (Path(__file__).resolve().parents[2] / "docs" / "keys.md").read_text(encoding="utf-8")
    generated = keys_markdown()
    for section in generated.split("### ")[1:]:
        title = section.splitlines()[0]
        if title.startswith(("Timeline", "Tier board", "Pipeline")):
            continue  # those screens' own tests guard their keys
        assert "### " + section.strip() in doc, f"docs/keys.md is stale in section {title!r}: regenerate it"


async def test_a_failing_query_is_reported_in_one_line_not_a_crash(app, crm, monkeypatch):
    from tuicrm.ui.widgets import overdue_panel

    def broken(*args, **kwargs):
        raise RuntimeError("disk I/O error\nsecond line of detail")

    monkeypatch.setattr(overdue_panel, "panel_data", broken)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.return_code is None and app.is_running
        assert any(n.message == "Could not load the overdue list: disk I/O error" for n in notifications(app))
        assert app.screen.query_one(CustomerTable).total == 17  # the rest still works


async def test_the_palette_offers_every_screens_commands_with_where_they_apply(app, crm):
    """Issue #21: "snooze" is found on the pipeline too, says where it applies, and runs there."""
    from textual.command import CommandPalette

    from tuicrm.ui.commands import screen_commands
    from tuicrm.ui.screens.help import key_sections

    commands = screen_commands()
    snooze = next(c for title, c in commands.items() if title.startswith("Snooze"))
    assert [name for _show, name, _path, _key in snooze.places][:2] == ["Customers", "Timeline"]
    # every screen key the help lists under a numbered screen is in the palette
    titles = set(commands)
    for section, rows in key_sections():
        if section.endswith(tuple(f"({n})" for n in range(1, 10))):
            missing = {r.description for r in rows if r.binding_id and not r.binding_id.startswith("board.")}
            assert missing <= titles, (section, missing - titles)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "4")
        await settle(pilot)
        await press(pilot, "ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await type_text(pilot, "snooze")
        await pilot.pause(0.5)
        await settle(pilot)
        assert "Customers (s)" in screen_text(app)
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, SnoozeForm), type(app.screen)
