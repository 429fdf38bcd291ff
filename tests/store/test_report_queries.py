"""Report queries on a hand-built database with known numbers, in local time UTC+8.

The fixture (times are local, Asia/Shanghai; "now" is Wednesday 2026-11-25 10:00, in 2026-W48):

  customers  tier first contact  notes
  Alpha      A    11-16 (W47)    follow-ups Mon 11-16 00:30 phone (= Sunday 16:30 UTC!), Thu 11-19 visit → next 11-23
  Beta       B    11-22 (W47)    follow-ups Sun 11-15 23:30 email (W46), Sun 11-22 23:59 meeting → next 11-24
  Gamma      A    11-23 (W48)    created with next 11-20, never followed up; revenue 30 000
  Delta      A    11-15 (W46)    follow-ups Wed 11-18 phone → next 11-21, Mon 11-23 phone → next 11-30;
                                 revenue 300 000, last deal 2026-06-01
  Echo       B    11-17          archived: never counted
  Foxtrot    D    (none)         created Wed 11-18; revenue 20 000
  Golf       B    10-01          follow-up 11-02 → next 11-10, snoozed on 11-20 to 11-27; revenue 50 000

  opportunities (amount): moves
  #1 Alpha 100 000: lead 11-02 → need 11-17 → proposal 11-18 → won 11-20
  #2 Beta   50 000: need 11-16 → lost 11-21 ("Price")
  #3 Delta  30 000: lead 10-01 → negotiation 11-19 → lost 11-24 ("went silent")
  #4 Golf   20 000: proposal 11-23, closes 12-15 (50 %)
  #5 Gamma  10 000: lead 11-10, closes 11-30 (10 %)
  #6 Echo   70 000: lead 11-17 → won 11-18 (customer archived: never counted)
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pendulum
import pytest

from tuicrm.config import DEFAULT
from tuicrm.domain import reports as rep
from tuicrm.domain.reports import IsoWeek
from tuicrm.query import reports as queries
from tuicrm.store import Store
from tuicrm.store.customers import archive_customer, create_customer
from tuicrm.store.followups import log_follow_up, snooze
from tuicrm.store.pipeline import add_opportunity, move_opportunity

D = Decimal
NOW = "2026-11-25T10:00"
TODAY = date(2026, 11, 25)
REPO_ROOT = Path(__file__).resolve().parents[2]
MAVEN = REPO_ROOT.parent / "shared" / "data" / "real" / "maven-crm-sales-opportunities"


@pytest.fixture(scope="module", autouse=True)
def shanghai():
    """Local time is UTC+8 for this module, so local weeks start on Sunday 16:00 UTC."""
    pendulum.set_local_timezone(pendulum.timezone("Asia/Shanghai"))
    yield
    pendulum.set_local_timezone(None)


def build_fixture(store: Store, mp) -> dict[str, int]:
    """The database described in the module docstring. ``mp`` is a MonkeyPatch (for the clock)."""
    cfg = store.config
    ids: dict[str, int] = {}

    def at(when: str):
        mp.setenv("TUICRM_NOW", when)

    def write(when: str, fn):
        at(when)
        with store.write("fixture") as s:
            return fn(s)

    def customers(s):
        for key, fields in {
            "alpha": dict(tier="A", first_contact_on=date(2026, 11, 16)),
            "beta": dict(tier="B", first_contact_on=date(2026, 11, 22)),
            "gamma": dict(
                tier="A",
                first_contact_on=date(2026, 11, 23),
                next_follow_up_on=date(2026, 11, 20),
                revenue_total="30000",
            ),
            "delta": dict(
                tier="A",
                first_contact_on=date(2026, 11, 15),
                revenue_total="300000",
                last_deal_on=date(2026, 6, 1),
            ),
            "echo": dict(tier="B", first_contact_on=date(2026, 11, 17), next_follow_up_on=date(2026, 11, 1)),
            "golf": dict(tier="B", first_contact_on=date(2026, 10, 1), revenue_total="50000"),
        }.items():
            ids[key] = create_customer(s, key.capitalize(), **fields).id

    write("2026-09-01T09:00", customers)
    write(
        "2026-11-18T12:00",
        lambda s: ids.__setitem__(
            "foxtrot", create_customer(s, "Foxtrot", tier="D", revenue_total="20000").id
        ),
    )

    def cust(s, key):
        from tuicrm.store.customers import get_customer

        return get_customer(s, ids[key])

    def log(when, key, channel, next_on):
        write(
            when,
            lambda s: log_follow_up(
                s, cfg, cust(s, key), f"{channel} with {key}", channel=channel, next_on=next_on
            ),
        )

    def opp(when, key, name, amount, stage, **kw):
        def fn(s):
            ids[name] = add_opportunity(s, cfg, cust(s, key), name, amount, stage=stage, **kw).id

        write(when, fn)

    def move(when, name, stage, reason=None):
        from tuicrm.models import Opportunity

        write(when, lambda s: move_opportunity(s, cfg, s.get(Opportunity, ids[name]), stage, reason=reason))

    opp("2026-10-01T10:00", "delta", "o3", 30000, "lead")
    opp("2026-11-02T10:00", "alpha", "o1", 100000, "lead")
    log("2026-11-02T10:00", "golf", "phone", date(2026, 11, 10))
    opp("2026-11-10T10:00", "gamma", "o5", 10000, "lead", expected_close_on=date(2026, 11, 30))
    log("2026-11-15T23:30", "beta", "email", date(2026, 11, 19))
    opp("2026-11-16T09:00", "beta", "o2", 50000, "need")
    log("2026-11-16T00:30", "alpha", "phone", date(2026, 11, 20))
    move("2026-11-17T10:00", "o1", "need")
    opp("2026-11-17T10:00", "echo", "o6", 70000, "lead")
    move("2026-11-18T10:00", "o1", "proposal")
    move("2026-11-18T10:00", "o6", "won")
    log("2026-11-18T10:00", "delta", "phone", date(2026, 11, 21))
    log("2026-11-19T09:00", "alpha", "visit", date(2026, 11, 23))
    move("2026-11-19T10:00", "o3", "negotiation")
    write("2026-11-19T11:00", lambda s: archive_customer(s, cust(s, "echo")))
    move("2026-11-20T10:00", "o1", "won")
    write("2026-11-20T10:00", lambda s: snooze(s, cust(s, "golf"), date(2026, 11, 27)))
    move("2026-11-21T09:00", "o2", "lost", reason="Price")
    log("2026-11-22T23:59", "beta", "meeting", date(2026, 11, 24))
    log("2026-11-23T09:00", "delta", "phone", date(2026, 11, 30))
    opp("2026-11-23T10:00", "golf", "o4", 20000, "proposal", expected_close_on=date(2026, 12, 15))
    move("2026-11-24T10:00", "o3", "lost", reason="went silent")
    at(NOW)
    return ids


@pytest.fixture(scope="module")
def crm(tmp_path_factory, shanghai):
    with pytest.MonkeyPatch.context() as mp:
        store = Store.open(str(tmp_path_factory.mktemp("reports") / "crm.db"))
        ids = build_fixture(store, mp)
        yield store, ids
        store.dispose()


@pytest.fixture(autouse=True)
def pinned(monkeypatch):
    monkeypatch.setenv("TUICRM_NOW", NOW)


def weekly(store, week: IsoWeek, **kw) -> rep.WeeklyReport:
    with store.reading() as s:
        return queries.weekly(s, store.config, week, **kw)


# --- weekly ------------------------------------------------------------------------------------


def test_weekly_w47_by_hand(crm):
    store, ids = crm
    r = weekly(store, IsoWeek(2026, 47))
    assert (r.new_customers, r.high_value_new, r.new_leads, r.new_opportunities) == (3, 1, 0, 1)
    assert r.customers_followed_up == 3
    assert r.follow_ups_by_channel == {"phone": 2, "meeting": 1, "visit": 1}
    assert r.moved_into == {"need": 2, "proposal": 1, "negotiation": 1}
    assert (r.won_count, r.won_customers, r.won_amount) == (1, 1, D("100000.00"))
    assert (r.lost_count, r.lost_amount) == (1, D("50000.00"))
    assert [(x.reason, x.count, x.amount) for x in r.lost_reasons] == [("price", 1, D("50000.00"))]
    assert (r.overdue_at_week_end, r.overdue_is_projection) == (2, False)  # Delta (11-21) and Gamma (11-20)
    assert r.focus_total == 3
    assert [(f.code, f.tier, f.next_on) for f in r.focus] == [
        ("C000001", "A", date(2026, 11, 23)),
        ("C000002", "B", date(2026, 11, 24)),
        ("C000006", "B", date(2026, 11, 27)),
    ]
    assert len(r.trend) == 12 and r.trend[-1].week == IsoWeek(2026, 47)
    assert [t.won_amount for t in r.trend] == [D("0.00")] * 11 + [D("100000.00")]


def test_weekly_w46_boundaries_in_local_time(crm):
    store, _ids = crm
    r = weekly(store, IsoWeek(2026, 46))
    # Delta's first contact (Sunday 11-15) is W46; Beta's Sunday 23:30 email is W46, Alpha's Monday 00:30
    # call (still Sunday in UTC) is not.
    assert (r.new_customers, r.high_value_new, r.new_opportunities) == (1, 1, 1)
    assert r.follow_ups_by_channel == {"email": 1} and r.customers_followed_up == 1
    assert r.moved_into == {"need": 0, "proposal": 0, "negotiation": 0}
    assert (r.won_count, r.lost_count) == (0, 0)
    # At the end of W46 only Golf (next 11-10, snoozed only on 11-20) was overdue.
    assert (r.overdue_at_week_end, r.overdue_is_projection) == (1, False)
    # Next week's focus as it stood at W46's end (issue #16): Gamma (entered due 11-20) and Beta
    # (the 11-15 email set 11-19; today's date, 11-24 from a later meeting, does not count).
    assert r.focus_total == 2
    assert [(f.code, f.next_on) for f in r.focus] == [
        ("C000003", date(2026, 11, 20)),
        ("C000002", date(2026, 11, 19)),
    ]


def test_weekly_current_week_projects_overdue_from_the_pending_dates(crm):
    store, _ids = crm
    r = weekly(store, IsoWeek(2026, 48))
    # Due before Monday 11-30 and not done: Alpha 11-23, Beta 11-24, Gamma 11-20, Golf 11-27.
    assert (r.overdue_at_week_end, r.overdue_is_projection) == (4, True)
    assert (r.new_customers, r.high_value_new, r.new_opportunities) == (1, 1, 1)
    assert r.follow_ups_by_channel == {"phone": 1}
    assert r.moved_into == {"need": 0, "proposal": 1, "negotiation": 0}
    assert [(x.reason, x.count, x.amount) for x in r.lost_reasons] == [("went silent", 1, D("30000.00"))]


def test_weekly_empty_week(crm):
    store, _ids = crm
    r = weekly(store, IsoWeek(2026, 30))
    assert (r.new_customers, r.high_value_new, r.new_opportunities, r.customers_followed_up) == (0, 0, 0, 0)
    assert r.follow_ups_by_channel == {} and r.follow_ups == 0
    assert r.moved_into == {"need": 0, "proposal": 0, "negotiation": 0}
    assert (r.won_count, r.won_amount, r.lost_count, r.lost_reasons) == (0, D("0.00"), 0, [])
    assert (r.overdue_at_week_end, r.focus_total, r.focus) == (0, 0, [])
    assert all(t.won_count == 0 for t in r.trend)
    data = json.loads(json.dumps(rep.weekly_to_dict(r)))
    assert data["week"] == "2026-W30" and data["from"] == "2026-07-20" and data["to"] == "2026-07-26"
    assert data["focus"]["week"] == "2026-W31"


def test_weekly_json_shape(crm):
    store, _ids = crm
    data = json.loads(json.dumps(rep.weekly_to_dict(weekly(store, IsoWeek(2026, 47)))))
    assert data["follow_ups"] == {"total": 4, "by_channel": {"phone": 2, "meeting": 1, "visit": 1}}
    assert data["won"] == {"count": 1, "customers": 1, "amount": "100000.00"}
    assert data["lost"]["reasons"] == [{"reason": "price", "count": 1, "amount": "50000.00"}]
    assert data["focus"]["items"][0] == {
        "customer_id": 1,
        "code": "C000001",
        "name": "Alpha",
        "tier": "A",
        "next_follow_up_on": "2026-11-23",
        "next_on": "2026-11-23",
        "next_action": None,
    }


def test_weekly_in_utc_moves_the_boundary(crm):
    """The same data read with local time = UTC: Alpha's Monday 00:30 (UTC+8) call falls in W46."""
    store, _ids = crm
    pendulum.set_local_timezone(pendulum.timezone("UTC"))
    try:
        assert weekly(store, IsoWeek(2026, 46)).follow_ups_by_channel == {"email": 1, "phone": 1}
    finally:
        pendulum.set_local_timezone(pendulum.timezone("Asia/Shanghai"))


