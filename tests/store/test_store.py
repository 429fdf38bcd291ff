from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import func, select

from tuicrm.models import Customer, FollowUp, Snooze, StageChange, TierAssessment
from tuicrm.query import cards as Q_cards
from tuicrm.query import customers as Q
from tuicrm.query import followups as QF
from tuicrm.query.filters import CustomerFilter
from tuicrm.store import Ambiguous, NotFound, StoreError, dbapi, oplog
from tuicrm.store import customers as C
from tuicrm.store import followups as F
from tuicrm.store import pipeline as P
from tuicrm.store import tiers as T

TODAY = date(2026, 11, 22)  # tests/conftest.py pins TUICRM_NOW


def add(store, name, **fields):
    with store.write("add") as s:
        return C.create_customer(s, name, **fields)


def count(store, model):
    with store.read() as s:
        return s.exec(select(func.count()).select_from(model)).one()


def test_codes_are_sequential_and_unique(store):
    assert add(store, "One").code == "C000001"
    assert add(store, "Two").code == "C000002"


@pytest.mark.parametrize(
    "bad",
    [
        dict(name=""),
        dict(name="   "),
        dict(name="x" * 201),
        dict(name="ok", tier="Z"),
        dict(name="ok", status="happy"),
        dict(name="ok", email="nope"),
        dict(name="ok", budget_max="abc"),
        dict(name="ok", budget_max="-5"),
    ],
)
def test_invalid_customers_write_nothing(store, bad):
    name = bad.pop("name")
    with pytest.raises(StoreError):
        add(store, name, **bad)
    assert count(store, Customer) == 0


def test_log_follow_up_sets_next_by_cadence(store):
    c = add(store, "精密机械有限公司", status="intent", tier="A")
    with store.write("log") as s:
        fu = F.log_follow_up(s, store.config, s.get(Customer, c.id), "介绍云服务器套餐升级方案")
    assert fu.next_on == date(2026, 11, 25)
    with store.read() as s:
        assert s.get(Customer, c.id).next_follow_up_on == date(2026, 11, 25)


def test_lost_customers_get_no_automatic_follow_up(store):
    c = add(store, "Gone Ltd", status="lost", next_follow_up_on=date(2026, 11, 1))
    with store.write("log") as s:
        F.log_follow_up(s, store.config, s.get(Customer, c.id), "final call", next_on="auto")
    with store.read() as s:
        assert s.get(Customer, c.id).next_follow_up_on is None


def test_explicit_next_date_and_empty_summary(store):
    c = add(store, "Acme")
    with store.write("log") as s:
        F.log_follow_up(
            s,
            store.config,
            s.get(Customer, c.id),
            "quote",
            next_on=date(2026, 12, 24),
            next_action="call back",
        )
    with pytest.raises(StoreError):
        with store.write("log") as s:
            F.log_follow_up(s, store.config, s.get(Customer, c.id), "   ")
    assert count(store, FollowUp) == 1


def test_snooze_is_recorded(store):
    c = add(store, "Acme", next_follow_up_on=date(2026, 11, 20))
    with store.write("snooze") as s:
        F.snooze(s, s.get(Customer, c.id), date(2026, 11, 25), "travelling")
    with store.read() as s:
        assert s.get(Customer, c.id).next_follow_up_on == date(2026, 11, 25)
        rec = s.exec(select(Snooze)).one()
        assert (rec.from_on, rec.to_on, rec.reason) == (date(2026, 11, 20), date(2026, 11, 25), "travelling")


def test_due_lists_overdue_and_today_in_call_next_order(store):
    add(store, "Late D", tier="D", next_follow_up_on=date(2026, 11, 20))
    add(store, "Late A", tier="A", next_follow_up_on=date(2026, 11, 20))
    add(store, "Today B", tier="B", next_follow_up_on=date(2026, 11, 22))
    add(store, "Next week", next_follow_up_on=date(2026, 11, 27))
    add(store, "Archived", next_follow_up_on=date(2026, 11, 1))
    with store.write("archive") as s:
        C.archive_customer(s, C.resolve_customer(s, "Archived"))
    with store.reading() as conn:
        names = [i.name for i in QF.due(conn, store.config, TODAY)]
        assert names == ["Late A", "Late D", "Today B"]
        assert [i.name for i in QF.due(conn, store.config, TODAY, days=7)][-1] == "Next week"
        overdue, due_today, _ahead = QF.due_counts(conn, TODAY)
        assert overdue + due_today == 3


