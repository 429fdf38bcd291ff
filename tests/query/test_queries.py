"""The query layer (``tuicrm.query``) against independent readings of the same data (issues #5, #13).

One demo database (plus archived, edited, undone and awkward rows) is built once. Each question
has one function now; each is held to a reference that does not share its SQL: the due list to
plain-Python scoring over every row, the search to a plain-Python reading of its meaning
(substring of ``search_text``, live customers, sorted) under every plan, ``resolve`` to the
rules written out in Python, and the card to what SQLModel's models read.
"""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import date, timedelta

import pytest

from tuicrm.config import DEFAULT, OPEN_STAGES
from tuicrm.demo import generate
from tuicrm.query import connect as qconnect
from tuicrm.query import search as qsearch
from tuicrm.query.cards import CARD_FIELDS, card, card_to_dict, contacts_of
from tuicrm.query.customers import count_customers, find, list_window, page, resolve
from tuicrm.query.errors import Ambiguous, NotFound
from tuicrm.query.filters import CustomerFilter
from tuicrm.query.followups import due, due_counts, due_top
from tuicrm.records import replace
from tuicrm.store import Store, dbapi, oplog
from tuicrm.store import customers as C

TODAY = date(2026, 11, 22)  # tests/conftest.py pins TUICRM_NOW=2026-11-22T09:00
PLAN_KNOBS = ("SORT_MATCHES_UP_TO", "WALK_WINDOW_UP_TO", "WALK_BUDGET", "PREFIX_TERMS_UP_TO")
SEARCH_PLANS = {  # values for PLAN_KNOBS: every plan of CustomerSearch
    "defaults": tuple(getattr(qsearch, k) for k in PLAN_KNOBS),
    "walk": (5, 1000, 200, 64),
    "walk-short-budget": (5, 1000, 7, 64),
    "id-set": (5, 0, 3000, 64),
    "short-text-scans": (qsearch.SORT_MATCHES_UP_TO, 1000, 3000, -1),
    "short-text-scans-many": (5, 1000, 3000, -1),
}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("TUICRM_NOW", "2026-11-22T09:00")
    mp.setenv("TZ", "UTC")
    mp.setenv("USER", "rep")
    path = tmp_path_factory.mktemp("query") / "demo.db"
    store = Store.open(str(path))
    generate(store, customers=300, seed=5)
    with store.write("extras") as s:
        odd = C.create_customer(
            s,
            '100% Pure_Water "Quote" Co',
            alias="PW",
            phone="138-1234-5678",
            email="ops@purewater.test",
            next_follow_up_on=TODAY - timedelta(days=3),
        )
        C.create_contact(s, odd, "王伟", phone="+86 139 0000 1111", email="wang@purewater.test")
        twin = C.create_customer(s, "Acme Robotics Ltd", next_follow_up_on=TODAY)  # same name as demo rows
        C.update_customer(s, twin, alias="ACMX")  # the FTS update trigger
        # Text that ends in rare characters: found only through the tail indexes.
        C.create_customer(s, "Tail One", email="one@tail.ŋ")
        C.create_customer(s, "Tail Two", email="two@tail.ŋq")
        C.create_customer(s, "Tail Three", email="three@tail.zv")
        gone = C.create_customer(s, "Archived Zebra Holdings", next_follow_up_on=TODAY - timedelta(days=1))
        C.archive_customer(s, gone)  # the FTS archive trigger
        hidden = C.resolve_customer(s, "C000010")
        contact = contacts_of(dbapi(s), hidden.id)
        if contact:
            C.archive_contact(s, C.get_contact(s, contact[0].id))
    with store.write("added then undone") as s:
        C.create_customer(s, "Undone Yak Trading", next_follow_up_on=TODAY)
    with store.write("undo", log=False) as s:
        oplog.undo(s, oplog.last_operation(s))  # the FTS delete trigger
    yield store, path
    store.dispose()
    mp.undo()


@pytest.fixture(scope="module")
def conn(demo_db):
    _store, path = demo_db
    c = qconnect.connect(str(path))
    assert c is not None, "the lean connection refused a current database"
    yield c
    c.close()


