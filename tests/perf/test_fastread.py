"""The sqlite3 fast path (tuicrm.fastread) and the store give the same answers (issue #5).

One demo database (plus archived, edited, undone and awkward rows) is built once. The
store functions (``followups.due``, ``search.find``/``page``/``count_customers``,
``customers.resolve_customer`` + ``cards.card_to_dict``) are the reference; the customer
search is also held to a plain-Python reading of its meaning (substring of
``search_text``, live customers, sorted) so the FTS index cannot drift from it.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import astuple, replace
from datetime import date, timedelta

import pytest

from tuicrm import fastread
from tuicrm.config import DEFAULT
from tuicrm.demo import generate
from tuicrm.store import Store, oplog
from tuicrm.store import customers as C
from tuicrm.store import followups as F
from tuicrm.store import search as S
from tuicrm.store.cards import card_to_dict, customer_card
from tuicrm.store.errors import Ambiguous, NotFound

TODAY = date(2026, 11, 22)  # tests/conftest.py pins TUICRM_NOW=2026-11-22T09:00
PLAN_KNOBS = ("SORT_MATCHES_UP_TO", "WALK_WINDOW_UP_TO", "WALK_BUDGET", "PREFIX_TERMS_UP_TO")
SEARCH_PLANS = {  # values for PLAN_KNOBS: every plan of CustomerSearch
    "defaults": tuple(getattr(fastread, k) for k in PLAN_KNOBS),
    "walk": (5, 1000, 200, 64),
    "walk-short-budget": (5, 1000, 7, 64),
    "id-set": (5, 0, 3000, 64),
    "short-text-scans": (fastread.SORT_MATCHES_UP_TO, 1000, 3000, -1),
    "short-text-scans-many": (5, 1000, 3000, -1),
}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("TUICRM_NOW", "2026-11-22T09:00")
    mp.setenv("TZ", "UTC")
    mp.setenv("USER", "rep")
    path = tmp_path_factory.mktemp("fastread") / "demo.db"
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
        contact = C.contacts_of(s, hidden.id)
        if contact:
            C.archive_contact(s, contact[0])
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
    c = fastread.connect(str(path))
    assert c is not None, "the fast path refused a current database"
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


@pytest.mark.parametrize("days", [0, 1, 7, 45])
def test_due_is_the_stores_due(demo_db, conn, days):
    store, _ = demo_db
    with store.read() as s:
        expected = F.due(s, store.config, TODAY, days)
    got = fastread.due(conn, DEFAULT, TODAY, days)
    assert expected, "the demo should have something due"
    assert [_due_tuple(i) for i in got] == [_due_tuple(i) for i in expected]
    overdue, due_today, ahead = fastread.due_counts(conn, TODAY, days)
    assert overdue == sum(1 for i in expected if i.overdue)
    assert due_today == sum(1 for i in expected if i.next_on == TODAY)
    assert overdue + due_today + ahead == len(expected)
    for limit in (1, 2, 5, 17, len(expected), len(expected) + 5):
        top = fastread.due_top(conn, DEFAULT, TODAY, days, limit)
        assert [_due_tuple(i) for i in top] == [_due_tuple(i) for i in expected[:limit]], limit


def test_due_top_with_another_config(demo_db, conn):
    config = replace(
        DEFAULT,
        tier_weights={"A": 1.0, "B": 2.5, "C": 7.0, "D": 0.5},
        pipeline_weight_cap=40.0,
        pipeline_weight_unit=5_000.0,
    )
    store, _ = demo_db
    with store.read() as s:
        expected = F.due(s, config, TODAY, 0)
    assert [_due_tuple(i) for i in fastread.due(conn, config, TODAY)] == [_due_tuple(i) for i in expected]
    for limit in (1, 10, 30):
        assert [i.customer_id for i in fastread.due_top(conn, config, TODAY, 0, limit)] == [
            i.customer_id for i in expected[:limit]
        ]


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
]


@pytest.mark.parametrize("plan", SEARCH_PLANS)
def test_find_is_the_stores_find_and_means_substring(demo_db, conn, plan, monkeypatch):
    for name, value in zip(PLAN_KNOBS, SEARCH_PLANS[plan], strict=True):
        monkeypatch.setattr(fastread, name, value)
    store, _ = demo_db
    live = _live_customers(conn)
    for q in QUERIES:
        for limit in (1, 3, 50):
            with store.read() as s:
                expected = [astuple(r) for r in S.find(s, q, limit)]
            got = [tuple(getattr(r, k) for k in fastread.ROW_COLUMNS) for r in fastread.find(conn, q, limit)]
            assert got == expected, (q, limit)
            terms = fastread.text_terms(q)
            meaning = sorted(
                (c for c in live if any(t in c["search_text"] for t in terms)),
                key=lambda c: (c["name"], c["id"]),
            )
            assert [r[0] for r in got] == [c["id"] for c in meaning[:limit]], (q, limit)


def _live_customers(conn):
    cols = (
        "id",
        "name",
        "code",
        "tier",
        "status",
        "industry",
        "owner",
        "next_follow_up_on",
        "tags",
        "search_text",
        "archived_at",
    )
    rows = [dict(zip(cols, r, strict=True)) for r in conn.execute(f"SELECT {', '.join(cols)} FROM customer")]
    return [r for r in rows if r["archived_at"] is None]


FILTERS = [
    S.CustomerFilter(),
    S.CustomerFilter(text="acme"),
    S.CustomerFilter(text="a"),
    S.CustomerFilter(text="com", tier="A"),
    S.CustomerFilter(text="精", status="intent"),
    S.CustomerFilter(tier="B", status="potential"),
    S.CustomerFilter(tag="vip"),
    S.CustomerFilter(text="co", tag="renewal"),
    S.CustomerFilter(due_by=TODAY),
    S.CustomerFilter(text="有限公司", due_by=TODAY + timedelta(days=7), owner="demo"),
    S.CustomerFilter(industry="制造业"),
    S.CustomerFilter(text="zebra", include_archived=True),
    S.CustomerFilter(include_archived=True),
    S.CustomerFilter(text="nothing-like-this"),
    S.CustomerFilter(text="ŋ"),
    S.CustomerFilter(text="78", status="potential"),
]


@pytest.mark.parametrize("plan", SEARCH_PLANS)
@pytest.mark.parametrize(
    "f", FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in vars(f).items() if v) or "all"
)
def test_list_windows_follow_the_filter_and_sort(demo_db, plan, f, monkeypatch):
    """Every sort, both directions, several windows: count and page against plain Python."""
    for name, value in zip(PLAN_KNOBS, SEARCH_PLANS[plan], strict=True):
        monkeypatch.setattr(fastread, name, value)
    store, _ = demo_db
    with store.read() as s:
        everyone = [
            dict(
                zip(
                    (
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
                    ),
                    r,
                    strict=True,
                )
            )
            for r in s.connection()
            .exec_driver_sql(
                "SELECT id, name, code, tier, status, industry, owner, next_follow_up_on, tags, search_text, "
                "archived_at FROM customer"
            )
            .fetchall()
        ]
        terms = fastread.text_terms(f.text)

        def keep(c):
            tags = "," + (c["tags"] or "").replace(" ", "").lower() + ","
            return (
                (f.include_archived or c["archived_at"] is None)
                and (not terms or any(t in c["search_text"] for t in terms))
                and all(
                    not getattr(f, k) or c[k] == getattr(f, k)
                    for k in ("tier", "status", "industry", "owner")
                )
                and (not f.tag or f",{f.tag.lower()}," in tags)
                and (not f.due_by or (c["next"] is not None and c["next"] <= f.due_by.isoformat()))
            )

        matching = [c for c in everyone if keep(c)]
        assert S.count_customers(s, f) == len(matching)
        total, first = S.window(s, f, limit=7)
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
                    rows = S.page(s, f, offset=offset, limit=limit, sort=sort, descending=descending)
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


@pytest.mark.parametrize("reveal", [False, True])
def test_show_is_the_stores_card(demo_db, conn, reveal):
    store, _ = demo_db
    for ref in REFS:
        with store.read() as s:
            try:
                target = C.resolve_customer(s, ref)
            except Ambiguous as exc:
                expected = ("ambiguous", str(exc), [(c.code, c.name) for c in exc.candidates])
            except NotFound as exc:
                expected = ("not found", str(exc))
            else:
                expected = (
                    "card",
                    card_to_dict(customer_card(s, store.config, target, TODAY), reveal=reveal),
                )
        try:
            cid = fastread.resolve(conn, ref)
        except fastread.Ambiguous as exc:
            got = ("ambiguous", str(exc), exc.candidates)
        except fastread.NotFound as exc:
            got = ("not found", str(exc))
        else:
            got = ("card", fastread.card(conn, cid, TODAY, reveal=reveal))
        if expected[0] == "ambiguous" and got[0] == "ambiguous":
            # resolve_customer orders candidates by name only, so equal names come in whatever
            # order its plan gives; fastread breaks ties by id. Same message, same names in order,
            # and the same customers when all of them are listed.
            assert got[1] == expected[1], ref
            assert [n for _, n in got[2]] == [n for _, n in expected[2]], ref
            if "more than" not in got[1]:
                assert sorted(got[2]) == sorted(expected[2]), ref
            continue
        assert json.dumps(got, ensure_ascii=False, default=str) == json.dumps(
            expected, ensure_ascii=False, default=str
        ), ref


def test_every_customer_card_is_the_same(demo_db, conn):
    store, _ = demo_db
    ids = [r[0] for r in conn.execute("SELECT id FROM customer ORDER BY id")]
    with store.read() as s:
        for cid in ids:
            expected = card_to_dict(customer_card(s, store.config, C.get_customer(s, cid), TODAY))
            assert fastread.card(conn, cid, TODAY) == json.loads(json.dumps(expected, default=str)), cid


def test_card_fields_follow_the_models():
    from tuicrm.models import Contact, Customer, FollowUp, Opportunity, TierAssessment

    for table, model in (
        ("customer", Customer),
        ("contact", Contact),
        ("followup", FollowUp),
        ("opportunity", Opportunity),
        ("tierassessment", TierAssessment),
    ):
        assert [name for name, _ in fastread.CARD_FIELDS[table]] == list(model.model_fields), table


def test_cli_output_is_the_same_on_both_paths(demo_db, monkeypatch):
    """`due`, `find`, `show` (human and --json) print the same through fastread and the Store."""
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
    monkeypatch.setattr(fastread, "connect", lambda target: None)
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
    assert fastread.connect(str(tmp_path / "missing.db")) is None
    assert fastread.connect("postgresql://db.example/crm") is None
    assert fastread.connect(f"sqlite:///{path}") is not None
    old = tmp_path / "old.db"
    src = sqlite3.connect(path)
    dst = sqlite3.connect(old)
    src.backup(dst)
    src.close()
    dst.execute("UPDATE alembic_version SET version_num = '0002'")
    dst.commit()
    dst.close()
    assert fastread.connect(str(old)) is None  # the Store migrates it instead
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 100)
    assert fastread.connect(str(junk)) is None


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
        conn = fastread.connect(str(copy))
        if conn is not None:  # opened read-only (or immutable-style) and answers
            assert fastread.find(conn, "acme", 3)
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
    assert fastread.today() == clock.today()


def test_light_today_words_bad_input_like_the_clock(monkeypatch):
    monkeypatch.setenv("TUICRM_NOW", "next tuesday")
    with pytest.raises(ValueError, match="TUICRM_NOW"):
        fastread.today()


def test_target_resolution_is_the_paths_one(monkeypatch, tmp_path):
    from tuicrm.paths import resolve_db

    assert fastread.resolve_target("x.db") == resolve_db("x.db")
    monkeypatch.setenv("TUICRM_DB", str(tmp_path / "env.db"))
    assert fastread.resolve_target(None) == resolve_db(None)
    monkeypatch.delenv("TUICRM_DB")
    assert os.path.normpath(fastread.resolve_target(None)) == resolve_db(None)
    monkeypatch.delenv("XDG_DATA_HOME")
    assert os.path.normpath(fastread.resolve_target(None)) == resolve_db(None)


def test_head_revision_is_the_db_modules():
    from tuicrm.db import HEAD_REVISION

    assert fastread.head_revision() == HEAD_REVISION


def test_short_text_goes_through_the_index(conn):
    search = fastread.CustomerSearch(fastread.runner(conn))
    assert search.vocab
    for text in ("ŋ", "ŋq", "zv", "精"):
        assert search._short_source(text) is not None, text
