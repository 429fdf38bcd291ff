"""Round trip: ``export x.xlsx --unmasked`` then ``import x.xlsx`` into an empty database gives the
same customers, contacts, follow-ups, tier assessments and opportunities.

Compared field by field, without database ids and row timestamps (created_at/updated_at, which
record when a row was written): links are compared through what they point at (customer code,
contact name, opportunity name). Follow-up times compare to the second (a spreadsheet keeps
whole seconds). Phones: the export is unmasked (``unmasked=True``); a masked export cannot
bring full numbers back, and that is the point of masking. Stage-change history is not part
of the round trip (the import writes one from the opportunity's stage and dates).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tuicrm.io.export import export_file
from tuicrm.io.importing import import_files
from tuicrm.models import Contact, Customer, FollowUp, Opportunity, TierAssessment
from tuicrm.store import Store
from tuicrm.store.customers import (
    archive_contact,
    archive_customer,
    create_contact,
    create_customer,
    update_customer,
)
from tuicrm.store.followups import log_follow_up, snooze
from tuicrm.store.pipeline import add_opportunity, archive_opportunity, move_opportunity
from tuicrm.store.tiers import assess_customer


def at(day: date, hour: int = 10, minute: int = 30, second: int = 15, micro: int = 654321) -> datetime:
    from datetime import UTC

    return datetime(day.year, day.month, day.day, hour, minute, second, micro, tzinfo=UTC)


def build(store: Store) -> None:
    cfg = store.config
    d0 = date(2026, 9, 1)
    with store.write("seed") as s:
        tech = create_customer(
            s,
            "上海精密机械有限公司",
            alias="精密",
            industry="制造业",
            size="100-1000",
            kind="B2B",
            source="trade show",
            first_contact_on=d0,
            status="intent",
            needs="云服务器扩容\n数据迁移",
            budget_min=Decimal("150000"),
            budget_max=Decimal("200000.50"),
            purchase_by=date(2027, 1, 31),
            address="上海市浦东新区XX路100号",
            phone="13812345678",
            email="it@jingmi.example",
            tags="vip,制造",
            notes="第一行\n=SUM(A1) looks like a formula",
            owner="rep",
        )
        acme1 = create_customer(s, "Acme", phone="+1 555 0100", email="one@acme.test", tier="C", kind="B2C")
        acme2 = create_customer(s, "Acme", phone="+1 555 0200", owner="someone else", alias="007")
        gone = create_customer(s, "Archived Trading Co", status="lost")
        archive_customer(s, gone)
        wang = create_contact(
            s,
            tech,
            "王经理",
            title="技术负责人",
            department="IT",
            role="decision-maker",
            phone="021-55556666",
            mobile="13900001111",
            email="wang@jingmi.example",
            im="wang_wx",
            birthday=date(1980, 5, 6),
            relationship="familiar",
            prefers="im",
            interests="钓鱼",
            notes="prefers mornings",
        )
        li = create_contact(s, tech, "李工", role="technical-evaluator", is_primary=True)
        old = create_contact(s, tech, "前任采购", notes="left the company")
        archive_contact(s, old)
        create_contact(s, acme1, "Wile Coyote", email="wile@acme.test")
        create_contact(s, acme2, "Wile Coyote", email="wile2@acme.test")  # same name, other customer
        create_contact(s, acme2, "Twin", email="t1@acme.test")
        create_contact(s, acme2, "Twin", email="t2@acme.test")  # same name twice in one customer
        opp = add_opportunity(
            s,
            cfg,
            tech,
            "云服务器项目",
            Decimal("500000"),
            stage="proposal",
            probability=55,
            expected_close_on=date(2027, 2, 28),
            competitors="竞品A",
            risks="数据安全",
            plan="签框架协议",
            decision_maker_id=wang.id,
        )
        won = add_opportunity(s, cfg, tech, "维保合同", Decimal("88000.10"), stage="negotiation")
        move_opportunity(s, cfg, won, "won")
        lost = add_opportunity(s, cfg, acme1, "Licence renewal", Decimal("1200"), stage="need")
        move_opportunity(s, cfg, lost, "lost", reason="price")
        dup = add_opportunity(
            s, cfg, acme1, "Licence renewal", Decimal("1300"), stage="lead"
        )  # same name again
        archive_opportunity(s, dup)
        add_opportunity(s, cfg, acme2, "Zero deal", Decimal("0"))
        call = log_follow_up(
            s,
            cfg,
            tech,
            "介绍云服务器套餐升级方案",
            channel="phone",
            feedback="需确认数据迁移周期",
            attitude="positive",
            next_on=date(2026, 11, 25),
            next_action="提供迁移流程表",
            goal="确认需求",
            contact_id=wang.id,
            opportunity_id=opp.id,
            at=at(d0 + timedelta(days=3)),
            owner="赵顾问",
        )
        log_follow_up(
            s, cfg, tech, "same words", channel="im", at=at(d0 + timedelta(days=4)), contact_id=li.id
        )
        log_follow_up(s, cfg, tech, "same words", channel="im", at=at(d0 + timedelta(days=4)))  # exact twin
        log_follow_up(
            s,
            cfg,
            acme1,
            "Sent the quote",
            channel="email",
            feedback="Sent the quote",
            at=at(d0 + timedelta(days=5), 23, 59, 59, 999999),
            next_on=None,
        )
        snooze(s, tech, date(2026, 12, 2), reason="customer travelling")
        assess_customer(
            s, cfg, tech, 8, 9, basis="年采购额 > 100万，决策链清晰", assessed_on=date(2026, 9, 10)
        )
        assess_customer(
            s,
            cfg,
            tech,
            5,
            6,
            basis="预算缩减",
            strategy="每月推送",
            assessed_on=date(2026, 10, 1),
            assessor="王经理",
        )
        assess_customer(s, cfg, acme1, 3, 3, assessed_on=date(2026, 10, 2))
        update_customer(s, acme1, tier="A")  # a manual tier after the assessment
        # Issue #16: every field the templates add has a value, so the round trips must carry it
        # (set on the rows directly: what the forms and the CLI write is their own tests' matter).
        for row, values in (
            (
                tech,
                {
                    "registered_address": "上海市自贸区YY路1号",
                    "region": "华东",
                    "company_revenue": Decimal("12345678.90"),
                    "product_preference": "云服务器, 对象存储",
                    "payment_method": "月结30天",
                    "renewal_risk": "high",
                    "renewal_on": date(2027, 6, 30),
                },
            ),
            (
                wang,
                {
                    "gender": "男",
                    "education": "复旦大学 计算机硕士",
                    "work_history": "2010-2015 A公司\n2015- 精密",
                },
            ),
            (
                opp,
                {
                    "probability_set": True,  # 55 is not the proposal stage's 50: the rep set it
                    "product": "云服务器",
                    "strengths": "本地机房",
                    "weaknesses": "-10% 价格劣势",  # starts like a formula: guarded and unguarded
                    "key_success_factors": "数据迁移方案",
                    "next_step": "发送迁移流程表",
                    "next_step_owner": "赵顾问",
                    "next_step_due_on": date(2026, 11, 25),
                    "next_step_done_on": date(2026, 11, 24),
                },
            ),
            (
                call,
                {
                    "objection": "价格高于竞品10%",
                    "place": "客户会议室 3F",
                    "attendees": "赵顾问, 李工",
                    "outcome": "done",
                },
            ),
        ):
            for name, value in values.items():
                setattr(row, name, value)
            s.add(row)
        s.flush()


def state(store: Store) -> dict:
    """Everything the round trip must keep, without ids and row timestamps."""
    with store.read() as s:
        conn = s.connection()

        def rows(model, *order):
            t = model.__table__
            return [dict(r) for r in conn.execute(sa.select(t).order_by(*order)).mappings()]

        customers = rows(Customer, Customer.__table__.c.code)
        code = {c["id"]: c["code"] for c in customers}
        contacts = rows(Contact, Contact.__table__.c.id)
        contact = {x["id"]: (code[x["customer_id"]], x["name"]) for x in contacts}
        opps = rows(Opportunity, Opportunity.__table__.c.id)
        opp = {o["id"]: (code[o["customer_id"]], o["name"]) for o in opps}
        drop = {"id", "version", "created_at", "updated_at", "customer_id"}  # version: a local counter

        def norm(r: dict) -> dict:
            out = {k: v for k, v in r.items() if k not in drop}
            if "customer_id" in r:
                out["customer"] = code[r["customer_id"]]
            for key in ("at", "archived_at"):
                if out.get(key) is not None:
                    out[key] = out[key].replace(microsecond=0)
            if "contact_id" in out:
                out["contact_id"] = contact.get(out["contact_id"])
            if "opportunity_id" in out:
                out["opportunity_id"] = opp.get(out["opportunity_id"])
            if "decision_maker_id" in out:
                out["decision_maker_id"] = contact.get(out["decision_maker_id"])
            return out

        def key(r):
            return repr(sorted(r.items(), key=lambda kv: kv[0]))

        return {
            "customers": [norm(c) for c in customers],
            "contacts": sorted((norm(x) for x in contacts), key=key),
            "followups": sorted((norm(f) for f in rows(FollowUp, FollowUp.__table__.c.id)), key=key),
            "tiers": sorted((norm(t) for t in rows(TierAssessment, TierAssessment.__table__.c.id)), key=key),
            "opportunities": sorted((norm(o) for o in opps), key=key),
        }


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_xlsx_export_then_import_into_an_empty_database_gives_the_same_data(store, tmp_path, lang):
    build(store)
    original = state(store)
    path = tmp_path / "everything.xlsx"
    report = export_file(store, path, unmasked=True, lang=lang)
    assert report.counts == {"customers": 4, "contacts": 7, "followups": 4, "tiers": 3, "opportunities": 5}

    fresh = Store.open(str(tmp_path / "fresh" / "crm.db"))
    try:
        result = import_files(fresh, [path])
        assert not result.rejected, [i.to_dict() for i in result.rejected]
        assert not result.warnings, [i.to_dict() for i in result.warnings]
        copy = state(fresh)
        for kind in original:
            assert copy[kind] == original[kind], kind
        # And importing the same export again changes nothing.
        again = import_files(fresh, [path])
        assert not again.changed, again.to_dict()
        # Into the original database too: everything is already there.
        assert not import_files(store, [path]).changed
    finally:
        fresh.dispose()


def test_csv_exports_round_trip_kind_by_kind(store, tmp_path):
    build(store)
    original = state(store)
    fresh = Store.open(str(tmp_path / "fresh" / "crm.db"))
    try:
        paths = []
        for kind in ("customers", "contacts", "opportunities", "followups", "tiers"):
            p = tmp_path / f"{kind}.csv"
            export_file(store, p, kind=kind, unmasked=True)
            paths.append(p)
        result = import_files(fresh, paths)
        assert not result.rejected and not result.warnings, result.to_dict()
        assert state(fresh) == original
    finally:
        fresh.dispose()


def test_masked_export_reimported_over_the_original_changes_nothing(store, tmp_path):
    build(store)
    before = state(store)
    path = tmp_path / "masked.xlsx"
    export_file(store, path)  # phones masked
    report = import_files(store, [path])
    assert state(store) == before
    assert not report.changed
