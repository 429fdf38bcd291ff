"""Realistic demo data, deterministic for a seed, fast enough for 100 000 customers.

Rows go in through SQLAlchemy Core ``executemany`` in one transaction (the ORM
would spend minutes on 500 000 follow-ups). Dates are relative to
``clock.today()`` so a pinned ``$TUICRM_NOW`` gives the same overdue list.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import sqlalchemy as sa

from tuicrm import clock
from tuicrm.config import CHANNELS, CONTACT_ROLES, OPEN_STAGES, STAGES
from tuicrm.domain.cadence import next_follow_up
from tuicrm.domain.privacy import phone_digits
from tuicrm.domain.tiers import assess
from tuicrm.models import Contact, Customer, FollowUp, Opportunity, StageChange, TierAssessment
from tuicrm.store import Store

CN_CITIES = ["上海", "北京", "深圳", "杭州", "苏州", "广州", "成都", "武汉", "南京", "天津", "宁波", "青岛", "厦门", "西安"]
CN_CORES = ["精密", "华信", "恒通", "鼎盛", "远航", "博远", "瑞丰", "联创", "天成", "金桥", "中科", "启明", "东方",
            "新锐", "盛世", "宏达", "众诚", "云帆", "汇智", "光华"]
CN_TRADES = [("机械", "制造业"), ("电子科技", "电子"), ("软件", "互联网"), ("物流", "物流"), ("医疗器械", "医疗"),
             ("食品", "零售"), ("建材", "建筑"), ("新能源", "能源"), ("化工", "化工"), ("教育科技", "教育"),
             ("云计算", "互联网"), ("汽车零部件", "制造业")]
CN_SUFFIX = ["有限公司", "股份有限公司", "集团有限公司", "科技有限公司"]
EN_FIRST = ["Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay", "Soylent", "Cyberdyne",
            "Tyrell", "Wonka", "Aperture", "Oscorp", "Massive", "Nimbus", "Pioneer", "Summit", "Bluewater", "Redwood"]
EN_TRADES = [("Robotics", "Manufacturing"), ("Logistics", "Logistics"), ("Software", "Software"), ("Health", "Healthcare"),
             ("Foods", "Retail"), ("Energy", "Energy"), ("Analytics", "Software"), ("Materials", "Construction"),
             ("Media", "Media"), ("Bank", "Finance")]
EN_SUFFIX = ["Ltd", "Inc.", "GmbH", "LLC", "Corp.", "Group"]
CN_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
CN_GIVEN = ["伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "志强", "建华", "丽"]
EN_GIVEN = ["Alice", "Bob", "Carol", "David", "Emma", "Frank", "Grace", "Henry", "Ivy", "Jack", "Karen", "Leo", "Mia", "Noah"]
EN_FAMILY = ["Smith", "Jones", "Brown", "Miller", "Davis", "Wilson", "Moore", "Taylor", "Clark", "Lewis", "Walker", "Young"]
TITLES = ["采购经理", "总经理", "技术总监", "IT经理", "财务总监", "Purchasing Manager", "CTO", "Operations Director",
          "Head of IT", "CEO"]
SOURCES = ["trade show", "referral", "inbound", "outbound", "partner", "website"]
SIZES = ["<100", "100-1000", ">1000"]
SUMMARIES = [
    ("介绍云服务器套餐升级方案", "客户关注价格，希望有折扣", "发送报价单"),
    ("电话沟通需求，确认采购时间", "预算在审批中", "跟进预算审批"),
    ("上门拜访，演示产品功能", "技术团队认可，需要对比竞品", "准备竞品对比材料"),
    ("Sent the quote for 50 licences", "Wants a volume discount", "Call about discount"),
    ("Demo of the reporting module", "Positive; asked about SSO", "Send SSO documentation"),
    ("Quarterly check-in call", "Happy with delivery", "Propose renewal"),
    ("Discussed contract terms", "Legal reviewing clause 7", "Follow up with legal"),
    ("微信沟通交付时间", "希望月底前交付", "确认排产计划"),
]
OPP_NAMES = ["云服务器升级", "年度维保合同", "ERP 实施", "Licence renewal", "Fleet tracking rollout", "Data platform",
             "安全审计服务", "Pilot project", "设备采购", "Training package"]
LOST_REASONS = ["price", "competitor", "no budget", "timing", "went silent"]


def _company(rng: random.Random, i: int) -> tuple[str, str, str]:
    if rng.random() < 0.6:
        trade, industry = rng.choice(CN_TRADES)
        core = rng.choice(CN_CORES)
        return f"{rng.choice(CN_CITIES)}{core}{trade}{rng.choice(CN_SUFFIX)}", core, industry
    first = rng.choice(EN_FIRST)
    trade, industry = rng.choice(EN_TRADES)
    return f"{first} {trade} {rng.choice(EN_SUFFIX)}", first, industry


def _person(rng: random.Random, chinese: bool) -> str:
    if chinese:
        return rng.choice(CN_SURNAMES) + rng.choice(CN_GIVEN)
    return f"{rng.choice(EN_GIVEN)} {rng.choice(EN_FAMILY)}"


def _phone(rng: random.Random, chinese: bool) -> str:
    if chinese:
        return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
    return f"+1 555 {rng.randrange(1000):03d} {rng.randrange(10000):04d}"


def _utc(day: date, rng: random.Random) -> datetime:
    return datetime(day.year, day.month, day.day, rng.randrange(8, 18), rng.randrange(60), tzinfo=timezone.utc)


def generate(store: Store, customers: int = 200, seed: int = 1, *, followups_per_customer: float = 5.0,
             contacts_per_customer: float = 1.5, opportunity_ratio: float = 0.2) -> dict[str, int]:
    """Fill ``store`` with demo data; returns row counts. Deterministic for (customers, seed, today)."""
    rng = random.Random(seed)
    today = clock.today()
    now = clock.utcnow()
    config = store.config
    counts = dict.fromkeys(("customers", "contacts", "follow_ups", "opportunities", "assessments", "stage_changes"), 0)

    with store.write("demo data", log=False) as session:
        conn = session.connection()
        start = (conn.execute(sa.select(sa.func.max(Customer.__table__.c.id))).scalar() or 0) + 1
        cust_rows, contact_rows, fu_rows, ta_rows, opp_rows, sc_rows = [], [], [], [], [], []
        opp_id = (conn.execute(sa.select(sa.func.max(Opportunity.__table__.c.id))).scalar() or 0) + 1
        for n in range(customers):
            cid = start + n
            name, alias, industry = _company(rng, n)
            chinese = any("\u4e00" <= ch <= "\u9fff" for ch in name)
            status = rng.choices(["potential", "intent", "won", "lost"], weights=[45, 30, 18, 7])[0]
            first_contact = today - timedelta(days=rng.randrange(20, 720))
            # Tier from a real assessment for most customers; some stay D (not assessed).
            tier = "D"
            if rng.random() < 0.8:
                potential, willingness = rng.randint(2, 10), rng.randint(2, 10)
                total, tier, strategy = assess(potential, willingness, config)
                ta_rows.append(dict(customer_id=cid, potential=potential, willingness=willingness, total=total,
                                    tier=tier, basis=rng.choice(["年采购额 > 100万，决策链清晰", "Clear budget, active project",
                                                                  "需求明确但预算有限", "Long sales cycle"]),
                                    strategy=strategy, assessed_on=first_contact + timedelta(days=rng.randrange(1, 15)),
                                    assessor="demo", created_at=now, updated_at=now))
            # Follow-up history: dated in the past, the latest sets the pending next step.
            n_fu = max(1, int(rng.expovariate(1 / followups_per_customer))) if followups_per_customer else 0
            n_fu = min(n_fu, 40)
            span = max(1, (today - first_contact).days)
            days_ago = sorted((rng.randrange(1, span + 1) for _ in range(n_fu)), reverse=True)
            last_summary = None
            for k, ago in enumerate(days_ago):
                summary, feedback, action = rng.choice(SUMMARIES)
                day = today - timedelta(days=ago)
                last_summary = (summary, action)
                fu_rows.append(dict(customer_id=cid, at=_utc(day, rng), channel=rng.choice(CHANNELS), summary=summary,
                                    feedback=feedback, attitude=rng.choice(["positive", "neutral", "negative"]),
                                    next_action=action,
                                    next_on=next_follow_up(status, tier, day, config),
                                    owner="demo", created_at=now, updated_at=now))
            # The pending follow-up: some overdue, some today, most ahead.
            roll = rng.random()
            if status == "lost" and roll < 0.9:
                next_on = None
            elif roll < 0.10:
                next_on = today - timedelta(days=rng.randint(1, 21))
            elif roll < 0.14:
                next_on = today
            else:
                next_on = today + timedelta(days=rng.randint(1, 40))
            if fu_rows and fu_rows[-1]["customer_id"] == cid:
                fu_rows[-1]["next_on"] = next_on
            phone = _phone(rng, chinese)
            email = f"info{cid}@{alias.lower() if not chinese else 'example'}{cid % 97}.com"
            contacts_here = []
            for j in range(max(0, round(rng.gauss(contacts_per_customer, 0.7)))):
                person = _person(rng, chinese)
                cphone = _phone(rng, chinese)
                role = rng.choice(CONTACT_ROLES)
                contacts_here.append((person, cphone))
                contact_rows.append(dict(customer_id=cid, name=person, title=rng.choice(TITLES), role=role,
                                         phone=cphone, email=f"c{cid}x{j}@example.com", is_primary=(j == 0),
                                         is_key_decision_maker=(role == "decision-maker"),
                                         relationship=rng.choice(["stranger", "acquaintance", "familiar", "trusted"]),
                                         created_at=now, updated_at=now))
            code = f"C{cid:06d}"
            search = [name, alias, code, email, phone_digits(phone)]
            for person, cphone in contacts_here:
                search += [person, phone_digits(cphone)]
            revenue = Decimal(rng.randrange(50, 5000) * 1000) if status == "won" else None
            cust_rows.append(dict(
                id=cid, code=code, name=name, alias=alias, industry=industry, size=rng.choice(SIZES),
                kind=rng.choice(["B2B", "B2B", "B2C"]), source=rng.choice(SOURCES), first_contact_on=first_contact,
                status=status, tier=tier, needs=rng.choice(["云服务器扩容", "Reduce logistics cost", "ERP 替换", None]),
                budget_min=None, budget_max=Decimal(rng.randrange(10, 500) * 10000) if rng.random() < 0.5 else None,
                revenue_total=revenue, last_deal_on=(today - timedelta(days=rng.randrange(10, 300))) if revenue else None,
                phone=phone, email=email, tags=rng.choice([None, "vip", "renewal", "vip,renewal", "expo-2026"]),
                owner="demo", next_follow_up_on=next_on, next_action=last_summary[1] if last_summary else None,
                search_text="\x1f".join(p.lower() for p in search if p), created_at=now, updated_at=now,
            ))
            # Opportunities with their stage history.
            if rng.random() < opportunity_ratio * (2.5 if status in ("intent", "won") else 1):
                stage = rng.choice(STAGES) if status != "lost" else "lost"
                if status == "won" and rng.random() < 0.5:
                    stage = "won"
                amount = Decimal(rng.randrange(1, 200) * 5000)
                created = today - timedelta(days=rng.randrange(5, 200))
                path = STAGES[: STAGES.index(stage) + 1] if stage in OPEN_STAGES or stage == "won" else \
                    STAGES[: rng.randint(1, 4)] + ("lost",)
                moved = created
                prev = None
                for st in path:
                    sc_rows.append(dict(opportunity_id=opp_id, from_stage=prev, to_stage=st, at=_utc(moved, rng),
                                        note=None, created_at=now, updated_at=now))
                    prev = st
                    moved = min(today, moved + timedelta(days=rng.randrange(2, 25)))
                closed = stage in ("won", "lost")
                opp_rows.append(dict(id=opp_id, name=rng.choice(OPP_NAMES), customer_id=cid, amount=amount,
                                     expected_close_on=today + timedelta(days=rng.randrange(-20, 150)),
                                     stage=stage, probability=config.stage_probability[stage],
                                     competitors=rng.choice([None, "华为云", "阿里云", "Salesforce", "Oracle"]),
                                     owner="demo", lost_reason=rng.choice(LOST_REASONS) if stage == "lost" else None,
                                     closed_on=moved if closed else None,
                                     created_at=_utc(created, rng), updated_at=_utc(moved, rng)))
                opp_id += 1
        for table, rows, key in (
            (Customer.__table__, cust_rows, "customers"),
            (Contact.__table__, contact_rows, "contacts"),
            (FollowUp.__table__, fu_rows, "follow_ups"),
            (TierAssessment.__table__, ta_rows, "assessments"),
            (Opportunity.__table__, opp_rows, "opportunities"),
            (StageChange.__table__, sc_rows, "stage_changes"),
        ):
            for chunk in range(0, len(rows), 20_000):
                conn.execute(sa.insert(table), rows[chunk : chunk + 20_000])
            counts[key] = len(rows)
    return counts
