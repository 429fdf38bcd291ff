"""One change to many customers (store.bulk_edit) and saved filters (store/query saved_filters):
each is one operation that one undo reverses."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import select

from tuicrm.i18n.names import operation_label
from tuicrm.models import Customer, SavedFilter, Snooze, StatusChange
from tuicrm.query import customers as Q
from tuicrm.query.filters import CustomerFilter, filter_from_spec, filter_to_spec
from tuicrm.query.saved_filters import saved_filter, saved_filters
from tuicrm.store import NotFound, StoreError, oplog
from tuicrm.store import bulk_edit as B
from tuicrm.store import customers as C
from tuicrm.store import followups as F
from tuicrm.store import saved_filters as SF

TODAY = date(2026, 11, 22)  # tests/conftest.py pins TUICRM_NOW


@pytest.fixture
def three(store):
    with store.write("add") as s:
        ids = [C.create_customer(s, f"Cust {i}", tags="old", owner="li").id for i in range(3)]
    return ids


def rows(store):
    with store.read() as s:
        return [
            (c.next_follow_up_on, c.tags, c.owner, c.status, c.archived_at is not None, c.version)
            for c in s.exec(select(Customer).order_by(Customer.id))
        ]


def undo_last(store):
    with store.write("undo", log=False) as s:
        op = oplog.last_operation(s)
        oplog.undo(s, op)
        return op.label


@pytest.mark.parametrize(
    "action, value, write, check",
    [
        ("snooze", "2026-12-10", lambda s, ids: B.snooze_customers(s, ids, date(2026, 12, 10)), 0),
        ("tag", "vip", lambda s, ids: B.tag_customers(s, ids, "vip"), 1),
        ("owner", "wang", lambda s, ids: B.assign_owner(s, ids, "wang"), 2),
        ("status", "intent", lambda s, ids: B.set_status(s, ids, "intent"), 3),
        ("archive", None, lambda s, ids: B.archive_customers(s, ids), 4),
    ],
)
def test_each_bulk_change_is_one_operation_one_undo_reverses(store, three, action, value, write, check):
    before = rows(store)
    names = ["Cust 0", "Cust 1", "Cust 2"]
    label = B.label(action, names, value)
    with store.write(label) as s:
        assert write(s, three) == 3
    after = rows(store)
    assert all(a[check] != b[check] for a, b in zip(after, before, strict=True))
    assert all(a[5] > b[5] for a, b in zip(after, before, strict=True))  # the versioned path
    assert undo_last(store) == label
    assert [r[:5] for r in rows(store)] == [r[:5] for r in before]
    if action == "snooze":
        assert label == "snooze 3 customers to 2026-12-10"
        with store.read() as s:
            assert len(list(s.exec(select(Snooze)))) == 0  # the three records went with the undo


def test_bulk_labels_in_the_reps_words():
    assert B.label("snooze", ["A", "B", "C"], "2026-12-10") == "snooze 3 customers to 2026-12-10"
    assert B.label("archive", ["Acme"]) == "archive customer Acme"
    assert B.label("archive", ["A", "B"]) == "archive 2 customers"
    assert operation_label("tag 2 customers with vip") == "tag 2 customers with vip"
    assert operation_label("set status of Acme to won") == "set status of Acme to won"


def test_bulk_changes_skip_rows_already_so_and_check_their_value(store, three):
    with store.write("tag") as s:
        assert B.tag_customers(s, three, "OLD") == 0  # already tagged (any case)
        assert B.tag_customers(s, [three[0], three[0]], "new") == 1
    assert rows(store)[0][1] == "old,new"
    with pytest.raises(StoreError, match="not a status"):
        with store.write("status") as s:
            B.set_status(s, three, "maybe")
    with store.write("status") as s:
        assert B.set_status(s, three, "won") == 3
    with store.read() as s:  # the status history records each, as for one change
        assert len(list(s.exec(select(StatusChange)))) == 3
    with store.write("archive") as s:
        B.archive_customers(s, three[:1])
    with pytest.raises(StoreError, match="any more"):
        with store.write("snooze") as s:
            B.snooze_customers(s, three[:1], date(2026, 12, 1))  # archived: left alone
    assert B.add_tag("a, b", "c") == "a,b,c"
    assert B.add_tag(None, " ") is None


def test_saved_filter_round_trip_replace_and_undo(store):
    f = CustomerFilter(tier="A", due_by=date(2026, 11, 29), no_contact_days=30, text="ignored")
    with store.write("save filter cold A") as s:
        SF.save_filter(s, "cold A", f, TODAY)
        SF.save_filter(s, "mine", CustomerFilter(owner="li"), TODAY, slot=1)
    with store.reading() as conn:
        # "cold A" took the first free key, 1; "mine" asked for 1: the key now recalls it
        assert [(r.name, r.slot) for r in saved_filters(conn)] == [("mine", 1), ("cold A", None)]
        cold = saved_filter(conn, "COLD a")  # any case
        assert cold.spec == {"v": 1, "tier": "A", "due_by": 7, "no_contact_days": 30}  # no text
        # a week later "due within 7 days" still means the next 7 days
        assert cold.customer_filter(date(2026, 12, 1)).due_by == date(2026, 12, 8)
    with store.write("save filter mine") as s:  # the same name again: replaced, the key given
        SF.save_filter(s, "Mine", CustomerFilter(owner="wang"), TODAY, slot=2)
    with store.reading() as conn:
        assert {r.name: (r.slot, r.spec.get("owner")) for r in saved_filters(conn)} == {
            "cold A": (None, None),
            "Mine": (2, "wang"),
        }
        with pytest.raises(NotFound, match="Saved filters: Mine, cold A"):
            saved_filter(conn, "nope")
    assert undo_last(store) == "save filter mine"
    assert undo_last(store) == "save filter cold A"
    with store.read() as s:
        assert list(s.exec(select(SavedFilter))) == []
    with pytest.raises(StoreError):
        with store.write("save filter") as s:
            SF.save_filter(s, "  ", f, TODAY)


def test_old_specs_ignore_what_they_do_not_know():
    assert filter_from_spec('{"v": 9, "tier": "B", "colour": "red", "due_by": "soon"}', TODAY) == (
        CustomerFilter(tier="B")
    )
    assert filter_from_spec("not json", TODAY) == CustomerFilter()
    assert filter_from_spec("[1, 2]", TODAY) == CustomerFilter()
    spec = filter_to_spec(CustomerFilter(status="won", reassess_before=date(2026, 5, 26)), TODAY)
    assert json.loads(json.dumps(spec)) == {"v": 1, "status": "won", "reassess_before": -180}
    assert filter_from_spec(spec, TODAY) == CustomerFilter(status="won", reassess_before=date(2026, 5, 26))


def test_going_cold_keeps_customers_without_a_recent_follow_up(store, three):
    from datetime import UTC, datetime

    with store.write("log") as s:
        F.log_follow_up(
            s, store.config, s.get(Customer, three[0]), "called", at=datetime(2026, 11, 20, tzinfo=UTC)
        )
        F.log_follow_up(
            s, store.config, s.get(Customer, three[1]), "called", at=datetime(2026, 10, 1, tzinfo=UTC)
        )
    with store.reading() as conn:
        cold = [r.name for r in Q.page(conn, CustomerFilter(no_contact_days=30))]
        assert cold == ["Cust 1", "Cust 2"]  # last contact 52 days ago; never
        assert Q.count_customers(conn, CustomerFilter(no_contact_days=60)) == 1
        assert Q.count_customers(conn, CustomerFilter(no_contact_days=1)) == 3