# --- funnel ------------------------------------------------------------------------------------


def funnel(store, start=None, end=TODAY):
    with store.reading() as s:
        return queries.funnel(s, store.config, start=start, end=end, today=TODAY)


def test_funnel_by_hand(crm):
    store, ids = crm
    r = funnel(store)
    assert (r.opportunities, r.amount) == (5, D("210000.00"))
    assert [s.reached for s in r.stages] == [5, 4, 3, 2, 1]
    assert [s.conversion for s in r.stages] == [0.8, 0.75, 0.6667, 0.5, None]
    assert [s.median_days for s in r.stages] == [32.0, 3.0, 2.0, 5.0, None]
    assert [s.lost_here for s in r.stages] == [0, 1, 0, 1, 0]
    assert r.overall_conversion == 0.2
    assert r.by_current_stage == {
        "lead": (1, D("10000.00")),
        "proposal": (1, D("20000.00")),
        "won": (1, D("100000.00")),
        "lost": (2, D("80000.00")),
    }
    # Stale: Gamma's lead (#5) has had nothing since 11-10 (15 days > 14).
    assert [(s.opportunity_id, s.idle_days, s.last_activity) for s in r.stale] == [
        (ids["o5"], 15, date(2026, 11, 10))
    ]


def test_funnel_as_it_stood_and_for_a_period(crm):
    store, ids = crm
    r = funnel(store, end=date(2026, 11, 22))
    assert r.opportunities == 4  # #4 came on the 23rd
    assert r.current("negotiation") == (1, D("30000.00"))  # #3 lost only on the 24th
    r = funnel(store, start=date(2026, 11, 10), end=TODAY)
    assert (r.opportunities, r.amount) == (3, D("80000.00"))  # #2, #4, #5
    r = funnel(store, start=date(2027, 1, 1), end=date(2027, 1, 31))
    assert r.opportunities == 0 and r.overall_conversion is None


