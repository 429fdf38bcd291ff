"""The weekly report's received / outstanding and the value report's revenue basis (issue #18),
on a small database: now is Wednesday 2026-11-25 (2026-W48)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from tuicrm.domain import reports as rep
from tuicrm.domain.reports.weeks import IsoWeek
from tuicrm.models import Payment
from tuicrm.query import reports as queries
from tuicrm.records import replace
from tuicrm.store.customers import create_customer
from tuicrm.store.pipeline import add_opportunity, move_opportunity
from tuicrm.store.receivables import add_receivable, archive_payment, record_payment

TODAY = date(2026, 11, 25)


@pytest.fixture
def ledger(store, monkeypatch):
    """A owes 1000 (settled 11-10, paid 300 on 11-12 [W46] and 200 on 11-24 [W48]); B owes 1500
    (settled 11-20, paid in full 11-23 [W48]); C owes 400 from 11-24 (W48) with a voided payment;
    C also won a 9 000 deal (no payments of its own after the void)."""
    monkeypatch.setenv("TUICRM_NOW", "2026-11-25T10:00")
    cfg = store.config
    with store.write("seed") as s:
        a = create_customer(s, "A")
        b = create_customer(s, "B")
        c = create_customer(s, "C")
        ra = add_receivable(s, a, "1000", settled_on=date(2026, 11, 10))
        record_payment(s, a, "300", receivable=ra, paid_on=date(2026, 11, 12))
        record_payment(s, a, "200", receivable=ra, paid_on=date(2026, 11, 24))
        rb = add_receivable(s, b, "1500", settled_on=date(2026, 11, 20))
        record_payment(s, b, "1500", receivable=rb, paid_on=date(2026, 11, 23))
        rc = add_receivable(s, c, "400", settled_on=date(2026, 11, 24))
        void = record_payment(s, c, "100", receivable=rc, paid_on=date(2026, 11, 24))
        archive_payment(s, s.exec(select(Payment).where(Payment.code == void.payments[0])).one())
        opp = add_opportunity(s, cfg, c, "Deal", Decimal("9000"), stage="negotiation")
        move_opportunity(s, cfg, opp, "won")
    return store


def weekly(store, week: IsoWeek) -> rep.WeeklyReport:
    with store.reading() as s:
        return queries.weekly(s, store.config, week)


@pytest.mark.parametrize(
    ("week", "received", "outstanding"),
    [
        # W46: 300 paid; at its end (11-16) A owes 700 (B and C not yet settled).
        (IsoWeek(2026, 46), (1, "300.00"), (1, "700.00")),
        # W47: nothing paid; at its end A owes 700, B 1500 (settled 11-20, paid 11-23).
        (IsoWeek(2026, 47), (0, "0.00"), (2, "2200.00")),
        # W48 (the current week): 200 + 1500 paid; A owes 500, C 400 (its payment voided).
        (IsoWeek(2026, 48), (2, "1700.00"), (2, "900.00")),
    ],
)
def test_weekly_received_and_outstanding(ledger, week, received, outstanding):
    r = weekly(ledger, week)
    assert (r.received_count, str(r.received_amount)) == received
    assert (r.outstanding_count, str(r.outstanding_amount)) == outstanding
    d = rep.weekly_to_dict(r)
    assert d["received"] == {"count": received[0], "amount": received[1]}
    assert d["outstanding"] == {"count": outstanding[0], "amount": outstanding[1]}


def test_value_ranks_by_received_payments_when_there_are_any(ledger):
    with ledger.reading() as s:
        r = queries.value(s, ledger.config, today=TODAY)
    got = {x.name: (str(x.revenue), x.basis) for x in r.rows}
    # B paid 1500, A 500: received; C's only payment is void: its won deal counts.
    assert got == {"B": ("1500.00", "received"), "A": ("500.00", "received"), "C": ("9000.00", "won")}
    assert r.bases() == {"received": 2, "won": 1}
    d = rep.value_to_dict(r)
    assert d["revenue_basis"] == {"received": 2, "won": 1}
    assert {x["name"]: x["revenue_basis"] for x in d["customers"]}["C"] == "won"


def test_cli_weekly_and_value_say_it(ledger, db_path):
    from tests.cli_runner import run_main

    ledger.dispose()
    out = run_main(["--db", str(db_path), "report", "weekly", "--week", "2026-W48"]).stdout
    assert "Received this week" in out and "1,700 CNY" in out
    assert "Outstanding at week end" in out and "900 CNY" in out
    out = run_main(["--db", str(db_path), "report", "value"]).stdout
    assert "Revenue is payments received for 2, won deals for 1." in out


def test_reports_screen_line(ledger):
    from tuicrm.ui.screens.reports import value_view, weekly_view

    text = weekly_view(weekly(ledger, IsoWeek(2026, 48))).plain
    assert "Received this week" in text and "outstanding 900 CNY" in text and "on 2 open" in text
    with ledger.reading() as s:
        r = queries.value(s, ledger.config, today=TODAY)
    assert "payments received for 2" in value_view(r).plain


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(["r", "p"]),
            st.integers(0, 2),  # the customer (2 is archived at the end)
            st.integers(1, 400_000),  # cents
            st.one_of(st.none(), st.integers(-500, 60)),  # due / paid: days from today
        ),
        min_size=1,
        max_size=10,
    ),
    quoted=st.booleans(),
)
def test_receivables_report_is_the_balances_grouped_in_sql(store, steps, quoted):
    """``report receivables`` (grouped in SQL, in cents) says what ``query.receivables.balances``
    (the receivables screen, per receivable in Python) says: per customer and in total."""
    from tuicrm.domain.reports.receivables import report_json
    from tuicrm.domain.reports.receivables_json import report_json_rows
    from tuicrm.models import Customer, Receivable
    from tuicrm.query.receivables import balances
    from tuicrm.query.receivables_grouped import balances_top
    from tuicrm.query.reports_money import receivables_json_source, receivables_report
    from tuicrm.store.customers import archive_customer

    today = date(2026, 11, 25)
    with store.write("seed") as s:
        for model in (Payment, Receivable):
            s.query(model).delete()
        names = ('P "0"', "P1\\", "P2") if quoted else ("P0", "P1", "P2")  # to escape, or not
        people = [create_customer(s, name) for name in names]
        for kind, who, cents, days in steps:
            on = None if days is None else date.fromordinal(today.toordinal() + days)
            amount = Decimal(cents) / 100
            if kind == "r":
                add_receivable(s, people[who], amount, due_on=on)
            else:
                record_payment(s, people[who], amount, paid_on=on or today)
        archive_customer(s, s.get(Customer, people[2].id))
    with store.reading() as conn:
        old = balances(conn, today, store.config)
        new = receivables_report(conn, today, store.config)
        owing = receivables_report(conn, today, store.config, owing_only=True)
        grouped = [balances_top(conn, today, store.config, limit) for limit in (None, 1)]
        source = receivables_json_source(conn, today, store.config)

    # --json's rows (written without a CustomerLine each, names to escape as the template puts
    # them between quotes) write the same text.
    assert source is not None
    rows_json = report_json_rows(source[0], today, source[1], store.config.collection)
    assert "".join(rows_json) == "".join(report_json(new, today))

    # The screen's SQL-grouped balances are the Python ones; with a limit, their first customers.
    assert grouped[0] == old
    assert grouped[1] == replace(old, customers=old.customers[:1])
    # The text report's rows: those owing or in credit, the totals unchanged.
    assert owing.customers == [c for c in new.customers if c.outstanding > 0 or c.credit > 0]
    assert replace(owing, customers=[]) == replace(new, customers=[])

    def cents(value: Decimal) -> int:
        return int(value * 100)

    assert [c.customer_id for c in new.customers] == [b.customer_id for b in old.customers]
    for line, b in zip(new.customers, old.customers, strict=True):
        lg = b.ledger
        assert (line.code, line.name, line.rating, line.days_overdue) == (
            b.customer_code,
            b.customer_name,
            lg.rating,
            b.max_days_overdue,
        )
        assert (line.amount, line.received, line.outstanding, line.overdue, line.credit) == tuple(
            map(cents, (lg.amount, lg.received, lg.outstanding, lg.overdue, lg.credit))
        )
        assert dict(zip(new.labels, line.ageing, strict=True)) == {k: cents(v) for k, v in b.buckets.items()}
    assert (new.amount, new.received, new.outstanding, new.credit) == tuple(
        map(cents, (old.amount, old.received, old.outstanding, old.credit))
    )
    assert dict(zip(new.labels, new.ageing, strict=True)) == {k: cents(v) for k, v in old.buckets.items()}
