"""Snapshots at 80×24 of the timeline, tier board and pipeline (and their modals).

Update after a deliberate change with ``pytest tests/ui/test_board_snapshots.py --snapshot-update``
and look at the SVGs (``snapshot_report.html`` shows the differences on failure).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from textual.app import App

from tuicrm.config import DEFAULT
from tuicrm.store import Store
from tuicrm.store.customers import create_customer
from tuicrm.store.followups import log_follow_up
from tuicrm.store.pipeline import add_opportunity, move_opportunity
from tuicrm.store.tiers import assess_customer
from tuicrm.ui.screens.pipeline import PipelineScreen
from tuicrm.ui.screens.tiers import TierBoardScreen
from tuicrm.ui.screens.timeline import TimelineScreen

NOW = "2026-11-22T09:00"

CUSTOMERS = [
    # name, potential, willingness, next follow-up, next action, logged on (Nov day)
    ("Acme Trading Co", 8, 9, date(2026, 11, 19), "chase the signed quote", 12),
    ("Beijing Huaxin Tech", 5, 6, date(2026, 11, 22), "demo for the IT team", 15),
    ("[@click=app.quit]x[/]", None, None, date(2026, 11, 25), "[bold]not bold[/]", 18),
    ("Shenzhen Lianhe Ltd", 3, 4, date(2026, 12, 20), "quarterly check-in", 20),
    ("上海明远科技有限公司", 7, 8, date(2026, 11, 27), "send the contract", 21),
    ("Globex", 6, 5, None, None, None),
]

OPPORTUNITIES = [
    # customer index, name, amount, stage, close
    (0, "ERP rollout", 350_000, "lead", date(2026, 12, 15)),
    (1, "Annual licence", 120_000, "need", date(2027, 1, 10)),
    (4, "Hardware refresh", 1_200_000, "proposal", date(2027, 1, 31)),
    (2, "[b]Pilot[/b]", 8_000, "negotiation", None),
    (0, "Support renewal", 500_000, "won", date(2026, 11, 1)),
    (1, "Training", 50_000, "lost", date(2026, 11, 5)),
]


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("TUICRM_NOW", "2026-10-01T09:00")
    s = Store.open(str(tmp_path / "crm.db"))
    with s.write("old") as session:  # an opportunity nobody touched since October: stale
        quiet = create_customer(session, "Quiet Corp", status="intent")
        add_opportunity(
            session, DEFAULT, quiet, "Old deal", 90_000, stage="need", expected_close_on=date(2026, 12, 31)
        )
    monkeypatch.setenv("TUICRM_NOW", NOW)
    with s.write("fixture") as session:
        made = []
        for name, potential, willingness, next_on, action, logged in CUSTOMERS:
            customer = create_customer(session, name, status="intent")
            if potential is not None:
                assess_customer(session, DEFAULT, customer, potential, willingness, basis="snapshot")
            if next_on is not None:
                log_follow_up(
                    session,
                    DEFAULT,
                    customer,
                    f"call with {name}",
                    next_on=next_on,
                    next_action=action,
                    at=datetime(2026, 11, logged, 9, 30, tzinfo=UTC),
                )
            made.append(customer)
        for index, name, amount, stage, close in OPPORTUNITIES:
            opp = add_opportunity(
                session, DEFAULT, made[index], name, amount, stage="lead", expected_close_on=close
            )
            if stage != "lead":
                move_opportunity(session, DEFAULT, opp, stage, reason="price")
    yield s
    s.dispose()


class Host(App):
    def __init__(self, factory) -> None:
        super().__init__()
        self.factory = factory

    def on_mount(self) -> None:
        self.push_screen(self.factory())


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def test_timeline_80x24(snap_compare, store):
    assert snap_compare(
        Host(lambda: TimelineScreen(store, DEFAULT)), terminal_size=(80, 24), run_before=settle
    )


def test_tier_board_80x24(snap_compare, store):
    assert snap_compare(
        Host(lambda: TierBoardScreen(store, DEFAULT)), terminal_size=(80, 24), run_before=settle
    )


def test_pipeline_80x24(snap_compare, store):
    assert snap_compare(
        Host(lambda: PipelineScreen(store, DEFAULT)), terminal_size=(80, 24), run_before=settle
    )


def test_pipeline_120x40_all_columns(snap_compare, store):
    assert snap_compare(
        Host(lambda: PipelineScreen(store, DEFAULT)), terminal_size=(120, 40), run_before=settle
    )


def test_assessment_form_80x24(snap_compare, store):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("greater_than_sign")  # A → B: the form, prefilled for B
        await settle(pilot)  # (one pause was not always enough on a loaded machine)

    assert snap_compare(
        Host(lambda: TierBoardScreen(store, DEFAULT)), terminal_size=(80, 24), run_before=run_before
    )


def test_lost_reason_modal_80x24(snap_compare, store):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("m", "6", "enter")  # move to lost without a reason: refused, says why
        await pilot.pause()

    assert snap_compare(
        Host(lambda: PipelineScreen(store, DEFAULT)), terminal_size=(80, 24), run_before=run_before
    )