# --- forecast, value, lost -----------------------------------------------------------------------


def test_forecast_by_hand(crm):
    store, _ids = crm
    with store.reading() as s:
        r = queries.forecast(s, store.config, by="month", today=TODAY)
        q = queries.forecast(s, store.config, by="quarter", today=TODAY)
    rows = {p.period: (p.open_count, p.open_amount, p.weighted, p.won_count, p.won_amount) for p in r.periods}
    assert rows == {
        "2026-11": (1, D("10000.00"), D("1000.00"), 1, D("100000.00")),
        "2026-12": (1, D("20000.00"), D("10000.00"), 0, D("0.00")),
    }
    assert (r.won_ytd_count, r.won_ytd_amount) == (1, D("100000.00"))
    assert [(p.period, p.open_amount, p.weighted, p.won_amount) for p in q.periods] == [
        ("2026-Q4", D("30000.00"), D("11000.00"), D("100000.00"))
    ]


@pytest.mark.parametrize("gap", [1, 2])
def test_value_table_counted_in_sql_is_the_full_report(crm, gap):
    """``value_summary`` (classes counted in SQL, the first rows alone) says what ``value`` says
    for a table of its first ``limit`` rows, the review list included."""
    from tuicrm.query.reports_value import value_summary
    from tuicrm.records import replace

    store, _ids = crm
    rc = replace(store.config.reports, review_tier_gap=gap)
    with store.reading() as s:
        full = queries.value(s, store.config, today=TODAY, rc=rc)
        for limit in (1, 2, 50):
            table = value_summary(s, store.config, today=TODAY, limit=limit, rc=rc)
            assert isinstance(table, rep.ValueSummary)
            assert table.rows == full.rows[:limit] and table.review == full.review[:limit]
            assert (table.customers, table.review_count) == (len(full.rows), len(full.review))
            assert (table.summary(), table.bases()) == (full.summary(), full.bases())
            assert (table.revenue_total, table.no_revenue, table.other_currencies) == (
                full.revenue_total,
                full.no_revenue,
                full.other_currencies,
            )
    assert full.review  # not vacuous


