"""Realistic demo data, deterministic for a seed, fast enough for 100 000 customers.

``tuicrm demo --customers 100000`` writes 100 000 customers, ~150 000 contacts, ~500 000
follow-ups, ~20 000 opportunities with their stage history and ~80 000 tier assessments
(SPEC §11) in well under a minute. Rows are generated as tuples and inserted with the
driver's ``executemany`` inside the store's one write transaction, a few thousand customers
at a time (the ORM would spend minutes, and holding every row would cost a gigabyte).
Stored values use exactly SQLAlchemy's SQLite formats (ISO dates, ``YYYY-MM-DD
HH:MM:SS.ffffff`` UTC timestamps, integer cents, 0/1 booleans), and ``search_text`` is built
as ``store.customers.search_text_for`` builds it; the FTS index follows through its triggers.

Dates are relative to ``clock.today()`` so a pinned ``$TUICRM_NOW`` gives the same overdue
list. The same (customers, seed, today) always gives the same database.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, TypeVar, cast

from tuicrm import clock, demo_agenda, demo_care
from tuicrm.config import (
    CHANNELS,
    CONTACT_ROLES,
    OPEN_STAGES,
    STAGES,
    STATUSES,
    TIERS,
)
from tuicrm.demo_ledger import add_ledger
from tuicrm.demo_profiles import contact_extras, customer_extras, deal_extras, followup_extras
from tuicrm.demo_words import Words
from tuicrm.domain.cadence import cadence_interval
from tuicrm.domain.pinyin import pinyin_spellings
from tuicrm.domain.privacy import phone_digits
from tuicrm.domain.tiers import assess
from tuicrm.store import Store

STATUS_WEIGHTS = (("potential", 0.45), ("intent", 0.75), ("won", 0.93), ("lost", 1.0))  # 45/30/18/7 %

# Defaults sized so 100 000 customers give ~500 000 follow-ups and ~20 000 opportunities.
FOLLOWUPS_PER_CUSTOMER = 5.35  # mean of an exponential; at least one each: ~5.0 on average
CONTACTS_PER_CUSTOMER = 1.5
OPPORTUNITY_RATIO = 0.116  # x2.5 for intent/won customers: ~0.2 opportunities per customer
BATCH = 4000  # customers generated, then written, at a time

COLUMNS = {
    "customer": (
        "id",
        "code",
        "name",
        "alias",
        "industry",
        "size",
        "kind",
        "source",
        "first_contact_on",
        "status",
        "tier",
        "needs",
        "budget_max",
        "revenue_total",
        "last_deal_on",
        "phone",
        "email",
        "tags",
        "owner",
        "next_follow_up_on",
        "next_action",
        "search_text",
        "created_at",
        "updated_at",
        # #16: addresses, region, the company's own revenue, what and how it buys, renewal
        "address",
        "registered_address",
        "region",
        "company_revenue",
        "product_preference",
        "payment_method",
        "renewal_risk",
        "renewal_on",
        "budget_min",
        "purchase_by",
    ),
    "contact": (
        "customer_id",
        "name",
        "title",
        "role",
        "phone",
        "email",
        "is_primary",
        "is_key_decision_maker",
        "relationship",
        "created_at",
        "updated_at",
        "id",
        "department",
        "im",
        "gender",
        "education",
        "birthday",
        "interests",
        "prefers",
        "work_history",
    ),
    "followup": (
        "customer_id",
        "at",
        "channel",
        "summary",
        "feedback",
        "attitude",
        "next_action",
        "next_on",
        "owner",
        "created_at",
        "updated_at",
        "contact_id",
        "opportunity_id",
        "goal",
        "place",
        "attendees",
        "objection",
        "outcome",
    ),
    "tierassessment": (
        "customer_id",
        "potential",
        "willingness",
        "total",
        "tier",
        "basis",
        "strategy",
        "assessed_on",
        "assessor",
        "created_at",
        "updated_at",
    ),
    "opportunity": (
        "id",
        "name",
        "customer_id",
        "amount",
        "expected_close_on",
        "stage",
        "probability",
        "competitors",
        "owner",
        "lost_reason",
        "closed_on",
        "created_at",
        "updated_at",
        "product",
        "strengths",
        "weaknesses",
        "key_success_factors",
        "risks",
        "plan",
        "next_step",
        "next_step_owner",
        "next_step_due_on",
        "next_step_done_on",
        "decision_maker_id",
    ),
    "stagechange": ("opportunity_id", "from_stage", "to_stage", "at", "note", "created_at", "updated_at"),
}
COUNT_KEYS = {
    "customer": "customers",
    "contact": "contacts",
    "followup": "follow_ups",
    "opportunity": "opportunities",
    "tierassessment": "assessments",
    "stagechange": "stage_changes",
}


def _stamp(value: datetime) -> str:
    """A UTC timestamp as SQLAlchemy stores it in SQLite."""
    return f"{value:%Y-%m-%d %H:%M:%S}.{value.microsecond:06d}"


# Working hours as stored timestamps' time part: a uniform pick is one random() call.
TIMES = [f"{h:02d}:{m:02d}:00.000000" for h in range(8, 18) for m in range(60)]


_T = TypeVar("_T")


class _Rng:
    """``random.Random`` picks without ``_randbelow``'s loop: the demo makes ~5 million of them."""

    def __init__(self, seed: int):
        self.random = random.Random(seed).random
        self.gauss = random.Random(seed + 1).gauss
        self.expovariate = random.Random(seed + 2).expovariate

    def below(self, n: int) -> int:
        return int(self.random() * n)

    def between(self, low: int, high: int) -> int:
        """low <= x < high."""
        return low + int(self.random() * (high - low))

    def pick(self, seq: Sequence[_T]) -> _T:
        return seq[int(self.random() * len(seq))]


