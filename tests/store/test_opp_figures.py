"""The ORM write path keeps a customer's figures from its deals (the lean path: tests/cli/test_opp_commands.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tuicrm.models import Customer, Opportunity
from tuicrm.store import Store
from tuicrm.store.customers import create_customer
from tuicrm.store.errors import StoreError
from tuicrm.store.oplog import last_operation, undo
from tuicrm.store.pipeline import (
    add_opportunity,
    archive_opportunity,
    move_opportunity,
    update_opportunity,
)


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("TUICRM_NOW", "2026-11-22T09:00")
    s = Store.open(str(tmp_path / "crm.db"))
    yield s
    s.dispose()


def figures(store: Store, customer_id: int) -> tuple[str, Decimal | None, str | None]:
    with store.read() as s:
        c = s.get(Customer, customer_id)
        assert c is not None
        return c.status, c.revenue_total, c.last_deal_on.isoformat() if c.last_deal_on else None


def make(store: Store, **fields) -> tuple[int, int]:
    with store.write("fixture") as s:
        c = create_customer(s, "Acme", status="intent")
        o = add_opportunity(s, store.config, c, "Deal", 1000, **fields)
        return int(c.id), int(o.id)


def move(store: Store, opp_id: int, stage: str, **kw) -> None:
    with store.write(f"move {stage}") as s:
        move_opportunity(s, store.config, s.get(Opportunity, opp_id), stage, **kw)


def test_won_reopened_won_counts_the_amount_once(store):
    cid, oid = make(store, stage="negotiation")
    move(store, oid, "won")
    assert figures(store, cid) == ("won", Decimal("1000.00"), "2026-11-22")
    move(store, oid, "negotiation")
    assert figures(store, cid) == ("intent", None, None)
    move(store, oid, "won")
    assert figures(store, cid) == ("won", Decimal("1000.00"), "2026-11-22")


def test_won_then_lost_takes_the_amount_out_unless_another_deal_was_won(store):
    cid, oid = make(store, stage="won")
    with store.write("second") as s:
        other = add_opportunity(s, store.config, s.get(Customer, cid), "Other", 300, stage="won")
        other_id = int(other.id)
    assert figures(store, cid)[:2] == ("won", Decimal("1300.00"))
    move(store, oid, "lost", reason="price")
    assert figures(store, cid)[:2] == ("won", Decimal("300.00"))
    move(store, other_id, "lost", reason="price")
    assert figures(store, cid)[:2] == ("intent", None)


def test_editing_a_won_amount_and_archiving_follow_and_undo_puts_back(store):
    cid, oid = make(store, stage="won")
    with store.write("edit") as s:
        update_opportunity(s, s.get(Opportunity, oid), amount=1500)
    assert figures(store, cid)[1] == Decimal("1500.00")
    with store.write("archive") as s:
        archive_opportunity(s, s.get(Opportunity, oid))
    assert figures(store, cid)[:2] == ("intent", None)
    with store.write("undo") as s:
        op = last_operation(s)
        assert op is not None
        undo(s, op)
    assert figures(store, cid)[:2] == ("won", Decimal("1500.00"))


def test_edit_marks_the_probability_as_the_reps_and_checks_fields(store):
    _cid, oid = make(store, stage="lead")
    with store.write("edit") as s:
        opp = update_opportunity(s, s.get(Opportunity, oid), probability=40, risks="  budget  ")
        assert opp.probability_set and opp.risks == "budget"
    move(store, oid, "need")
    with store.read() as s:
        assert s.get(Opportunity, oid).probability == 40
    with pytest.raises(StoreError):
        with store.write("bad") as s:
            update_opportunity(s, s.get(Opportunity, oid), decision_maker_id=999)
    with pytest.raises(StoreError):
        with store.write("bad") as s:
            update_opportunity(s, s.get(Opportunity, oid), stage="won")