@pytest.mark.parametrize("gap", [1, 2])
def test_value_json_from_sql_rows_is_the_full_report(crm, gap):
    """``value --json``'s way (classes and follow-ups in SQL, rows written from stored values)
    writes what ``value_json`` writes of ``value``'s report."""
    from tuicrm.domain.reports.value import value_json
    from tuicrm.domain.reports.value_text import value_json_rows
    from tuicrm.query.reports_sql import local_tz
    from tuicrm.query.reports_value import value_json_source
    from tuicrm.records import replace

    store, _ids = crm
    rc = replace(store.config.reports, review_tier_gap=gap)
    with store.reading() as s:
        full = queries.value(s, store.config, today=TODAY, rc=rc)
        source = value_json_source(s, store.config, today=TODAY, rc=rc)
    assert source is not None
    head, rows, total_cents = source
    written = value_json_rows(head, rows, total_cents=total_cents, local_day=rep.LocalDays(local_tz()))
    assert "".join(written) == "".join(value_json(full))


def test_value_by_hand(crm):
    store, ids = crm
    with store.reading() as s:
        r = queries.value(s, store.config, today=TODAY)
    assert [x.name for x in r.rows] == ["Delta", "Alpha", "Golf", "Gamma", "Foxtrot"]
    assert [x.abc for x in r.rows] == ["A", "A", "B", "C", "C"]
    assert [x.revenue for x in r.rows] == [D(300000), D(100000), D(50000), D(30000), D(20000)]
    assert [x.rfm for x in r.rows] == ["524", "533", "523", "112", "112"]
    assert [x.last_activity for x in r.rows] == [
        date(2026, 11, 23),
        date(2026, 11, 20),
        date(2026, 11, 2),
        None,
        None,
    ]
    assert r.no_revenue == 1  # Beta; Echo is archived
    assert [(x.row.name, x.suggestion) for x in r.review] == [("Gamma", "lower"), ("Foxtrot", "assess")]
    data = json.loads(json.dumps(rep.value_to_dict(r)))
    assert data["classes"]["A"] == {"customers": 2, "revenue": "400000.00", "share": 0.8}