def _due_tuple(i):
    return (
        i.customer_id,
        i.code,
        i.name,
        i.tier,
        i.status,
        i.next_on,
        i.next_action,
        i.days_overdue,
        i.open_pipeline,
        i.priority,
        i.overdue,
    )


def _due_reference(conn, config, days):
    """The due list read row by row and scored in Python (no SQL ranking, no pipeline subquery)."""
    from decimal import Decimal

    from tuicrm.domain.scoring import call_next_priority, sort_key

    horizon = TODAY + timedelta(days=days)
    pipeline: dict[int, int] = {}
    for cid, cents, stage, archived in conn.execute(
        "SELECT customer_id, amount, stage, archived_at FROM opportunity"
    ):
        if stage in OPEN_STAGES and archived is None:
            pipeline[cid] = pipeline.get(cid, 0) + cents
    items = []
    for cid, code, name, tier, status, next_on, action, archived in conn.execute(
        "SELECT id, code, name, tier, status, next_follow_up_on, next_action, archived_at FROM customer"
    ):
        if archived is not None or next_on is None or date.fromisoformat(next_on) > horizon:
            continue
        day = date.fromisoformat(next_on)
        value = Decimal(pipeline.get(cid, 0)) / 100
        priority = call_next_priority(day, tier, value, TODAY, config)
        overdue = max(0, (TODAY - day).days)
        items.append((cid, code, name, tier, status, day, action, overdue, value, priority, overdue > 0))
    now = sorted((i for i in items if i[5] <= TODAY), key=lambda i: (*sort_key(i[9], i[2]), i[5], i[0]))
    later = sorted((i for i in items if i[5] > TODAY), key=lambda i: (i[5], i[2], i[0]))
    return now + later


@pytest.mark.parametrize("days", [0, 1, 7, 45])
def test_due_scores_and_orders_every_due_customer(conn, days):
    expected = _due_reference(conn, DEFAULT, days)
    got = [_due_tuple(i) for i in due(conn, DEFAULT, TODAY, days)]
    assert expected, "the demo should have something due"
    assert got == expected
    overdue, due_today, ahead = due_counts(conn, TODAY, days)
    assert overdue == sum(1 for i in expected if i[10])
    assert due_today == sum(1 for i in expected if i[5] == TODAY)
    assert overdue + due_today + ahead == len(expected)
    for limit in (1, 2, 5, 17, len(expected), len(expected) + 5):
        top = due_top(conn, DEFAULT, TODAY, days, limit)
        assert [_due_tuple(i) for i in top] == got[:limit], limit


def test_due_top_with_another_config(conn):
    config = replace(
        DEFAULT,
        tier_weights={"A": 1.0, "B": 2.5, "C": 7.0, "D": 0.5},
        pipeline_weight_cap=40.0,
        pipeline_weight_unit=5_000.0,
    )
    got = [_due_tuple(i) for i in due(conn, config, TODAY)]
    assert got == _due_reference(conn, config, 0)
    for limit in (1, 10, 30):
        assert [i.customer_id for i in due_top(conn, config, TODAY, 0, limit)] == [i[0] for i in got[:limit]]


QUERIES = [
    "a",
    "ac",
    "acme",
    "ACME",
    "精",
    "精密",
    "有限公司",
    "com",
    "c000042",
    "C000007",
    "5678",
    "138-1234",
    "+86 139",
    "100%",
    "pure_w",
    '"quote"',
    "_",
    "%",
    "zebra",
    "yak",
    "王伟",
    "wang@",
    "zzzqqq",
    "x",
    "  acme  ",
    "example",
    "c0000",
    "co",
    "ŋ",
    "ŋq",
    "zv",
    "q",
    "78",
    "5",
    "0",
    "@",
    # Several words: every word must match the same customer (issue #14).
    "pure 5678",
    "5678 pure",
    "acme com",
    "ac co",
    "精密 a",
    "138 1234",
    "wang@ 王",
    "pure zzzqqq",
    "a b c",
]


def _matches(search_text, terms):
    """Every word (group) of the search in the customer's text, any alternative of each."""
    return all(any(t in search_text for t in group) for group in terms)


