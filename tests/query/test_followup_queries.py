"""The follow-up reads of issue #16: a customer's follow-ups with contact and deal, what a
follow-up can link to, the status history, and the timeline's who/what/when."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tuicrm.config import DEFAULT
from tuicrm.query.followups import follow_ups_of, link_choices, status_history, timeline
from tuicrm.store import Store
from tuicrm.store.customers import create_contact, create_customer, update_customer
from tuicrm.store.followups import log_follow_up
from tuicrm.store.pipeline import add_opportunity


@pytest.fixture
def crm(tmp_path, monkeypatch):
    monkeypatch.setenv("TUICRM_NOW", "2026-11-22T09:00")
    store = Store.open(str(tmp_path / "crm.db"))
    with store.write("fixture") as s:
        acme = create_customer(s, "Acme", status="intent")
        other = create_customer(s, "Other")
        wang = create_contact(s, acme, "Wang Li")
        create_contact(s, other, "Zhao")
        deal = add_opportunity(s, DEFAULT, acme, "Fleet", 100, stage="proposal")
        add_opportunity(s, DEFAULT, acme, "Old deal", 100, stage="won")
        log_follow_up(s, DEFAULT, acme, "older", at=datetime(2026, 11, 20, 8, 0, tzinfo=UTC))
        log_follow_up(
            s,
            DEFAULT,
            acme,
            "visited",
            at=datetime(2026, 11, 21, 15, 0, tzinfo=UTC),
            contact_id=wang.id,
            opportunity_id=deal.id,
            place="plant",
            owner="li",
        )
        update_customer(s, acme, status="won")
        ids = {"acme": acme.id, "wang": wang.id, "deal": deal.id}
    yield store, ids
    store.dispose()


def test_follow_ups_of_newest_first_with_contact_and_deal(crm):
    store, ids = crm
    with store.reading() as conn:
        entries = follow_ups_of(conn, ids["acme"])
    assert [e.summary for e in entries] == ["visited", "older"]
    assert (entries[0].contact_name, entries[0].opportunity_name, entries[0].place) == (
        "Wang Li",
        "Fleet",
        "plant",
    )
    assert entries[1].contact_name is None and entries[1].opportunity_name is None
    assert entries[0].editable()["at"] == datetime(2026, 11, 21, 15, 0, tzinfo=UTC)


def test_link_choices_are_this_customers_contacts_and_open_deals(crm):
    store, ids = crm
    with store.reading() as conn:
        contacts, deals = link_choices(conn, ids["acme"])
        _contacts, with_closed = link_choices(conn, ids["acme"], opportunity_id=ids["deal"] + 1)
    assert contacts == [(ids["wang"], "Wang Li")]
    assert deals == [(ids["deal"], "Fleet (proposal)")]
    assert (ids["deal"] + 1, "Old deal (won)") in with_closed  # the one a follow-up names stays listed


def test_status_history_from_to_who(crm):
    store, ids = crm
    with store.reading() as conn:
        steps = status_history(conn, ids["acme"])
    assert [(s.from_status, s.to_status) for s in steps] == [("intent", "won")]
    assert steps[0].by_user


def test_the_timeline_says_when_with_whom_and_which_deal(crm):
    store, _ids = crm
    with store.reading() as conn:
        past = dict(timeline(conn, date(2026, 11, 22)).past)
    (visited,) = past[date(2026, 11, 21)]
    assert visited.about == "15:00 · Wang Li · Fleet · plant · li"
