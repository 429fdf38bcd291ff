"""``tuicrm dupes`` and ``tuicrm merge A B`` (issue #15): a planted pair is listed; a merge moves
every child of B to A, keeps B's differing values in A's notes, archives B; one undo restores
the database exactly."""

from __future__ import annotations

import json
from datetime import date

import sqlalchemy as sa

from store.dbdump import dump
from tuicrm.config import DEFAULT
from tuicrm.models import Contact, Customer, FollowUp, Opportunity, Snooze, TierAssessment
from tuicrm.store import Store
from tuicrm.store.customers import create_contact, create_customer, update_customer
from tuicrm.store.followups import log_follow_up, snooze
from tuicrm.store.pipeline import add_opportunity
from tuicrm.store.tiers import assess_customer


def plant(db_path) -> None:
    store = Store.open(str(db_path))
    try:
        with store.write("seed") as s:
            a = create_customer(s, "Acme Robotics", phone="13800000001", address="1 Old Road")
            create_contact(s, a, "Ann", mobile="13911110000", is_primary=True)
            b = create_customer(s, "ACME robotics", phone="13800000002", address="2 New Street")
            create_contact(s, b, "Bob", mobile="13922220000", is_primary=True)
            create_customer(s, "Unrelated", email="x@example.test")
            create_customer(s, "Other Co", email="X@example.test")
            log_follow_up(s, DEFAULT, b, "called", next_on=date(2026, 12, 1))
            add_opportunity(s, DEFAULT, b, "Robots", "50000", stage="proposal")
            assess_customer(s, DEFAULT, b, 8, 8)
            snooze(s, b, date(2026, 12, 5), reason="travel")
            update_customer(s, b, status="intent", industry="Machines")
    finally:
        store.dispose()


def counts(db_path, customer_code: str) -> dict[str, int]:
    store = Store.open(str(db_path))
    try:
        with store.read() as s:
            conn = s.connection()
            cid = conn.execute(sa.select(Customer.id).where(Customer.code == customer_code)).scalar()
            return {
                m.__tablename__: conn.execute(
                    sa.select(sa.func.count()).select_from(m).where(m.customer_id == cid)
                ).scalar()
                for m in (Contact, FollowUp, Opportunity, TierAssessment, Snooze)
            }
    finally:
        store.dispose()


def test_dupes_lists_the_planted_pairs(cli, db_path):
    plant(db_path)
    r = cli(db_path, "dupes", "--json")
    assert r.returncode == 0, r.stderr
    pairs = json.loads(r.stdout)
    assert [(p["keep"]["code"], p["other"]["code"], p["same"]) for p in pairs] == [
        ("C000001", "C000002", ["name"]),
        ("C000003", "C000004", ["email"]),
    ]
    text = cli(db_path, "dupes")
    assert "C000001 Acme Robotics  ~  C000002 ACME robotics  (same name)" in text.stdout


def test_merge_moves_children_keeps_values_and_one_undo_restores_exactly(cli, db_path):
    plant(db_path)
    before = dump(db_path, history=False, undo_log=False)
    r = cli(db_path, "merge", "C000001", "C000002", "--yes")
    assert r.returncode == 0, r.stderr
    assert "Merged C000002 ACME robotics into C000001 Acme Robotics" in r.stdout
    assert counts(db_path, "C000001") == {
        "contact": 2,
        "followup": 1,
        "opportunity": 1,
        "tierassessment": 1,
        "snooze": 1,
    }
    assert counts(db_path, "C000002") == dict.fromkeys(
        ("contact", "followup", "opportunity", "tierassessment", "snooze"), 0
    )
    shown = json.loads(cli(db_path, "show", "C000001", "--json", "--reveal").stdout)
    text = json.dumps(shown, ensure_ascii=False)
    assert "2 New Street" in text and "13800000002" in text  # B's differing values in A's notes
    assert shown["customer"]["industry"] == "Machines"  # A's empty field took B's value
    primaries = [c["name"] for c in shown["contacts"] if c.get("is_primary")]
    assert primaries == ["Ann"]
    assert json.loads(cli(db_path, "dupes", "--json").stdout)[0]["keep"]["code"] == "C000003"
    u = cli(db_path, "undo", "--yes")
    assert u.returncode == 0, u.stderr
    assert dump(db_path, history=False, undo_log=False) == before


def test_merge_refuses_the_same_customer_and_asks_without_yes(cli, db_path):
    plant(db_path)
    same = cli(db_path, "merge", "C000001", "C000001", "--yes")
    assert same.returncode != 0 and "same customer" in same.stderr
    ask = cli(db_path, "merge", "C000001", "C000002")
    assert ask.returncode != 0 and "--yes" in ask.stderr


def test_export_says_on_stderr_when_phones_are_masked_and_import_warns(cli, db_path, tmp_path):
    plant(db_path)
    path = tmp_path / "out.csv"
    r = cli(db_path, "export", str(path))
    assert r.returncode == 0, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "masked" in r.stderr
    full = cli(db_path, "export", str(tmp_path / "full.csv"), "--unmasked")
    assert full.returncode == 0 and full.stderr == ""
    back = cli(db_path, "import", str(path), "--json")
    warnings = json.loads(back.stdout)["warnings"]
    assert any("masked" in w["message"] for w in warnings)