def test_lost_by_hand(crm):
    store, _ids = crm
    with store.reading() as s:
        r = queries.lost(s, store.config)
        since = queries.lost(s, store.config, start=date(2026, 11, 22))
        none = queries.lost(s, store.config, start=date(2026, 11, 1), end=date(2026, 11, 20))
    assert [(x.reason, x.count, x.amount) for x in r.reasons] == [
        ("price", 1, D("50000.00")),
        ("went silent", 1, D("30000.00")),
    ]
    assert r.by_stage == {"need": 1, "negotiation": 1} and r.amount == D("80000.00")
    assert [(x.reason, x.count) for x in since.reasons] == [("went silent", 1)]
    assert none.count == 0 and none.reasons == []


def test_pending_due_count_rebuilds_history(crm):
    store, _ids = crm
    tz = pendulum.local_timezone()
    with store.reading() as s:
        # Sunday 11-22 noon: Golf snoozed to 11-27, Delta due 11-21, Gamma 11-20, Alpha 11-23, Beta 11-19.
        noon = rep.local_midnight(date(2026, 11, 22), tz).replace(hour=4)
        assert queries.pending_due_count(s, noon, date(2026, 11, 22)) == 3  # Beta, Delta, Gamma
        assert queries.pending_due_count(s, noon, date(2026, 11, 1)) == 0


