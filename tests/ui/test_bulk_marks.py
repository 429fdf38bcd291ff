"""Marking rows in the customer list and acting on them all (issue #21): one change, one undo;
saved filters recalled with v. 80×24, the fixture database of support.py."""

from __future__ import annotations

from datetime import date

from sqlmodel import select
from support import notifications, settle
from textual.widgets import Static

from tuicrm.models import Customer, SavedFilter
from tuicrm.ui.screens.customers import CustomersScreen
from tuicrm.ui.widgets.bulk_actions import BulkChangeForm, BulkSnoozeForm
from tuicrm.ui.widgets.confirm import ConfirmModal
from tuicrm.ui.widgets.customer_table import CustomerTable


async def press(pilot, *keys: str) -> None:
    """The keys, then the app settles once (marking needs no database)."""
    await pilot.press(*keys)
    await settle(pilot, rounds=2)


def state(store, names):
    with store.read() as s:
        rows = s.exec(select(Customer).where(Customer.name.in_(names)).order_by(Customer.name))
        return {c.name: (c.next_follow_up_on, c.tags, c.owner, c.status, c.archived_at) for c in rows}


def status_line(app) -> str:
    return app.screen.query_one("#list-status", Static).content.plain


def table_lines(app) -> list[str]:
    table = app.screen.query_one(CustomerTable)
    return [table.render_line(y).text for y in range(table.size.height)]


async def save_form(pilot, value) -> None:
    pilot.app.screen.field(
        "to_on" if isinstance(pilot.app.screen, BulkSnoozeForm) else "value"
    ).control.value = value
    await settle(pilot)
    await press(pilot, "ctrl+s")


async def undo(pilot) -> str:
    await press(pilot, "u")
    assert isinstance(pilot.app.screen, ConfirmModal)
    body = pilot.app.screen.query_one("#confirm-body", Static).content.plain
    await press(pilot, "y")
    return body


async def test_mark_rows_then_one_change_and_one_undo_for_each_action(app, crm):
    store, _ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(CustomerTable)
        table.focus()
        await press(pilot, "space", "shift+down", "j", "space")  # rows 0, 1 (extended) and 2
        names = [name for _id, name in table.marked()]
        assert len(names) == 3 and "* 3 marked" in status_line(app)
        lines = table_lines(app)
        assert [line[:1] for line in lines[1:5]] == ["*", "*", "*", " "]  # a mark, not only a colour
        before = state(store, names)

        await press(pilot, "s")
        assert isinstance(app.screen, BulkSnoozeForm)
        await save_form(pilot, "2026-12-10")
        assert isinstance(app.screen, CustomersScreen)
        assert {v[0] for v in state(store, names).values()} == {date(2026, 12, 10)}
        assert table.marks == {} and "marked" not in status_line(app) and table_lines(app)[1][:1] != "*"
        assert any("snooze 3 customers to 2026-12-10 — u undoes" in n.message for n in notifications(app))
        assert "snooze 3 customers to 2026-12-10" in await undo(pilot)
        assert state(store, names) == before  # one undo: all three back

        await press(pilot, "space", "j", "space", "escape")  # esc clears the marks
        assert table.marks == {} and "marked" not in status_line(app)
        await press(pilot, "k", "space", "j", "space")
        two = [name for _id, name in table.marked()]
        before = state(store, two)
        for key, value, check in (("t", "vip", 1), ("a", "wang", 2), ("c", "dormant", 3)):
            await press(pilot, key)
            assert isinstance(app.screen, BulkChangeForm)
            await save_form(pilot, value)
            after = state(store, two)
            assert all(value in str(after[n][check]) for n in two), (key, after)
            assert table.marks == {}
            await press(pilot, "space", "k" if table.cursor == 3 else "j", "space")  # the same two again
        await press(pilot, "x")
        assert isinstance(app.screen, ConfirmModal)
        await press(pilot, "y")
        assert all(v[4] is not None for v in state(store, two).values())
        assert "archive 2 customers" in await undo(pilot)
        after = state(store, two)
        assert all(after[n][4] is None and after[n][1:4] != before[n][1:4] for n in two)  # tag etc. kept

        await press(pilot, "t")  # nothing marked: the cursor row alone
        assert "1 customer" in app.screen.query_one("#form-title", Static).content.plain


async def test_save_a_filter_and_recall_it_with_v_and_its_key(app, crm):
    store, _ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(CustomerTable)
        table.focus()
        await press(pilot, "f")
        form = app.screen
        form.field("tier").control.value = "A"
        form.field("quiet").control.value = "30 days"
        form.field("save_as").control.value = "cold A"
        form.field("slot").control.value = "3"
        await settle(pilot)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, CustomersScreen)
        filtered = table.total
        assert "tier A" in status_line(app) and "no contact in 30d" in status_line(app)
        with store.read() as s:
            saved = s.exec(select(SavedFilter)).one()
        assert (saved.name, saved.slot) == ("cold A", 3)
        await press(pilot, "F")  # clear filters
        assert table.total == 17
        await press(pilot, "v")
        assert "cold A" in str(app.screen.query_one("OptionList").get_option_at_index(0).prompt)
        await press(pilot, "3")  # its key
        assert isinstance(app.screen, CustomersScreen) and table.total == filtered
        assert "tier A" in status_line(app)
