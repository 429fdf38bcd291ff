"""Snapshots of the app shell at 80×24 on the fixed fixture database (clock pinned by conftest).

Regenerate after an intended change: ``pytest tests/ui/test_shell_snapshots.py --snapshot-update``,
then look at the SVGs in tests/ui/__snapshots__/ before committing them.
"""

from __future__ import annotations

from support import settle

from tuicrm.config import DEFAULT
from tuicrm.ui.app import make_app


def test_customer_list_with_overdue_panel(crm, snap_compare):
    store, _ids = crm

    async def ready(pilot):
        await settle(pilot)

    assert snap_compare(make_app(store, DEFAULT), terminal_size=(80, 24), run_before=ready)


def test_customer_detail(crm, snap_compare):
    store, ids = crm

    async def ready(pilot):
        await settle(pilot)
        pilot.app.open_customer(ids["acme"])
        await settle(pilot)

    assert snap_compare(make_app(store, DEFAULT), terminal_size=(80, 24), run_before=ready)


def test_daily_loop_form_over_detail(crm, snap_compare):
    store, _ids = crm

    async def ready(pilot):
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press(*"Sent quote")
        await settle(pilot)

    assert snap_compare(make_app(store, DEFAULT), terminal_size=(80, 24), run_before=ready)


def test_customer_list_wide(crm, snap_compare):
    store, _ids = crm

    async def ready(pilot):
        await settle(pilot)

    assert snap_compare(make_app(store, DEFAULT), terminal_size=(120, 40), run_before=ready)
