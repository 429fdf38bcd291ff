"""Issue #21: at 40×15 every screen shows its title, the focused item's name and ``? Help`` in the
footer, and the footer never cuts a key's word; under a form the screen's footer does not show
through (the form has its own)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from support import screen_lines, settle
from textual.widgets._footer import FooterKey

from tuicrm.config import DEFAULT
from tuicrm.models import Customer
from tuicrm.store.activities import add_activity
from tuicrm.store.complaints import add_complaint
from tuicrm.store.leads import create_lead
from tuicrm.store.receivables import add_receivable

WIDTH, HEIGHT = 40, 15


def add_one_of_each(store, ids) -> None:
    """An activity, a lead, a receivable and a complaint, so every screen has an item to focus."""
    with store.write("fixture: one of each") as s:
        acme = s.get(Customer, ids["acme"])
        add_activity(s, acme, "Plant visit", planned_start=datetime(2026, 11, 22, 14, 0, tzinfo=UTC))
        create_lead(s, DEFAULT, "Zeta Robotics", contact_name="Ms Wu", phone="13900001111")
        add_receivable(s, acme, Decimal("5000"), due_on=date(2026, 11, 1))
        add_complaint(s, DEFAULT, acme, "Late delivery of the second batch")


def footer_row(app) -> str:
    return screen_lines(app)[-1]


def assert_footer_whole(app, where: str) -> None:
    row = footer_row(app)
    assert row.rstrip().endswith("? Help"), (where, row)
    for key in app.screen.query(FooterKey):
        if not key.display or not key.description:
            continue
        assert key.region.right <= WIDTH, (where, key.description)
        # drawn whole: the key and every word of its description
        assert f"{key.key_display} {key.description}" in " ".join(row.split()), (where, key.description, row)


# (key, title shown, the focused item's name shown whole)
SCREENS = [
    ("1", "customers", "Acme Trading Co."),
    ("2", "Follow-up timeline", "Delta Foods"),
    ("3", "Tier board", "Acme Trading Co."),
    ("4", "Pipeline", "2027 annual supply"),
    ("5", "Reports", "Weekly"),
    ("6", "Agenda", "Plant visit"),
    ("7", "Leads", "Zeta Robotics"),
    ("8", "Receivables", "Acme Trading Co."),
    ("9", "Complaints", "K000001  Acme Trading Co."),
]


async def test_every_screen_at_40x15_keeps_title_focus_and_help(app, crm):
    add_one_of_each(*crm)
    async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
        await settle(pilot)
        for key, title, focused in SCREENS:
            await pilot.press(key)
            await settle(pilot)
            lines = screen_lines(app)
            body = "\n".join(lines[:-1])
            assert title.lower() in body.lower(), (key, title, body)
            assert focused in body, (key, focused, body)
            assert_footer_whole(app, key)
        await pilot.press("1", "enter")  # the customer's card
        await settle(pilot)
        assert "Acme Trading Co." in "\n".join(screen_lines(app)[:3])
        assert_footer_whole(app, "detail")
        await pilot.press("l")  # the log form over the card: its own footer, no ? (a typed character)
        await settle(pilot)
        row = footer_row(app)
        assert "^s Save" in row and "esc Cancel" in row and "? Help" not in row, row
        await pilot.press("escape")
        await settle(pilot)
