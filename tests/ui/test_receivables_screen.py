"""The receivables screen (key 8) and the won-deal offer (issue #18), at 80×24."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from support import Host, open_fixture_store, screen_text, settle

from tuicrm.config import DEFAULT
from tuicrm.models import Customer, Receivable
from tuicrm.store.customers import create_customer
from tuicrm.store.pipeline import add_opportunity
from tuicrm.store.receivables import add_receivable
from tuicrm.ui.screens.receivables import ReceivablesScreen
from tuicrm.ui.widgets.payment_form import PaymentForm


async def test_partial_payment_changes_outstanding_and_ageing(tmp_path):
    from tuicrm.ui.app import make_app

    store, ids = open_fixture_store(tmp_path / "crm.db")
    with store.write("receivable") as s:
        delta = s.get(Customer, ids["delta"])
        add_receivable(s, delta, "1000", due_on=date(2026, 10, 1))  # 52 days overdue: 31-60
        code = delta.code
    app = make_app(store, DEFAULT)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("8")
            await settle(pilot)
            assert isinstance(app.screen, ReceivablesScreen)
            text = screen_text(app)
            assert "outstanding 1,000.00" in text and "! 31-60 1,000.00" in text and code in text
            assert "52 days overdue" in text
            await pilot.press("p")
            await settle(pilot)
            form = app.screen
            assert isinstance(form, PaymentForm)
            assert form.field("customer").raw() == code and form.field("receivable").raw() == "R000001"
            form.field("amount").control.focus()
            await pilot.press(*"400")
            await pilot.press("ctrl+s")
            await settle(pilot, rounds=5)
            assert isinstance(app.screen, ReceivablesScreen)
            text = screen_text(app)
            assert "outstanding 600.00" in text and "! 31-60 600.00" in text and "received 400.00" in text
    finally:
        store.dispose()
    with store.read() as s:
        row = s.query(Receivable).one()
        assert row.received == Decimal("400.00") and row.paid_off_on is None


async def test_winning_a_deal_offers_its_receivable(tmp_path, monkeypatch):
    from tuicrm.store import Store as StoreClass
    from tuicrm.ui.screens.pipeline import PipelineScreen
    from tuicrm.ui.widgets.confirm import ConfirmModal

    store = StoreClass.open(str(tmp_path / "crm.db"))
    with store.write("fixture") as s:
        acme = create_customer(s, "Acme Trading", payment_terms="月结45天")
        opp_id = add_opportunity(s, DEFAULT, acme, "ERP rollout", 250_000, stage="negotiation").id
    app = Host(lambda: PipelineScreen(store, DEFAULT))
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, PipelineScreen)
            assert screen.board.focus_card(f"o{opp_id}")
            await pilot.pause()
            screen.move_to("won")
            await settle(pilot, rounds=5)
            assert isinstance(app.screen, ConfirmModal)
            text = screen_text(app)
            assert (
                "create its receivable" in text and "250,000.00 due 2027-01-06" in text and "月结45天" in text
            )
            await pilot.press("y")
            await settle(pilot, rounds=5)
    finally:
        store.dispose()
    with store.read() as s:
        row = s.query(Receivable).one()
        assert (row.amount, row.due_on, row.opportunity_id) == (
            Decimal("250000.00"),
            date(2027, 1, 6),
            opp_id,
        )


async def test_card_shows_ledger_and_list_filters_by_rating(tmp_path):
    from tuicrm.ui.app import make_app
    from tuicrm.ui.screens.customer_detail import CustomerDetailScreen
    from tuicrm.ui.screens.customers import CustomersScreen, FilterForm
    from tuicrm.ui.widgets.customer_table import CustomerTable

    store, ids = open_fixture_store(tmp_path / "crm.db")
    with store.write("receivable") as s:
        add_receivable(s, s.get(Customer, ids["delta"]), "1000", due_on=date(2026, 10, 1))  # 52 days: poor
    app = make_app(store, DEFAULT)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("f")
            await settle(pilot)
            assert isinstance(app.screen, FilterForm)
            app.screen.field("collection").control.value = "poor"
            await settle(pilot)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, CustomersScreen)
            table = app.screen.query_one(CustomerTable)
            assert table.total == 1 and table.current_row.name == "Delta Foods"
            app.open_customer(ids["delta"])
            await settle(pilot)
            assert isinstance(app.screen, CustomerDetailScreen)
            text = screen_text(app)
            assert "Receivables" in text or "received 0.00" in text
            assert app.screen.ledger.outstanding == Decimal("1000.00") and app.screen.ledger.rating == "poor"
    finally:
        store.dispose()


async def test_a_deal_added_as_won_offers_its_receivable(tmp_path):
    from tuicrm.store import Store as StoreClass
    from tuicrm.ui.widgets.confirm import ConfirmModal
    from tuicrm.ui.widgets.opportunity_form import OpportunityForm

    store = StoreClass.open(str(tmp_path / "crm.db"))
    with store.write("fixture") as s:
        cid = create_customer(s, "Acme Trading").id
    app = Host(lambda: ReceivablesScreen(store, DEFAULT))
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            app.push_screen(OpportunityForm(store, DEFAULT, cid))
            await settle(pilot)
            form = app.screen
            assert isinstance(form, OpportunityForm)
            form.field("name").control.value = "Licence"
            form.field("amount").control.value = "8000"
            form.field("stage").control.value = "won"
            await settle(pilot)
            await pilot.press("ctrl+s")
            await settle(pilot, rounds=5)
            assert isinstance(app.screen, ConfirmModal)
            assert "8,000.00 due 2026-12-22" in screen_text(app)  # the default 30 days
            await pilot.press("n")  # later: nothing written
            await settle(pilot)
    finally:
        store.dispose()
    with store.read() as s:
        assert s.query(Receivable).count() == 0


async def test_at_scale_the_list_shows_those_owing_most_and_counts_the_rest(tmp_path, monkeypatch):
    """Only the first ``SHOWN`` customers are options (50 000 froze the screen); the totals
    cover every one and a line counts the others."""
    from tuicrm.ui.screens import receivables as screen_module

    monkeypatch.setattr(screen_module, "SHOWN", 1)
    store, ids = open_fixture_store(tmp_path / "crm.db")
    with store.write("receivables") as s:
        add_receivable(s, s.get(Customer, ids["delta"]), "1000", due_on=date(2026, 12, 1))
        add_receivable(s, s.get(Customer, ids["echo"]), "3000", due_on=date(2026, 12, 1))
    app = Host(lambda: ReceivablesScreen(store, DEFAULT))
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            text = screen_text(app)
            assert "outstanding 4,000.00" in text  # every customer
            assert "Echo Retail" in text and "Delta Foods" not in text  # the one owing most
            assert "1 more customers with receivables" in text
    finally:
        store.dispose()