@pytest.mark.parametrize("plan", SEARCH_PLANS)
def test_find_means_substring_under_every_plan(demo_db, conn, plan, monkeypatch):
    for name, value in zip(PLAN_KNOBS, SEARCH_PLANS[plan], strict=True):
        monkeypatch.setattr(qsearch, name, value)
    store, _ = demo_db
    live = _live_customers(conn)
    columns = {
        r[0]: r[:9] + (date.fromisoformat(r[9]) if r[9] else None,) + r[10:]
        for r in conn.execute(f"SELECT {', '.join(qsearch.ROW_COLUMNS)} FROM customer")
    }
    for q in QUERIES:
        for limit in (1, 3, 50):
            got = [tuple(r) for r in find(conn, q, limit)]
            with store.reading() as session_conn:  # the store's connection: the same function
                assert [tuple(r) for r in find(session_conn, q, limit)] == got, (q, limit)
            terms = qsearch.text_terms(q)
            meaning = sorted(
                (c for c in live if _matches(c["search_text"], terms)),
                key=lambda c: (c["name"], c["id"]),
            )
            assert got == [columns[c["id"]] for c in meaning[:limit]], (q, limit)


_CUSTOMER_COLUMNS = (
    "id",
    "name",
    "code",
    "tier",
    "status",
    "industry",
    "owner",
    "next",
    "tags",
    "search_text",
    "archived_at",
)


def _all_customers(conn):
    sql = f"SELECT {', '.join(_CUSTOMER_COLUMNS).replace('next,', 'next_follow_up_on,')} FROM customer"
    return [dict(zip(_CUSTOMER_COLUMNS, r, strict=True)) for r in conn.execute(sql)]


def _live_customers(conn):
    return [r for r in _all_customers(conn) if r["archived_at"] is None]


FILTERS = [
    CustomerFilter(),
    CustomerFilter(text="acme"),
    CustomerFilter(text="acme com", tier="A"),
    CustomerFilter(text="a"),
    CustomerFilter(text="com", tier="A"),
    CustomerFilter(text="精", status="intent"),
    CustomerFilter(tier="B", status="potential"),
    CustomerFilter(tag="vip"),
    CustomerFilter(text="co", tag="renewal"),
    CustomerFilter(due_by=TODAY),
    CustomerFilter(text="有限公司", due_by=TODAY + timedelta(days=7), owner="demo"),
    CustomerFilter(industry="制造业"),
    CustomerFilter(text="zebra", include_archived=True),
    CustomerFilter(include_archived=True),
    CustomerFilter(text="nothing-like-this"),
    CustomerFilter(text="ŋ"),
    CustomerFilter(text="78", status="potential"),
]


