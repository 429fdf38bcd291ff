"""Snapshots in Chinese (issue #19): the customer list with its panel, the customer detail and the
pipeline at 80×24 and 120×40, language zh_CN, on a database of Chinese data (clock pinned).

Regenerate after an intended change: ``pytest tests/ui/test_chinese_snapshots.py --snapshot-update``,
then read the SVGs' text: no English word on screen but brand names, key names and data.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from support import PINNED, settle

from tuicrm import i18n
from tuicrm.config import DEFAULT
from tuicrm.store import Store
from tuicrm.store.customers import create_contact, create_customer
from tuicrm.store.followups import log_follow_up
from tuicrm.store.pipeline import add_opportunity, move_opportunity
from tuicrm.store.tiers import assess_customer
from tuicrm.ui.app import make_app

SIZES = [(80, 24), (120, 40)]

# name, industry, status, tier, next follow-up, next action, logged on (Nov day), summary
CUSTOMERS = [
    ("北京华信科技有限公司", "软件", "intent", "B", date(2026, 11, 21), "确认交货日期", 14, "询问采购量"),
    ("上海明远科技有限公司", "电子", "won", "D", date(2026, 11, 15), "每月回访", 1, "每月例行沟通"),
    ("广州天河贸易", "贸易", "potential", "C", date(2026, 11, 22), "谈续约条款", 15, "季度回顾"),
    ("深圳联合电子", "电子", "intent", "B", date(2026, 11, 25), "发送合同草稿", 20, "演示效果很好"),
    ("杭州西湖茶业", "食品", "lost", "C", None, None, None, None),
    ("成都蓉城物流", "物流", "potential", "D", date(2026, 12, 3), "寄送样品", 20, "初次电话"),
    ("武汉长江化工", "化工", "potential", "C", None, None, None, None),
    ("南京金陵家具", "家具", "dormant", "D", None, None, None, None),
]

# customer name, deal, amount, stage, expected close
DEALS = [
    ("恒通精密机械有限公司", "2027年度供货", 150_000, "proposal", date(2026, 12, 31)),
    ("恒通精密机械有限公司", "技术支持续约", 500_000, "won", date(2026, 11, 1)),
    ("北京华信科技有限公司", "年度软件许可", 120_000, "need", date(2027, 1, 10)),
    ("深圳联合电子", "硬件更新", 1_200_000, "negotiation", date(2027, 1, 31)),
    ("成都蓉城物流", "仓储系统", 80_000, "lead", date(2027, 2, 28)),
    ("杭州西湖茶业", "员工培训", 50_000, "lost", date(2026, 11, 5)),
]


def _at(day: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, 10, 0, tzinfo=UTC)


def build_chinese_crm(store: Store) -> dict[str, int]:
    """Chinese customers, contacts, follow-ups and deals; returns ids by name."""
    ids: dict[str, int] = {}
    with store.write("fixture") as s:
        hengtong = create_customer(
            s,
            "恒通精密机械有限公司",
            alias="恒通",
            industry="制造业",
            status="intent",
            phone="13812345678",
            email="buy@hengtong.example",
            tags="重点,出口",
            source="展会",
            notes="上午11点前打电话。\n找张经理。",
        )
        assess_customer(
            s, DEFAULT, hengtong, 8, 9, basis="年采购额超百万，决策链清楚", assessed_on=date(2026, 10, 1)
        )
        create_contact(s, hengtong, "张伟", title="采购经理", role="decision-maker", phone="13900001111")
        create_contact(s, hengtong, "李娜", title="工程师", role="technical-evaluator")
        log_follow_up(
            s,
            DEFAULT,
            hengtong,
            "初次电话，寄送产品目录",
            channel="phone",
            at=_at(5),
            next_on=date(2026, 11, 12),
        )
        log_follow_up(
            s,
            DEFAULT,
            hengtong,
            "参观工厂，对方要报价",
            channel="visit",
            feedback="价格是主要顾虑",
            attitude="positive",
            at=_at(12),
            next_on=date(2026, 11, 19),
            next_action="发送修改后的报价",
        )
        ids[hengtong.name] = hengtong.id
        for name, industry, status, tier, next_on, action, logged, summary in CUSTOMERS:
            customer = create_customer(s, name, industry=industry, status=status, tier=tier)
            if next_on is not None:
                log_follow_up(
                    s, DEFAULT, customer, summary, at=_at(logged), next_on=next_on, next_action=action
                )
            ids[name] = customer.id
        made = {name: s.get(type(hengtong), cid) for name, cid in ids.items()}
        for customer, deal, amount, stage, close in DEALS:
            opp = add_opportunity(
                s, DEFAULT, made[customer], deal, amount, stage="lead", expected_close_on=close
            )
            if stage != "lead":
                move_opportunity(s, DEFAULT, opp, stage, reason="price")
    return ids


def _retranslate() -> None:
    """Import-time texts (bindings, column titles) in the language now chosen."""
    from tuicrm.ui import language

    language._retranslate_modules()
    for cls in language._subclasses(language.DOMNode):
        if "BINDINGS" in vars(cls):
            cls._merged_bindings = cls._merge_bindings()


@pytest.fixture
def chinese_crm(tmp_path, monkeypatch):
    """(store, ids) of the Chinese database, the app in zh_CN; English again afterwards."""
    monkeypatch.setenv("TUICRM_NOW", PINNED)
    i18n.set_language("zh_CN")
    _retranslate()
    store = Store.open(str(tmp_path / "crm.db"))
    try:
        yield store, build_chinese_crm(store)
    finally:
        store.dispose()
        monkeypatch.setenv("TUICRM_LANG", "en")
        i18n.reset()
        _retranslate()


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_customer_list_with_panel(chinese_crm, snap_compare, size):
    store, _ids = chinese_crm
    assert snap_compare(make_app(store, DEFAULT), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_customer_detail(chinese_crm, snap_compare, size):
    store, ids = chinese_crm

    async def ready(pilot):
        await settle(pilot)
        pilot.app.open_customer(ids["恒通精密机械有限公司"])
        await settle(pilot)

    assert snap_compare(make_app(store, DEFAULT), terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_pipeline(chinese_crm, snap_compare, size):
    store, _ids = chinese_crm

    async def ready(pilot):
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)

    assert snap_compare(make_app(store, DEFAULT), terminal_size=size, run_before=ready)


# -- every other screen (2, 3, 5-9) and the help, on the Chinese demo (issue #19) ---------------


@pytest.fixture(scope="module")
def chinese_demo_file(tmp_path_factory):
    """A Chinese demo database (``demo --locale zh``, 30 customers, clock pinned), built once."""
    from tuicrm.demo import generate

    path = tmp_path_factory.mktemp("zh-demo") / "demo.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TUICRM_NOW", PINNED)
        store = Store.open(str(path))
        generate(store, customers=30, seed=1, locale="zh")
        store.dispose()
    return path


@pytest.fixture
def chinese_demo(chinese_demo_file, tmp_path, monkeypatch):
    """A store on a copy of the Chinese demo, the app in zh_CN; English again afterwards."""
    import shutil

    monkeypatch.setenv("TUICRM_NOW", PINNED)
    i18n.set_language("zh_CN")
    _retranslate()
    shutil.copy(chinese_demo_file, tmp_path / "crm.db")
    store = Store.open(str(tmp_path / "crm.db"))
    try:
        yield store
    finally:
        store.dispose()
        monkeypatch.setenv("TUICRM_LANG", "en")
        i18n.reset()
        _retranslate()


SCREEN_KEYS = ["2", "3", "5", "6", "7", "8", "9", "question_mark"]
SCREEN_IDS = ["timeline", "tiers", "reports", "agenda", "leads", "receivables", "complaints", "help"]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
@pytest.mark.parametrize("key", SCREEN_KEYS, ids=SCREEN_IDS)
def test_screen(chinese_demo, snap_compare, key, size):
    async def ready(pilot):
        await settle(pilot, 1)
        await pilot.press(key)
        await settle(pilot, 2)

    assert snap_compare(make_app(chinese_demo, DEFAULT), terminal_size=size, run_before=ready)