def test_open_pipeline_raises_priority(store):
    a = add(store, "Small", tier="B", next_follow_up_on=date(2026, 11, 20))
    b = add(store, "Big", tier="B", next_follow_up_on=date(2026, 11, 20))
    with store.write("opp") as s:
        P.add_opportunity(s, store.config, s.get(Customer, b.id), "Deal", Decimal("90000"))
        P.add_opportunity(s, store.config, s.get(Customer, a.id), "Lost deal", Decimal("90000"), stage="lost")
    with store.reading() as conn:
        items = QF.due(conn, store.config, TODAY)
    assert [i.name for i in items] == ["Big", "Small"]
    assert items[0].open_pipeline == Decimal("90000")


def test_assessments_keep_history_and_set_tier(store):
    c = add(store, "精密")
    with store.write("a") as s:
        T.assess_customer(s, store.config, s.get(Customer, c.id), 8, 9)
    with store.write("a") as s:
        T.assess_customer(s, store.config, s.get(Customer, c.id), 5, 6, basis="budget cut")
    with store.read() as s:
        assert s.get(Customer, c.id).tier == "B"
        history = Q_cards.card(dbapi(s), c.id, TODAY).assessments
        assert [(a.total, a.tier) for a in history] == [(11, "B"), (17, "A")]
    with pytest.raises(StoreError):
        with store.write("a") as s:
            T.assess_customer(s, store.config, s.get(Customer, c.id), 11, 3)
    assert count(store, TierAssessment) == 2


def test_opportunity_moves_record_stage_changes(store):
    c = add(store, "Acme")
    with store.write("opp") as s:
        opp = P.add_opportunity(s, store.config, s.get(Customer, c.id), "Fleet", "120000", stage="proposal")
    with store.write("move") as s:
        P.move_opportunity(s, store.config, P.resolve_opportunity(s, str(opp.id)), "negotiation")
    with pytest.raises(StoreError):
        with store.write("move") as s:
            P.move_opportunity(s, store.config, P.resolve_opportunity(s, str(opp.id)), "lost")
    with store.write("move") as s:
        P.move_opportunity(s, store.config, P.resolve_opportunity(s, str(opp.id)), "won")
    with store.read() as s:
        changes = list(
            s.exec(
                select(StageChange.from_stage, StageChange.to_stage)
                .where(StageChange.opportunity_id == opp.id)
                .order_by(StageChange.at, StageChange.id)
            )
        )
        assert changes == [(None, "proposal"), ("proposal", "negotiation"), ("negotiation", "won")]
        cust = s.get(Customer, c.id)
        assert (cust.status, cust.revenue_total) == ("won", Decimal("120000.00"))
    assert count(store, StageChange) == 3


def test_search_matches_name_alias_code_contact_phone_email(store):
    c = add(store, "精密机械有限公司", alias="JM", phone="138-1234-5678", email="sales@jm.cn")
    add(store, "Other Co")
    with store.write("contact") as s:
        C.create_contact(s, s.get(Customer, c.id), "王伟", mobile="13900001111", email="wang@jm.cn")
    with store.reading() as conn:
        for q in ("机械", "jm", "C000001", "王伟", "5678", "1111", "SALES@JM", "wang@"):
            assert [r.code for r in Q.find(conn, q)] == ["C000001"], q
        assert Q.find(conn, "nothing") == []
        assert Q.count_customers(conn, CustomerFilter(text="co")) == 1


