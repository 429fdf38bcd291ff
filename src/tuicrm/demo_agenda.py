"""The demo's activity plan and leads (issue #17), deterministic for a seed and the clock's today.

About one activity for every six customers — most done or cancelled in the past weeks, a few
planned ones already overdue, a handful today and the rest over the next three weeks (two of
today's overlap, so the agenda shows a clash) — and one lead for every fifteen, from the
templates' sources, scored with the same BANT rules and response deadlines the store applies:
some high leads are past their 24 hours, some were converted into one of the demo's customers
(so the conversion report has figures). Rows go in as tuples with ``executemany`` inside the
demo's one write, like the rest of the demo.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from tuicrm.clock import local_midnight_utc
from tuicrm.config import ACTIVITY_KINDS, Config
from tuicrm.demo_words import Words, localised
from tuicrm.domain.leads import BantAnswers, bant_score, response_for

ACTIVITY_NAMES = {
    "visit": ("拜访采购部", "Site visit with the CTO", "拜访总经理", "Quarterly business review"),
    "call": ("电话确认需求", "Call about the renewal", "回访使用情况", "Pricing call"),
    "email": ("发送方案邮件", "Send the case studies"),
    "demo": ("产品演示", "Demo for the IT team"),
    "technical": ("技术交流会", "Integration workshop"),
    "other": ("行业展会见面", "Lunch with the buyer"),
}
PLACES = ("客户总部", "我司会议室", "Client HQ", "线上会议", "Video call", None)
RESULTS = ("客户认可方案，要求报价", "They want a second demo", "需求延后到下季度", "Agreed on a pilot")
LEAD_SOURCES = (
    ("展会", "2026秋季教育展"),
    ("展会", "CIIE 2026"),
    ("线上广告", "SEM"),
    ("线上广告", "信息流"),
    ("转介绍", "老客户推荐"),
    ("官网", "在线咨询"),
    ("电话营销", None),
)
LEAD_TITLES = ("总经理", "采购经理", "IT主管", "校长", "客户经理", "Director of IT", "Buyer", "CEO", "工程师")
LEAD_BUDGETS = ("15-20万", "8-10万", "50万以上", "100-200万", "3-5万", "$20k-50k", None)
LEAD_NEEDS = ("智慧教室方案", "ERP 替换", "Reduce logistics cost", "云服务器扩容", None)
LEAD_COMPANIES_ZH = ("星辰", "远航", "博雅", "鼎盛", "瑞丰", "启明", "汇通")
LEAD_TRADES_ZH = ("教育科技有限公司", "物流有限公司", "医疗器械有限公司", "软件股份有限公司")
LEAD_COMPANIES_EN = ("Northwind", "Contoso", "Fabrikam", "Tailspin", "Litware")
LEAD_TRADES_EN = ("Traders Ltd", "Systems Inc.", "Logistics GmbH", "Health Corp.")
CONTACT_NAMES = ("王磊", "李娜", "张伟", "Emily Chen", "刘洋", "Mark Davis", "陈静")
GOALS = ("了解预算与决策流程", "Confirm the scope", "推进签约", None)
DROP_REASONS = ("not a fit", "不合适")
AGENDA_WORDS = {
    "ACTIVITY_PLACES": PLACES,
    "RESULTS": RESULTS,
    "LEAD_SOURCES": LEAD_SOURCES,
    "LEAD_TITLES": LEAD_TITLES,
    "LEAD_BUDGETS": LEAD_BUDGETS,
    "LEAD_NEEDS": LEAD_NEEDS,
    "CONTACT_NAMES": CONTACT_NAMES,
    "GOALS": GOALS,
    "DROP_REASONS": DROP_REASONS,
}


def _stamp(value: datetime) -> str:
    return f"{value:%Y-%m-%d %H:%M:%S}.{value.microsecond:06d}"


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    """``hour:minute`` local time on ``day``, as the naive UTC datetime the database stores."""
    return (local_midnight_utc(day) + timedelta(hours=hour, minutes=minute)).replace(tzinfo=None)


def fill(
    dbapi: sqlite3.Connection,
    config: Config,
    customer_ids: range,
    today: date,
    now: datetime,
    random: Callable[[], float],
    locale: str = "mixed",
) -> dict[str, int]:
    """Insert the demo's activities and leads for ``customer_ids``; returns their counts."""
    if not customer_ids:
        return {"activities": 0, "leads": 0}
    w = Words(locale, AGENDA_WORDS)
    names = {kind: tuple(localised(kind, ACTIVITY_NAMES[kind], locale)) for kind in ACTIVITY_NAMES}

    def pick(seq: Sequence[Any]) -> Any:
        return seq[int(random() * len(seq))]

    stamp_now = _stamp(now.replace(tzinfo=None))
    first_activity = (dbapi.execute("SELECT max(id) FROM activity").fetchone()[0] or 0) + 1
    activities: list[tuple[Any, ...]] = []
    count = max(3, len(customer_ids) // 6)
    for n in range(count):
        aid = first_activity + n
        kind = pick(ACTIVITY_KINDS)
        customer = customer_ids[int(random() * len(customer_ids))]
        roll = random()
        if n < 3:  # today: 10:00, 14:00 and an overlapping 14:30, so the agenda shows a clash
            day, hour, minute = today, (10, 14, 14)[n], (0, 0, 30)[n]
            status = "planned"
        elif roll < 0.45:  # past weeks: mostly done, some cancelled, a few never marked (overdue)
            day, hour, minute = today - timedelta(days=1 + int(random() * 30)), 9 + int(random() * 8), 0
            status = "done" if random() < 0.8 else ("cancelled" if random() < 0.5 else "planned")
        else:
            day, hour, minute = today + timedelta(days=1 + int(random() * 21)), 9 + int(random() * 8), 0
            status = "planned"
        start = _at(day, hour, minute)
        minutes = config.agenda.duration_minutes.get(kind, 60)
        end = start + timedelta(minutes=minutes)
        done = status == "done"
        activities.append(
            (
                aid,
                f"A{aid:06d}",
                pick(names[kind]),
                kind,
                customer,
                pick(w.GOALS),
                _stamp(start),
                _stamp(end),
                _stamp(start) if done else None,
                _stamp(end) if done else None,
                pick(w.ACTIVITY_PLACES) if kind in ("visit", "technical", "other") else None,
                status,
                pick(w.RESULTS) if done else None,
                w.owner,
                w.owner,
                stamp_now,
                stamp_now,
            )
        )
    dbapi.executemany(
        "INSERT INTO activity (id, code, name, kind, customer_id, goal, planned_start, planned_end, "
        "actual_start, actual_end, place, status, result, owner, creator, created_at, updated_at) "
        "VALUES (" + ", ".join("?" * 17) + ")",
        activities,
    )

    first_lead = (dbapi.execute("SELECT max(id) FROM lead").fetchone()[0] or 0) + 1
    leads: list[tuple[Any, ...]] = []
    for n in range(max(4, len(customer_ids) // 15)):
        lid = first_lead + n
        source, detail = pick(w.LEAD_SOURCES)
        title, budget, needs = pick(w.LEAD_TITLES), pick(w.LEAD_BUDGETS), pick(w.LEAD_NEEDS)
        purchase_by = today + timedelta(days=5 + int(random() * 90)) if random() < 0.4 else None
        result = bant_score(
            BantAnswers(budget_text=budget, title=title, needs=needs, purchase_by=purchase_by),
            today,
            config.leads,
        )
        roll = random()
        customer_id = converted_at = contacted_at = None
        # Open leads came in over the last three days (some past their deadline by hours, some
        # with hours left); the answered ones over the last six weeks.
        created = now - timedelta(hours=2 + int(random() * 24 * 42))
        if roll < 0.25:
            status = "converted"
            customer_id = customer_ids[int(random() * len(customer_ids))]
            contacted_at = created + timedelta(hours=3)
            converted_at = created + timedelta(days=3)
        elif roll < 0.35:
            status = "disqualified"
        elif roll < 0.6:
            status, contacted_at = "contacted", created + timedelta(hours=6)
        else:
            status = "nurturing" if result.score_class == "low" else "new"
            created = now - timedelta(hours=2 + int(random() * 72))
        response = response_for(result.score_class, created, today, config.leads)
        chinese = random() < 0.6 if locale == "mixed" else locale == "zh"
        company = (
            f"{pick(LEAD_COMPANIES_ZH)}{pick(LEAD_TRADES_ZH)}"
            if chinese
            else f"{pick(LEAD_COMPANIES_EN)} {pick(LEAD_TRADES_EN)}"
        )
        leads.append(
            (
                lid,
                f"L{lid:06d}",
                source,
                detail,
                company,
                pick(w.CONTACT_NAMES),
                title,
                f"1{3 + int(random() * 6)}{int(random() * 10**9):09d}",
                budget,
                None if result.budget_min is None else int(result.budget_min * 100),
                needs,
                purchase_by.isoformat() if purchase_by else None,
                result.score,
                result.score_class,
                _stamp(response.respond_by.replace(tzinfo=None)) if response.respond_by else None,
                _stamp(contacted_at.replace(tzinfo=None)) if contacted_at else None,
                response.rescore_on.isoformat() if response.rescore_on else None,
                status,
                w.DROP_REASONS[0] if status == "disqualified" else None,
                customer_id,
                _stamp(converted_at.replace(tzinfo=None)) if converted_at else None,
                w.owner,
                _stamp(created.replace(tzinfo=None)),
                _stamp(created.replace(tzinfo=None)),
            )
        )
    dbapi.executemany(
        "INSERT INTO lead (id, code, source, source_detail, company, contact_name, contact_title, phone, "
        "budget_text, budget_min, needs, purchase_by, score, score_class, respond_by, contacted_at, "
        "rescore_on, status, drop_reason, customer_id, converted_at, owner, created_at, updated_at) "
        "VALUES (" + ", ".join("?" * 24) + ")",
        leads,
    )
    return {"activities": len(activities), "leads": len(leads)}
