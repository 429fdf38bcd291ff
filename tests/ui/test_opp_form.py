"""Editing a deal from the pipeline (#16): `e` on a card opens the opportunity form with every
field; saving changes the column sums and forecast; another writer's change to a field the rep
left alone survives the save."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from support import Host, screen_text
from textual.widgets import Input, Static

from tuicrm.config import DEFAULT
from tuicrm.models import Opportunity
from tuicrm.store import Store
from tuicrm.store.customers import create_customer
from tuicrm.store.pipeline import add_opportunity, update_opportunity
from tuicrm.ui.screens.pipeline import PipelineScreen
from tuicrm.ui.widgets.opportunity_form import OpportunityForm

NOW = "2026-11-22T09:00"


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("TUICRM_NOW", NOW)
    s = Store.open(str(tmp_path / "crm.db"))
    yield s
    s.dispose()


def fill(store: Store) -> int:
    with store.write("fixture") as s:
        acme = create_customer(s, "Acme Trading")
        opp = add_opportunity(
            s,
            DEFAULT,
            acme,
            "ERP rollout",
            200_000,
            stage="proposal",
            expected_close_on=date(2026, 11, 20),
            competitors="Initech",
            risks="budget freeze",
            next_step="demo for the CFO",
        )
        return int(opp.id)


def row(store: Store, opportunity_id: int) -> Opportunity:
    with store.read() as s:
        opp = s.get(Opportunity, opportunity_id)
        assert opp is not None
        return opp


async def loaded(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def header(screen: PipelineScreen, stage: str) -> list[str]:
    return screen.board.column(stage).query_one(".board-header", Static).render().plain.splitlines()


def forecast(screen: PipelineScreen) -> str:
    return screen.query_one("#forecast", Static).render().plain


async def open_form(pilot, opportunity_id: int) -> OpportunityForm:
    await loaded(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, PipelineScreen)
    assert screen.board.focus_card(f"o{opportunity_id}")
    await pilot.pause()
    await pilot.press("e")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, OpportunityForm)
    return form


async def test_the_card_shows_competitors_risks_next_step_and_a_passed_close(store):
    fill(store)
    app = Host(lambda: PipelineScreen(store, DEFAULT))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        text = screen_text(app)
        assert "Initech" in text and "budget freeze" in text and "demo for the CFO" in text
        assert "! close passed" in text  # the close date 2026-11-20 has passed
        assert "(passed)" in pilot.app.screen.query_one("#card-detail", Static).render().plain


async def test_editing_amount_and_close_changes_the_sums_and_the_forecast(store):
    oid = fill(store)
    app = Host(lambda: PipelineScreen(store, DEFAULT))
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, oid)
        screen = app.screen_stack[-2]
        assert isinstance(screen, PipelineScreen)
        assert header(screen, "proposal")[1].startswith("Σ 200k")
        assert "2026-11 100k" in forecast(screen)
        # every field of the templates is on the form
        for key in ("product", "strengths", "weaknesses", "key_success_factors", "next_step_owner", "owner"):
            form.field(key)
        form.query_one("#op-amount", Input).value = "300000"
        form.query_one("#op-close", Input).value = "2027-01-15"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert app.screen is screen
        assert header(screen, "proposal")[1].startswith("Σ 300k")
        assert "2027-01 150k" in forecast(screen) and "2026-11" not in forecast(screen)
        saved = row(store, oid)
        assert saved.amount == Decimal("300000.00")
        assert saved.expected_close_on == date(2027, 1, 15)
        assert saved.risks == "budget freeze" and saved.competitors == "Initech"


async def test_another_writers_change_to_risks_survives_the_reps_save(store):
    oid = fill(store)
    app = Host(lambda: PipelineScreen(store, DEFAULT))
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, oid)
        with store.write("the other writer") as s:  # while the form is open
            update_opportunity(s, s.get(Opportunity, oid), risks="a new CIO")
        form.query_one("#op-amount", Input).value = "250000"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert isinstance(app.screen, PipelineScreen)
        saved = row(store, oid)
        assert saved.amount == Decimal("250000.00")
        assert saved.risks == "a new CIO"


async def test_both_changing_the_same_field_saves_nothing_and_says_so(store):
    oid = fill(store)
    app = Host(lambda: PipelineScreen(store, DEFAULT))
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, oid)
        with store.write("the other writer") as s:
            update_opportunity(s, s.get(Opportunity, oid), amount=1)
        form.query_one("#op-amount", Input).value = "250000"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        from tuicrm.ui.widgets.conflict import ConflictScreen

        assert isinstance(app.screen, ConflictScreen)  # keep mine or take theirs, per field
        assert [c.field for c in app.screen.conflicts] == ["amount"]
        assert row(store, oid).amount == Decimal("1.00")
        await pilot.press("escape")  # back to the form: nothing saved, the rep's text kept
        await pilot.pause()
        assert app.screen is form and form.query_one("#op-amount", Input).value == "250000"
        assert "amount" in form.query_one("#form-status", Static).render().plain
        assert row(store, oid).amount == Decimal("1.00")


async def test_a_move_keeps_the_reps_probability_unless_the_stage_default_is_picked(store):
    oid = fill(store)
    with store.write("rep sets 35%") as s:
        update_opportunity(s, s.get(Opportunity, oid), probability=35)
    app = Host(lambda: PipelineScreen(store, DEFAULT))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        screen = app.screen
        assert isinstance(screen, PipelineScreen)
        assert screen.board.focus_card(f"o{oid}")
        await pilot.pause()
        await pilot.press("greater_than_sign")  # proposal → negotiation keeps 35%
        await loaded(pilot)
        assert (row(store, oid).stage, row(store, oid).probability) == ("negotiation", 35)
        await pilot.press("m")
        await pilot.pause()
        assert "Proposal at 50% (stage default)" in screen_text(app)
        await pilot.press("b")  # need, proposal, … at the stage default: the second open stage
        await loaded(pilot)
        saved = row(store, oid)
        assert (saved.stage, saved.probability, saved.probability_set) == ("need", 25, False)