def _person(rng: _Rng, chinese: bool, w: Words) -> str:
    if chinese:
        return rng.pick(w.CN_SURNAMES) + rng.pick(w.CN_GIVEN)
    return f"{rng.pick(w.EN_GIVEN)} {rng.pick(w.EN_FAMILY)}"


def _phone(rng: _Rng, chinese: bool) -> str:
    if chinese:
        return f"1{rng.pick('3456789')}{rng.below(10**9):09d}"
    return f"+1 555 {rng.below(1000):03d} {rng.below(10000):04d}"


class _Days:
    """ISO strings of ``today + n`` days, computed once each."""

    def __init__(self, today: date):
        self.today = today
        self._cache: dict[int, str] = {}

    def __call__(self, offset: int) -> str:
        text = self._cache.get(offset)
        if text is None:
            text = self._cache[offset] = (self.today + timedelta(days=offset)).isoformat()
        return text


def generate(
    store: Store,
    customers: int = 200,
    seed: int = 1,
    *,
    followups_per_customer: float = FOLLOWUPS_PER_CUSTOMER,
    contacts_per_customer: float = CONTACTS_PER_CUSTOMER,
    opportunity_ratio: float = OPPORTUNITY_RATIO,
    locale: str = "mixed",
) -> dict[str, int]:
    """Fill ``store`` with demo data; returns row counts. Deterministic for (customers, seed,
    today, locale). ``locale``: ``mixed`` (Chinese and English customers), ``zh`` (all Chinese
    words) or ``en`` (all English); the same random draws, so the three have the same shape."""
    w = Words(locale)
    rng = _Rng(seed)
    rand = rng.random
    # The fields of issue #16 draw from their own stream, so the rest of the demo (names, dates,
    # statuses) stays what it was for a seed.
    x = _Rng(seed + 7919)
    today = clock.today()
    now = _stamp(clock.utcnow())
    day = _Days(today)
    config = store.config
    intervals = {(s, t): cadence_interval(s, t, config) for s in STATUSES for t in TIERS}
    assessments = {(p, q): assess(p, q, config) for p in range(2, 11) for q in range(2, 11)}
    if locale == "zh":  # the suggested strategies as the Chinese templates word them
        assessments = {
            k: (total, tier, w.ZH_STRATEGIES[tier]) for k, (total, tier, _s) in assessments.items()
        }
    counts = dict.fromkeys(COUNT_KEYS.values(), 0)
    sql = {
        t: f"INSERT INTO {t} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"
        for t, cols in COLUMNS.items()
    }

    with store.write("demo data", log=False) as session:
        dbapi = cast(sqlite3.Connection, session.connection().connection.dbapi_connection)  # SQLite
        cache_size = dbapi.execute("PRAGMA cache_size").fetchone()[0]
        dbapi.execute("PRAGMA cache_size = -131072")  # 128 MiB while the indexes grow
        start = (dbapi.execute("SELECT max(id) FROM customer").fetchone()[0] or 0) + 1
        opp_id = (dbapi.execute("SELECT max(id) FROM opportunity").fetchone()[0] or 0) + 1
        contact_id = (dbapi.execute("SELECT max(id) FROM contact").fetchone()[0] or 0) + 1
        rows: dict[str, list[Any]] = {t: [] for t in COLUMNS}
        cycled = 0

        def flush() -> None:
            # Parents first: the foreign keys are checked row by row.
            for table in ("customer", "contact", "tierassessment", "opportunity", "followup", "stagechange"):
                batch = rows[table]
                if not batch:
                    continue
                if table == "customer":
                    # Many rows per INSERT statement: the FTS trigger's index then flushes once per
                    # statement instead of once per customer (FTS5 flushes at every statement
                    # savepoint), which is ~5x faster.
                    per = max(1, 30_000 // len(COLUMNS[table]))
                    one = "(" + ", ".join("?" for _ in COLUMNS[table]) + ")"
                    head = sql[table].split(" VALUES ")[0]
                    for i in range(0, len(batch), per):
                        part = batch[i : i + per]
                        dbapi.execute(
                            f"{head} VALUES {', '.join(one for _ in part)}", [v for r in part for v in r]
                        )
                else:
                    dbapi.executemany(sql[table], batch)
                counts[COUNT_KEYS[table]] += len(batch)
                batch.clear()

        taken: dict[str, int] = {}  # no two demo customers share a name (issue #21)
        for n in range(customers):
            cid = start + n
            code = f"C{cid:06d}"
            chinese = rng.random() < 0.6 if locale == "mixed" else locale == "zh"
            if chinese:
                trade, industry = rng.pick(w.CN_TRADES)
                alias = rng.pick(w.CN_CORES)
                city, suffix = rng.pick(w.CN_CITIES), rng.pick(w.CN_SUFFIX)
                name = f"{city}{alias}{trade}{suffix}"
            else:
                alias = rng.pick(w.EN_FIRST)
                trade, industry = rng.pick(w.EN_TRADES)
                suffix = rng.pick(w.EN_SUFFIX)
                name = f"{alias} {trade} {suffix}"
            seen = taken.get(name, 0)
            taken[name] = seen + 1
            if seen:  # another branch of the same company: the same draws, a distinct name
                branch = (
                    w.CN_BRANCHES[(seen - 1) % len(w.CN_BRANCHES)]
                    if chinese
                    else w.EN_BRANCHES[(seen - 1) % len(w.EN_BRANCHES)]
                )
                lap = (seen - 1) // (len(w.CN_BRANCHES) if chinese else len(w.EN_BRANCHES))
                branch += str(lap + 1) if lap else ""
                name = f"{name}{branch}" if chinese else f"{alias} {trade} {suffix} ({branch})"
            roll = rand()
            status = next(s for s, upto in STATUS_WEIGHTS if roll < upto)
            # Some past customers have gone quiet: dormant (休眠), kept warm on a long cadence.
            shown_status = "dormant" if status == "won" and x.random() < 0.25 else status
            first_days = rng.between(20, 720)
            first_contact = day(-first_days)
            # Tier from a real assessment for most customers; some stay D (not assessed).
            tier = "D"
            if rand() < 0.8:
                potential, willingness = rng.between(2, 11), rng.between(2, 11)
                total, tier, strategy = assessments[(potential, willingness)]
                rows["tierassessment"].append(
                    (
                        cid,
                        potential,
                        willingness,
                        total,
                        tier,
                        rng.pick(w.BASES),
                        strategy,
                        day(-first_days + rng.between(1, 15)),
                        w.owner,
                        now,
                        now,
                    )
                )
            # Follow-up history: dated in the past, the latest sets the pending next step.
            n_fu = max(1, int(rng.expovariate(1 / followups_per_customer))) if followups_per_customer else 0
            n_fu = min(n_fu, 40)
            interval = intervals[(shown_status, tier)]
            ago = sorted((1 + int(rand() * first_days) for _ in range(n_fu)), reverse=True)
            action = None
            followups = rows["followup"]
            first_followup = len(followups)
            for k in ago:
                goal: str | None = action  # the last follow-up's next action is what this one set out to do
                summary, feedback, action = w.SUMMARIES[int(rand() * len(w.SUMMARIES))]
                followups.append(
                    [
                        cid,
                        f"{day(-k)} {TIMES[int(rand() * len(TIMES))]}",
                        CHANNELS[int(rand() * len(CHANNELS))],
                        summary,
                        feedback,
                        w.ATTITUDES[int(rand() * len(w.ATTITUDES))],
                        action,
                        None if interval is None else day(interval - k),
                        w.owner,
                        now,
                        now,
                        *followup_extras(x, goal, w),
                    ]
                )
                if k >= 4 and x.random() < 0.1:  # logged a day or three later: back-dated
                    followups[-1][9] = f"{day(-k + x.between(1, 4))} 18:30:00.000000"
            # The pending follow-up: some overdue, some today, most ahead.
            roll = rand()
            if status == "lost" and roll < 0.9:
                next_on = None
            elif roll < 0.10:
                next_on = day(-rng.between(1, 22))
            elif roll < 0.14:
                next_on = day(0)
            else:
                next_on = day(rng.between(1, 41))
            if ago:
                rows["followup"][-1][7] = next_on
            phone = _phone(rng, chinese)
            email = f"info{cid}@{alias.lower() if not chinese else 'example'}{cid % 97}.com"
            search = [name, alias, code, email, phone_digits(phone)]
            names = [name, alias]
            contact_ids: list[int] = []
            maker_id = None
            for j in range(max(0, round(rng.gauss(contacts_per_customer, 0.7)))):
                person = _person(rng, chinese, w)
                cphone = _phone(rng, chinese)
                role = rng.pick(CONTACT_ROLES)
                cemail = f"c{cid}x{j}@example.com"
                search += [person, cemail, phone_digits(cphone)]
                names.append(person)
                rows["contact"].append(
                    (
                        cid,
                        person,
                        rng.pick(w.TITLES),
                        role,
                        cphone,
                        cemail,
                        int(j == 0),
                        int(role == "decision-maker"),
                        rng.pick(w.RELATIONSHIPS),
                        now,
                        now,
                        contact_id,
                        *contact_extras(x, chinese, today, w),
                    )
                )
                contact_ids.append(contact_id)
                if role == "decision-maker" and maker_id is None:
                    maker_id = contact_id
                contact_id += 1
            revenue = rng.between(50, 5000) * 100_000 if status == "won" else None  # cents
            customer_row = (
                cid,
                code,
                name,
                alias,
                industry,
                rng.pick(w.SIZES),
                rng.pick(("B2B", "B2B", "B2C")),
                rng.pick(w.SOURCES),
                first_contact,
                status,
                tier,
                rng.pick(w.NEEDS),
                rng.between(10, 500) * 1_000_000 if rand() < 0.5 else None,
                revenue,
                day(-rng.between(10, 300)) if revenue else None,
                phone,
                email,
                rng.pick(w.TAGS),
                w.owner,
                next_on,
                action,
                "\x1f".join(p.lower() for p in search + pinyin_spellings(names) if p),
                now,
                now,
            )
            row = list(customer_row)
            row[9] = shown_status
            budget_max = cast("int | None", row[12])
            rows["customer"].append(
                (*row, *customer_extras(x, name, chinese, shown_status, budget_max, day, w))
            )
            # Opportunities with their stage history. The first six cycle through every stage,
            # so even a small demo shows a full pipeline.
            if rand() < opportunity_ratio * (2.5 if status in ("intent", "won") else 1):
                if cycled < len(STAGES) and status != "lost":
                    stage = STAGES[cycled]
                    cycled += 1
                else:
                    stage = rng.pick(STAGES) if status != "lost" else "lost"
                    if status == "won" and rand() < 0.5:
                        stage = "won"
                amount = rng.between(1, 200) * 500_000  # cents
                created = -rng.between(5, 200)
                path = (
                    STAGES[: STAGES.index(stage) + 1]
                    if stage in OPEN_STAGES or stage == "won"
                    else STAGES[: rng.between(1, 5)] + ("lost",)
                )
                moved = created
                prev = None
                for st in path:
                    rows["stagechange"].append(
                        (opp_id, prev, st, f"{day(moved)} {rng.pick(TIMES)}", None, now, now)
                    )
                    prev = st
                    moved = min(0, moved + rng.between(2, 25))
                closed = stage in ("won", "lost")
                # The follow-ups logged since the deal was opened are about it.
                for fu in followups[first_followup:]:
                    if fu[1] >= day(created) and x.random() < 0.7:
                        fu[12] = opp_id
                rows["opportunity"].append(
                    (
                        opp_id,
                        rng.pick(w.OPP_NAMES),
                        cid,
                        amount,
                        day(rng.between(-20, 150)),
                        stage,
                        config.stage_probability[stage],
                        rng.pick(w.COMPETITORS),
                        w.owner,
                        rng.pick(w.LOST_REASONS) if stage == "lost" else None,
                        day(moved) if closed else None,
                        f"{day(created)} {rng.pick(TIMES)}",
                        f"{day(moved)} {rng.pick(TIMES)}",
                        *deal_extras(x, closed, moved, contact_ids, day, w),
                        maker_id,
                    )
                )
                opp_id += 1
            # Who was spoken to: one of the customer's contacts, most of the time.
            if contact_ids:
                for fu in followups[first_followup:]:
                    if x.random() < 0.75:
                        fu[11] = x.pick(contact_ids)
            if (n + 1) % BATCH == 0:
                flush()
        flush()
        # The agenda and the leads (issue #17) draw from their own stream: the rest stays as it was.
        counts.update(
            demo_agenda.fill(
                dbapi,
                config,
                range(start, start + customers),
                today,
                clock.utcnow(),
                _Rng(seed + 31).random,
                locale,
            )
        )
        add_ledger(dbapi, seed, today, w.owner)  # receivables and payments of the won deals (issue #18)
        dbapi.execute(f"PRAGMA cache_size = {int(cache_size)}")
    counts.update(demo_care.generate_care(store, seed, locale))  # complaints, birthdays (#18)
    return counts