def test_resolve_customer(store):
    add(store, "Acme Robotics")
    add(store, "Acme Foods")
    add(store, "Globex", alias="GX")
    with store.read() as s:
        assert C.resolve_customer(s, "C000003").name == "Globex"
        assert C.resolve_customer(s, "c3").name == "Globex"
        assert C.resolve_customer(s, "3").name == "Globex"
        assert C.resolve_customer(s, "gx").name == "Globex"
        assert C.resolve_customer(s, "acme foods").name == "Acme Foods"
        with pytest.raises(Ambiguous) as amb:
            C.resolve_customer(s, "acme")
        assert len(amb.value.candidates) == 2
        with pytest.raises(NotFound):
            C.resolve_customer(s, "initech")


def test_first_contact_is_primary_and_only_one_primary(store):
    c = add(store, "Acme")
    with store.write("c") as s:
        first = C.create_contact(s, s.get(Customer, c.id), "Ann")
        second = C.create_contact(s, s.get(Customer, c.id), "Bob", is_primary=True)
    with store.reading() as conn:
        contacts = Q_cards.contacts_of(conn, c.id)
        assert [(x.name, x.is_primary) for x in contacts] == [("Bob", True), ("Ann", False)]
    assert first.id != second.id


def test_text_is_sanitised_on_write(store):
    c = add(store, "Evil\x1b[2J Co\x07", notes="hi\x1b]52;c;aGk=\x07 there")
    assert c.name == "Evil Co"
    assert c.notes == "hi there"


def test_undo_add_and_bulk_edit(store):
    ids = [add(store, f"Cust {i}", tier="B").id for i in range(3)]
    with store.write("bulk tier change") as s:
        for cid in ids:
            C.update_customer(s, s.get(Customer, cid), tier="A", notes="bulk")
    with store.write("undo", log=False) as s:
        op = oplog.last_operation(s)
        assert op.label == "bulk tier change"
        assert oplog.describe(s, op) == ["restore the notes, tier of 3 customers"]
        oplog.undo(s, op)
    with store.read() as s:
        assert [(x.tier, x.notes) for x in s.exec(select(Customer).order_by(Customer.id))] == [
            ("B", None)
        ] * 3
    with store.write("undo", log=False) as s:
        oplog.undo(s, oplog.last_operation(s))  # the add of Cust 2
    with store.read() as s:
        assert [x.name for x in s.exec(select(Customer).order_by(Customer.id))] == ["Cust 0", "Cust 1"]


def test_undo_archive(store):
    c = add(store, "Acme")
    with store.write("archive") as s:
        C.archive_customer(s, s.get(Customer, c.id))
    with store.reading() as conn:
        assert Q.find(conn, "acme") == []
    with store.write("undo", log=False) as s:
        oplog.undo(s, oplog.last_operation(s))
    with store.reading() as conn:
        assert [r.name for r in Q.find(conn, "acme")] == ["Acme"]


def test_failed_write_rolls_back_everything(store):
    with pytest.raises(StoreError):
        with store.write("two customers") as s:
            C.create_customer(s, "First")
            C.create_customer(s, "")
    assert count(store, Customer) == 0


def test_timeline_groups(store):
    add(store, "Late", next_follow_up_on=date(2026, 11, 20))
    add(store, "Now", next_follow_up_on=date(2026, 11, 22))
    add(store, "Soon", next_follow_up_on=date(2026, 11, 25))
    later = add(store, "Later", next_follow_up_on=date(2027, 1, 5))
    with store.write("log") as s:
        F.log_follow_up(s, store.config, s.get(Customer, later.id), "kick-off", next_on=date(2027, 1, 5))
    with store.reading() as conn:
        tl = QF.timeline(conn, TODAY)
    assert [e.name for e in tl.overdue] == ["Late"]
    assert [e.name for e in tl.today] == ["Now"]
    assert [e.name for e in tl.next_7_days] == ["Soon"]
    assert [e.name for e in tl.later] == ["Later"]
    assert [(d, [e.text for e in es]) for d, es in tl.past] == [(date(2026, 11, 22), ["kick-off"])]
