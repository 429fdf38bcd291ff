"""Receivables and payments in the store (issue #18): one write each, undoable; received and
paid_off_on kept from the payments; an excess kept as a credit; the queries' figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuicrm.models import Customer, Payment, Receivable
from tuicrm.query import receivables as QR
from tuicrm.query.customers import count_customers
from tuicrm.query.filters import CustomerFilter
from tuicrm.store import StoreError, oplog
from tuicrm.store import customers as C
from tuicrm.store import pipeline as P
from tuicrm.store import receivables as R

TODAY = date(2026, 11, 22)  # tests/conftest.py pins TUICRM_NOW
D = Decimal


def customer(store, name, **fields):
    with store.write(f"add {name}") as s:
        return C.create_customer(s, name, **fields).id


def receivable(store, cid, amount, **kw):
    with store.write("add receivable") as s:
        return R.add_receivable(s, s.get(Customer, cid), amount, **kw).code


def pay(store, cid, amount, ref=None, **kw):
    with store.write("pay") as s:
        target = R.get_receivable(s, ref) if ref else None
        return R.record_payment(s, s.get(Customer, cid), amount, receivable=target, **kw)


def ledger(store, cid):
    with store.reading() as conn:
        return QR.customer_ledger(conn, cid, TODAY, store.config)


def test_template_example(store):
    a, b = customer(store, "客户A"), customer(store, "客户B")
    receivable(store, a, "1000", due_on=date(2026, 12, 31))
    receivable(store, b, "1500", due_on=date(2026, 12, 31))
    pay(store, a, "800")
    pay(store, b, "1500")
    la, lb = ledger(store, a), ledger(store, b)
    assert (la.amount, la.received, la.outstanding) == (D("1000.00"), D("800.00"), D("200.00"))
    assert (lb.amount, lb.received, lb.outstanding) == (D("1500.00"), D("1500.00"), D("0.00"))
    with store.reading() as conn:
        rows = {r.customer_name: r for r in QR.receivable_list(conn, TODAY)}
    assert rows["客户B"].paid_off_on == TODAY and rows["客户A"].paid_off_on is None


def test_codes_oldest_open_first_and_credit(store):
    cid = customer(store, "Acme")
    assert receivable(store, cid, "300", due_on=date(2026, 12, 1)) == "R000001"
    assert receivable(store, cid, "200", due_on=date(2026, 10, 1)) == "R000002"
    done = pay(store, cid, "250", method="转账")
    assert done.receivable == "R000002" and done.applied == D("200.00") and done.credit == D("50.00")
    assert done.payments == ("P000001", "P000002")
    assert ledger(store, cid).credit == D("50.00")
    named = pay(store, cid, "100", "R000001", method="cash")
    assert named.receivable == "R000001" and named.outstanding == D("200.00") and named.credit == 0
    with store.read() as s:
        methods = sorted(p.method for p in s.query(Payment).all())
        assert methods == ["cash", "transfer", "transfer"]


def test_undo_a_payment_restores_received(store):
    cid = customer(store, "Acme")
    receivable(store, cid, "1000")
    pay(store, cid, "400")
    with store.write("undo", log=False) as s:
        oplog.undo(s, oplog.last_operation(s))
    with store.read() as s:
        r = s.query(Receivable).one()
        assert r.received == D("0.00") and s.query(Payment).count() == 0


@pytest.mark.parametrize(
    ("amount", "kw"),
    [("0", {}), ("-5", {}), ("abc", {}), ("100", {"method": "barter"}), ("100", {"colour": "red"})],
)
def test_bad_payments_write_nothing(store, amount, kw):
    cid = customer(store, "Acme")
    receivable(store, cid, "1000")
    with pytest.raises(StoreError):
        pay(store, cid, amount, **kw)
    with store.read() as s:
        assert s.query(Payment).count() == 0


def test_receivable_of_another_customer_is_refused(store):
    a, b = customer(store, "A1"), customer(store, "B1")
    receivable(store, a, "100")
    with pytest.raises(StoreError):
        pay(store, b, "10", "R000001")


def test_won_deal_receivable_uses_payment_terms(store):
    cid = customer(store, "Acme", payment_terms="月结45天")
    with store.write("opp") as s:
        opp = P.add_opportunity(s, store.config, s.get(Customer, cid), "Big deal", Decimal("50000"))
        P.move_opportunity(s, store.config, opp, "won")
        row = R.receivable_for_won_deal(s, store.config, opp)
        assert row.amount == D("50000.00") and row.due_on == date(2027, 1, 6) and row.opportunity_id == opp.id


def test_archive_receivable_keeps_payments_as_credit(store):
    cid = customer(store, "Acme")
    receivable(store, cid, "100")
    pay(store, cid, "60")
    with store.write("archive") as s:
        R.archive_receivable(s, R.get_receivable(s, "R1"))
    assert ledger(store, cid).credit == D("60.00") and ledger(store, cid).outstanding == 0


def test_queue_items_and_rating_filter(store):
    late, good = customer(store, "Late Co"), customer(store, "Good Co")
    receivable(store, late, "500", due_on=date(2026, 10, 1))  # 52 days overdue: poor
    receivable(store, good, "500", due_on=date(2026, 11, 20))
    pay(store, good, "500")  # 2 days late: good
    with store.reading() as conn:
        items = QR.queue_items(conn, TODAY, TODAY)
        assert [(i["kind"], i["code"], i["overdue_by"]) for i in items] == [("receivable", "R000001", "P52D")]
        assert ledger(store, late).rating == "poor" and ledger(store, good).rating == "good"
        assert count_customers(conn, CustomerFilter(collection="poor")) == 1
        assert count_customers(conn, CustomerFilter(collection="good")) == 1
        assert count_customers(conn, CustomerFilter(collection="very-poor")) == 0


def test_balances_by_customer_with_ageing(store):
    a, b = customer(store, "A1"), customer(store, "B1")
    receivable(store, a, "100", due_on=date(2026, 8, 1))  # 113 days: >90
    receivable(store, b, "300", due_on=date(2026, 12, 30))  # not due
    pay(store, b, "50")
    with store.reading() as conn:
        bal = QR.balances(conn, TODAY, store.config)
    assert [c.customer_name for c in bal.customers] == ["B1", "A1"]
    assert bal.buckets[">90"] == D("100.00") and bal.buckets["not-due"] == D("250.00")
    assert bal.outstanding == D("350.00") and bal.received == D("50.00")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(["r", "p"]), st.integers(0, 1), st.integers(1, 50_000)),
        min_size=1,
        max_size=8,
    )
)
def test_ledger_property_through_the_store(store, steps):
    """Random receivables and payments for two customers: outstanding = due − received per
    customer and in total, never negative; every cent paid is received or a credit."""
    with store.write("reset") as s:
        for model in (Payment, Receivable):
            s.query(model).delete()
        ids = [c.id for c in s.query(Customer).all()]
        for n in range(len(ids), 2):
            ids.append(C.create_customer(s, f"P{n}").id)
    paid = D(0)
    for kind, who, cents in steps:
        amount = D(cents) / 100
        if kind == "r":
            receivable(store, ids[who], amount)
        else:
            pay(store, ids[who], amount)
            paid += amount
    total_due = total_received = total_left = total_credit = D(0)
    for cid in ids:
        lg = ledger(store, cid)
        assert lg.outstanding == lg.amount - lg.received and lg.outstanding >= 0
        total_due += lg.amount
        total_received += lg.received
        total_left += lg.outstanding
        total_credit += lg.credit
    with store.reading() as conn:
        bal = QR.balances(conn, TODAY, store.config)
    assert total_left == total_due - total_received
    if bal.customers:
        assert bal.outstanding == total_left
    assert total_received + total_credit == paid