@pytest.mark.parametrize("plan", SEARCH_PLANS)
@pytest.mark.parametrize(
    "f", FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.asdict().items() if v) or "all"
)
def test_list_windows_follow_the_filter_and_sort(demo_db, plan, f, monkeypatch):
    """Every sort, both directions, several windows: count and page against plain Python."""
    for name, value in zip(PLAN_KNOBS, SEARCH_PLANS[plan], strict=True):
        monkeypatch.setattr(qsearch, name, value)
    store, _ = demo_db
    with store.reading() as conn:
        everyone = _all_customers(conn)
        terms = qsearch.text_terms(f.text)

        def keep(c):
            tags = "," + (c["tags"] or "").replace(" ", "").lower() + ","
            return (
                (f.include_archived or c["archived_at"] is None)
                and (not terms or _matches(c["search_text"], terms))
                and all(
                    not getattr(f, k) or c[k] == getattr(f, k)
                    for k in ("tier", "status", "industry", "owner")
                )
                and (not f.tag or f",{f.tag.lower()}," in tags)
                and (not f.due_by or (c["next"] is not None and c["next"] <= f.due_by.isoformat()))
            )

        matching = [c for c in everyone if keep(c)]
        assert count_customers(conn, f) == len(matching)
        total, first = list_window(conn, f, limit=7)
        assert total == len(matching)
        for sort, key in (
            ("name", "name"),
            ("code", "code"),
            ("tier", "tier"),
            ("status", "status"),
            ("industry", "industry"),
            ("next", "next"),
            ("owner", "owner"),
        ):
            ordered = sorted(matching, key=lambda c, k=key: (c[k] is not None, c[k] or "", c["id"]))
            for descending in (False, True):
                expect = [c["id"] for c in (ordered[::-1] if descending else ordered)]
                for offset, limit in ((0, 7), (3, 5), (len(expect) // 2, 40), (max(0, len(expect) - 2), 10)):
                    rows = page(conn, f, offset=offset, limit=limit, sort=sort, descending=descending)
                    assert [r.id for r in rows] == expect[offset : offset + limit], (sort, descending, offset)
        assert [r.id for r in first] == [
            c["id"] for c in sorted(matching, key=lambda c: (c["name"], c["id"]))
        ][:7]


REFS = [
    "C000042",
    "c42",
    "C000007",
    "42",
    "7",
    "acme",
    "ACME ROBOTICS LTD",
    "Acme Robotics Ltd",
    "pure",
    "pw",
    "精密",
    "有限公司",
    "zebra",
    "Archived Zebra Holdings",
    "yak",
    "nobody-at-all",
    "",
    "  ",
    "100%",
    "_",
    "C999999",
    "99999",
]


def _ascii_lower(text):
    """SQLite's lower(): ASCII letters only."""
    return text.translate(str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"))


def _resolve_reference(conn, ref):
    """``resolve``'s rules written out in Python over every customer row."""
    import re

    rows = conn.execute("SELECT id, code, name, alias, archived_at FROM customer ORDER BY id").fetchall()
    live = [r for r in rows if r[4] is None]
    ref = (ref or "").strip()
    if not ref:
        return ("not found", "Name a customer: a code like C000042, an id, or part of the name.")
    if re.fullmatch(r"[Cc]\d{1,9}", ref):
        for r in rows:
            if r[1] == f"C{int(ref[1:]):06d}":
                return ("id", r[0])
    if ref.isdigit():
        for r in live:
            if r[0] == int(ref):
                return ("id", r[0])
    exact = [r for r in live if _ascii_lower(r[2]) == ref.lower()]
    if len(exact) == 1:
        return ("id", exact[0][0])
    needle = _ascii_lower(ref.lower())
    matches = sorted(
        (r for r in live if needle in _ascii_lower(r[2]) or needle in _ascii_lower(r[3] or "")),
        key=lambda r: (r[2], r[0]),
    )[:21]
    if not matches:
        return ("not found", f"No customer matches '{ref}'.")
    if len(matches) > 1:
        n = len(matches) if len(matches) <= 20 else "more than 20"
        return ("ambiguous", f"'{ref}' matches {n} customers.", [(m[1], m[2]) for m in matches[:20]])
    return ("id", matches[0][0])


def _orm_card(session, customer_id, reveal=False):
    """The card as SQLModel's models read it (the JSON shape ``show --json`` printed before #13)."""
    from sqlmodel import select

    from tuicrm.domain.dates import relative_label
    from tuicrm.domain.privacy import mask_phone
    from tuicrm.models import Contact, Customer, FollowUp, Opportunity, StatusChange, TierAssessment

    def as_dict(row):
        out = {}
        for key in type(row).model_fields:
            value = getattr(row, key)
            if key == "search_text":
                continue
            if hasattr(value, "isoformat"):
                value = value.isoformat()
            elif value is not None and type(value).__name__ == "Decimal":
                value = str(value)
            if key in ("phone", "mobile") and value and not reveal:
                value = mask_phone(value)
            out[key] = value
        return out

    customer = session.get(Customer, customer_id)
    c = as_dict(customer)
    c["next_label"] = relative_label(customer.next_follow_up_on, TODAY)
    c["overdue"] = customer.next_follow_up_on is not None and customer.next_follow_up_on < TODAY
    contacts = session.exec(
        select(Contact)
        .where(Contact.customer_id == customer_id, Contact.archived_at.is_(None))
        .order_by(Contact.is_primary.desc(), Contact.name)
    )
    follow_ups = session.exec(
        select(FollowUp)
        .where(FollowUp.customer_id == customer_id)
        .order_by(FollowUp.at.desc(), FollowUp.id.desc())
        .limit(50)
    )
    opportunities = session.exec(
        select(Opportunity)
        .where(Opportunity.customer_id == customer_id, Opportunity.archived_at.is_(None))
        .order_by(Opportunity.expected_close_on, Opportunity.id)
    )
    assessments = session.exec(
        select(TierAssessment)
        .where(TierAssessment.customer_id == customer_id)
        .order_by(TierAssessment.assessed_on.desc(), TierAssessment.id.desc())
    )
    status_changes = session.exec(
        select(StatusChange)
        .where(StatusChange.customer_id == customer_id)
        .order_by(StatusChange.at.desc(), StatusChange.id.desc())
    )
    return {
        "customer": c,
        "contacts": [as_dict(x) for x in contacts],
        "follow_ups": [as_dict(x) for x in follow_ups],
        "opportunities": [as_dict(x) for x in opportunities],
        "assessments": [as_dict(x) for x in assessments],
        "status_history": [as_dict(x) for x in status_changes],
    }


@pytest.mark.parametrize("reveal", [False, True])
def test_show_resolves_and_reads_the_card(demo_db, conn, reveal):
    store, _ = demo_db
    for ref in REFS:
        expected = _resolve_reference(conn, ref)
        try:
            cid = resolve(conn, ref)
        except Ambiguous as exc:
            got = ("ambiguous", str(exc), exc.candidates)
        except NotFound as exc:
            got = ("not found", str(exc))
        else:
            got = ("id", cid)
        assert got == expected, ref
        if got[0] == "id":
            with store.read() as s:
                reference = _orm_card(s, cid, reveal=reveal)
            assert card_to_dict(card(conn, cid, TODAY), reveal=reveal) == reference, ref


def test_every_customer_card_is_what_the_models_read(demo_db, conn):
    store, _ = demo_db
    ids = [r[0] for r in conn.execute("SELECT id FROM customer ORDER BY id")]
    with store.read() as s:
        for cid in ids:
            expected = json.loads(json.dumps(_orm_card(s, cid), default=str))
            assert card_to_dict(card(conn, cid, TODAY)) == expected, cid
            assert card_to_dict(card(conn, cid, TODAY, as_json=True)) == expected, cid
    with pytest.raises(NotFound):
        card(conn, 10**9, TODAY)


def test_card_fields_follow_the_models():
    from tuicrm.models import Contact, Customer, FollowUp, Opportunity, StatusChange, TierAssessment

    for table, model in (
        ("statuschange", StatusChange),
        ("customer", Customer),
        ("contact", Contact),
        ("followup", FollowUp),
        ("opportunity", Opportunity),
        ("tierassessment", TierAssessment),
    ):
        assert [name for name, _ in CARD_FIELDS[table]] == list(model.model_fields), table


def test_cli_output_is_the_same_on_both_paths(demo_db, monkeypatch):
    """`due`, `find`, `show` (human and --json) print the same on the lean connection and the Store's."""
    from typer.testing import CliRunner

    from tuicrm.cli.app import app

    _store, path = demo_db
    runner = CliRunner()
    commands = [
        ["due"],
        ["due", "--json"],
        ["due", "--days", "7", "--limit", "12"],
        ["due", "--all"],
        ["find", "acme"],
        ["find", "精密", "--json"],
        ["find", "zzzq"],
        ["show", "C000042"],
        ["show", "acme"],
        ["show", "pure", "--json"],
        ["show", "nobody-at-all"],
    ]
    fast = [runner.invoke(app, ["--db", str(path), *args]) for args in commands]
    monkeypatch.setattr(qconnect, "connect", lambda target: None)
    slow = [runner.invoke(app, ["--db", str(path), *args]) for args in commands]
    for args, a, b in zip(commands, fast, slow, strict=True):
        if args == ["show", "acme"]:  # ambiguous: equal names may list in another order (see above)
            assert (a.exit_code, sorted(a.output.splitlines())) == (
                b.exit_code,
                sorted(b.output.splitlines()),
            )
            continue
        assert (a.exit_code, a.output) == (b.exit_code, b.output), args
        assert "Traceback" not in a.output


def test_connect_refuses_what_it_cannot_trust(demo_db, tmp_path):
    _store, path = demo_db
    assert qconnect.connect(str(tmp_path / "missing.db")) is None
    assert qconnect.connect("postgresql://db.example/crm") is None
    assert qconnect.connect(f"sqlite:///{path}") is not None
    old = tmp_path / "old.db"
    src = sqlite3.connect(path)
    dst = sqlite3.connect(old)
    src.backup(dst)
    src.close()
    dst.execute("UPDATE alembic_version SET version_num = '0002'")
    dst.commit()
    dst.close()
    assert qconnect.connect(str(old)) is None  # the Store migrates it instead
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 100)
    assert qconnect.connect(str(junk)) is None


def test_read_only_open_of_a_wal_database_without_its_shm(demo_db, tmp_path):
    _store, path = demo_db
    copy = tmp_path / "copy.db"
    src = sqlite3.connect(path)
    dst = sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    dst.close()  # last connection closed: no -wal, no -shm left
    assert not os.path.exists(str(copy) + "-shm")
    os.chmod(tmp_path, 0o500)  # and SQLite may not create one here
    try:
        conn = qconnect.connect(str(copy))
        if conn is not None:  # opened read-only (or immutable-style) and answers
            assert find(conn, "acme", 3)
            conn.close()
    finally:
        os.chmod(tmp_path, 0o700)


@pytest.mark.parametrize(
    "pinned",
    ["2026-11-22T09:00", "2026-11-22", "2026-11-22T23:59:59", "2026-02-28T00:00+08:00", "20261122T0900", ""],
)
def test_light_today_is_the_clocks_today(monkeypatch, pinned):
    from tuicrm import clock

    if pinned:
        monkeypatch.setenv("TUICRM_NOW", pinned)
    else:
        monkeypatch.delenv("TUICRM_NOW", raising=False)
    assert qconnect.today() == clock.today()


def test_light_today_words_bad_input_like_the_clock(monkeypatch):
    monkeypatch.setenv("TUICRM_NOW", "next tuesday")
    with pytest.raises(ValueError, match="TUICRM_NOW"):
        qconnect.today()


def test_target_resolution_is_the_paths_one(monkeypatch, tmp_path):
    from tuicrm.paths import resolve_db

    assert qconnect.resolve_target("x.db") == resolve_db("x.db")
    monkeypatch.setenv("TUICRM_DB", str(tmp_path / "env.db"))
    assert qconnect.resolve_target(None) == resolve_db(None)
    monkeypatch.delenv("TUICRM_DB")
    assert os.path.normpath(qconnect.resolve_target(None)) == resolve_db(None)
    monkeypatch.delenv("XDG_DATA_HOME")
    assert os.path.normpath(qconnect.resolve_target(None)) == resolve_db(None)


def test_head_revision_is_the_db_modules():
    from tuicrm.db import HEAD_REVISION

    assert qconnect.head_revision() == HEAD_REVISION


def test_short_text_goes_through_the_index(conn):
    search = qsearch.CustomerSearch(conn)
    assert search.vocab
    for text in ("ŋ", "ŋq", "zv", "精"):
        assert search._short_source(text) is not None, text


def test_every_word_must_match_the_same_customer(tmp_path):
    """`find "Acme 2024"`: the Acme customer that has 2024 — not one with Acme, another with 2024."""
    store = Store.open(str(tmp_path / "words.db"))
    with store.write("words") as s:
        wanted = C.create_customer(s, "Acme Holdings", alias="2024 renewal").id
        C.create_customer(s, "Acme Logistics", phone="139-0000-1111")
        C.create_customer(s, "Zeta Partners", phone="138-2024-0000")
        phone = C.create_customer(s, "Gamma Foods", phone="138-2024-5555").id
    with store.reading() as conn:
        assert [r.id for r in find(conn, "Acme 2024")] == [wanted]
        assert [r.id for r in find(conn, "2024 acme")] == [wanted]
        assert [r.id for r in find(conn, "ac 20")] == [wanted]  # short words: the scan, same rule
        assert [r.id for r in find(conn, "gamma 138-2024")] == [phone]  # a phone word, by its digits
        assert find(conn, "acme zzz") == []
        assert count_customers(conn, CustomerFilter(text="acme 2024")) == 1
        assert count_customers(conn, CustomerFilter(text="acme")) == 2
    store.dispose()