# --- Maven dataset (../shared/data/real), skipped when absent ----------------------------------

MAVEN_STAGES = {"Prospecting": "lead", "Engaging": "need", "Won": "won", "Lost": "lost"}


def load_maven(store: Store) -> list[dict]:
    """Accounts → customers, pipeline → opportunities with stage history (Core inserts, one transaction).

    Amount: close_value when present (won/lost), else the product's list price. Rows without an
    account go to one "(no account)" customer. Returns the opportunity rows as inserted.
    """
    import sqlalchemy as sa

    from tuicrm.models import Customer, Opportunity, StageChange

    def utc(day: str, hour: int) -> datetime:
        d = date.fromisoformat(day)
        return datetime(d.year, d.month, d.day, hour, tzinfo=UTC)

    with open(MAVEN / "products.csv", newline="") as fh:
        prices = {r["product"].replace(" ", "").lower(): D(r["sales_price"]) for r in csv.DictReader(fh)}
    with open(MAVEN / "accounts.csv", newline="") as fh:
        accounts = [r for r in csv.DictReader(fh)]
    with open(MAVEN / "sales_pipeline.csv", newline="") as fh:
        pipeline = [r for r in csv.DictReader(fh)]
    now = datetime(2018, 1, 1, tzinfo=UTC)
    names = [a["account"] for a in accounts] + ["(no account)"]
    names += sorted({r["account"] for r in pipeline if r["account"] and r["account"] not in names})
    cust_id = {n: i + 1 for i, n in enumerate(names)}
    customers = [
        dict(
            id=i,
            code=f"C{i:06d}",
            name=n,
            industry=None,
            status="potential",
            tier="D",
            search_text=n.lower(),
            created_at=now,
            updated_at=now,
        )
        for n, i in cust_id.items()
    ]
    opps, changes = [], []
    for n, r in enumerate(pipeline, start=1):
        stage = MAVEN_STAGES[r["deal_stage"]]
        amount = D(r["close_value"]) if r["close_value"] else prices[r["product"].replace(" ", "").lower()]
        start = r["engage_date"] or "2017-12-31"
        path = {
            "lead": ["lead"],
            "need": ["lead", "need"],
            "won": ["lead", "need", "won"],
            "lost": ["lead", "need", "lost"],
        }[stage]
        prev = None
        for k, st in enumerate(path):
            when = utc(r["close_date"], 12) if st in ("won", "lost") else utc(start, 9 + k)
            changes.append(
                dict(opportunity_id=n, from_stage=prev, to_stage=st, at=when, created_at=now, updated_at=now)
            )
            prev = st
        close = date.fromisoformat(r["close_date"]) if r["close_date"] else None
        opps.append(
            dict(
                id=n,
                name=r["opportunity_id"],
                customer_id=cust_id[r["account"] or "(no account)"],
                amount=amount,
                stage=stage,
                probability=DEFAULT.stage_probability[stage],
                expected_close_on=close,
                closed_on=close if stage in ("won", "lost") else None,
                lost_reason="unknown" if stage == "lost" else None,
                owner=r["sales_agent"],
                created_at=utc(start, 9),
                updated_at=utc(r["close_date"] or start, 12),
            )
        )
    with store.write("maven", log=False) as s:
        conn = s.connection()
        conn.execute(sa.insert(Customer.__table__), customers)
        conn.execute(sa.insert(Opportunity.__table__), opps)
        conn.execute(sa.insert(StageChange.__table__), changes)
    return opps


