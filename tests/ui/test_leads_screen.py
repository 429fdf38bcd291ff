"""The leads screen (key 7) and lead responses at the top of the overdue panel (issue #17)."""

from __future__ import annotations

import sqlite3

from support import PINNED, open_fixture_store, screen_text, settle

from tuicrm.config import DEFAULT
from tuicrm.ui.screens.leads import LeadsScreen
from tuicrm.ui.widgets.overdue_panel import OverduePanel


def _add_high_lead(store, now, monkeypatch):
    from tuicrm.store.leads import create_lead

    monkeypatch.setenv("TUICRM_NOW", now)
    with store.write("add lead") as s:
        create_lead(
            s,
            DEFAULT,
            "高价值科技",
            contact_name="王五",
            contact_title="部门经理",
            budget_text="15万",
            needs="云平台",
            phone="13800003333",
        )
    with store.write("score") as s:
        from tuicrm.store.leads import resolve_lead, score_lead

        score_lead(s, DEFAULT, resolve_lead(s, "L000001"), purchase_soon=True)


async def test_a_high_lead_from_yesterday_nine_tops_the_panel(tmp_path, monkeypatch):
    from tuicrm.ui.app import make_app

    store, _ids = open_fixture_store(tmp_path / "crm.db")
    day = PINNED[:10]
    from datetime import date, timedelta

    yesterday = (date.fromisoformat(day) - timedelta(days=1)).isoformat()
    _add_high_lead(store, f"{yesterday}T09:00", monkeypatch)
    monkeypatch.setenv("TUICRM_NOW", f"{day}T09:00")
    app = make_app(store, DEFAULT)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            panel = app.screen.query_one(OverduePanel)
            first = panel.data.items[0]
            assert (first.kind, first.customer, first.hard_deadline) == ("lead", "高价值科技", True)
            assert "高价值科技" in screen_text(app) and "lead" in screen_text(app)
            # t: one kind (type) at a time: follow-ups, then leads
            panel.list.focus()
            await pilot.press("t")
            await settle(pilot)
            await pilot.press("t")
            await settle(pilot)
            assert panel.kind == "lead" and {i.kind for i in panel.data.items} == {"lead"}
    finally:
        store.dispose()


async def test_leads_screen_score_touch_convert(tmp_path, monkeypatch):
    from tuicrm.ui.app import make_app

    store, _ids = open_fixture_store(tmp_path / "crm.db")
    _add_high_lead(store, PINNED, monkeypatch)
    app = make_app(store, DEFAULT)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("7")
            await settle(pilot)
            assert isinstance(app.screen, LeadsScreen)
            text = screen_text(app)
            assert "L000001" in text and "高价值科技" in text and "first call" in text and "24 h left" in text
            assert "decision-maker (title 部门经理): +3" in text  # the reasons of the highlighted lead
            # convert: the form offers stage and customer; save
            await pilot.press("c")
            await settle(pilot)
            await pilot.press("ctrl+s")
            await settle(pilot)
            await pilot.pause()
            assert isinstance(app.screen, LeadsScreen)
            assert "L000001" not in screen_text(app)  # converted leads leave the open list
            conn = sqlite3.connect(store.path)
            (customer_id, opp_id, status) = conn.execute(
                "SELECT customer_id, opportunity_id, status FROM lead"
            ).fetchone()
            assert status == "converted"
            assert conn.execute("SELECT name FROM customer WHERE id = ?", (customer_id,)).fetchone() == (
                "高价值科技",
            )
            (opp_name, stage) = conn.execute(
                "SELECT name, stage FROM opportunity WHERE id = ?", (opp_id,)
            ).fetchone()
            assert stage == "lead"
            # find both as a rep would: the customer by search on the list, the deal on the pipeline
            await pilot.press("1")
            await settle(pilot)
            await pilot.press("slash", *"高价值")
            await settle(pilot)
            assert "高价值科技" in screen_text(app) and "1 customer" in screen_text(app)
            await pilot.press("escape", "4")
            await settle(pilot)
            assert opp_name[:12] in screen_text(app)
            await pilot.press("7")
            await settle(pilot)
            assert isinstance(app.screen, LeadsScreen)
            # add a lead through the form
            await pilot.press("a")
            await settle(pilot)
            await pilot.press(*"某中学")
            await pilot.press("ctrl+s")
            await settle(pilot)
            await pilot.pause()
            assert "L000002" in screen_text(app)
            await pilot.press("t")
            await settle(pilot)
            await pilot.pause()
            assert conn.execute("SELECT status FROM lead WHERE code = 'L000002'").fetchone() == ("contacted",)
    finally:
        store.dispose()