@pytest.fixture(scope="module")
def maven(tmp_path_factory):
    if not (MAVEN / "sales_pipeline.csv").exists():
        pytest.skip("the Maven dataset is not in ../shared/data/real")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TUICRM_NOW", "2018-01-01T09:00")
        store = Store.open(str(tmp_path_factory.mktemp("maven") / "crm.db"))
        opps = load_maven(store)
        yield store, opps
        store.dispose()


def test_maven_funnel_totals_equal_the_imported_opportunities(maven, monkeypatch):
    store, opps = maven
    monkeypatch.setenv("TUICRM_NOW", "2018-01-01T09:00")
    today = date(2018, 1, 1)
    with store.reading() as s:
        r = queries.funnel(s, store.config, start=None, end=today, today=today)
    assert r.opportunities == len(opps) == 8800
    assert r.amount == sum((o["amount"] for o in opps), D(0))
    for stage in ("won", "lost", "need", "lead"):
        mine = [o for o in opps if o["stage"] == stage]
        assert r.current(stage) == (len(mine), sum((o["amount"] for o in mine), D(0)).quantize(D("0.01"))), (
            stage
        )
    assert sum(c for c, _a in r.by_current_stage.values()) == 8800
    assert (r.current("won")[0], r.current("lost")[0], r.current("need")[0], r.current("lead")[0]) == (
        4238,
        2473,
        1589,
        500,
    )
    assert r.stages[0].reached == 8800 and r.stages[-1].reached == 4238
    assert r.overall_conversion == round(4238 / 8800, 4)
    json.dumps(rep.funnel_to_dict(r))


def test_maven_forecast_totals_equal_the_imported_opportunities(maven, monkeypatch):
    store, opps = maven
    monkeypatch.setenv("TUICRM_NOW", "2018-01-01T09:00")
    today = date(2018, 1, 1)
    with store.reading() as s:
        for by in ("month", "quarter"):
            r = queries.forecast(s, store.config, by=by, today=today)
            open_ = [o for o in opps if o["stage"] in ("lead", "need")]
            won = [o for o in opps if o["stage"] == "won"]
            assert r.total("open_count") == len(open_) == 2089
            assert r.total("open_amount") == sum((o["amount"] for o in open_), D(0))
            assert r.total("weighted") == sum((o["amount"] * o["probability"] / 100 for o in open_), D(0))
            assert (r.total("won_count"), r.total("won_amount")) == (
                4238,
                sum((o["amount"] for o in won), D(0)),
            )
            d = rep.forecast_to_dict(r)
            assert D(d["totals"]["won_amount"]) == sum((o["amount"] for o in won), D(0))
        value = queries.value(s, store.config, today=today)
    assert value.revenue_total == sum((o["amount"] for o in won), D(0))


def test_overdue_at_a_past_week_end_sees_history_imported_later(tmp_path, monkeypatch):
    """A workbook imported today brings older follow-ups: the customer row is new, its history is not."""
    store = Store.open(str(tmp_path / "imported.db"))
    monkeypatch.setenv("TUICRM_NOW", NOW)
    tz = pendulum.local_timezone()
    with store.write("import") as s:
        c = create_customer(s, "Imported Co", tier="B", first_contact_on=date(2026, 10, 1))
        log_follow_up(
            s,
            store.config,
            c,
            "old call",
            at=rep.local_midnight(date(2026, 11, 2), tz),
            next_on=date(2026, 11, 9),
        )
        log_follow_up(
            s,
            store.config,
            c,
            "newer call",
            at=rep.local_midnight(date(2026, 11, 20), tz),
            next_on=date(2026, 12, 1),
        )
        create_customer(s, "Entered today", next_follow_up_on=date(2026, 11, 1))  # not there yet in W46
    with store.reading() as s:
        assert queries.weekly(s, store.config, IsoWeek(2026, 46)).overdue_at_week_end == 1
        assert queries.weekly(s, store.config, IsoWeek(2026, 47)).overdue_at_week_end == 0
    store.dispose()
