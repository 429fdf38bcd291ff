"""Importing files a rep brings: header matching, values, duplicates, bad rows, file errors, undo."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from tuicrm.io.importing import NO_ACCOUNT, FileError, import_files
from tuicrm.models import Contact, Customer, FollowUp, Operation, Opportunity, StageChange, TierAssessment
from tuicrm.store import oplog
from tuicrm.store.customers import create_customer

# The four sheets of the Chinese template workbook (SPEC §9, seeds), example rows included.
CN_CUSTOMERS = (
    [
        "客户名称",
        "所属行业",
        "客户类型",
        "联系人*",
        "职位",
        "联系方式(脱敏)",
        "客户来源",
        "首次接触时间",
        "客户需求概述",
        "当前状态",
        "备注",
    ],
    [
        "科技有限公司",
        "互联网",
        "B2B",
        "王经理",
        "技术负责人",
        "13812345678",
        "行业展会推荐",
        "2024-03-15",
        "需求云服务器扩容",
        "意向",
        "预算50万/年",
    ],
    [
        "贸易商行",
        "零售",
        "B2C",
        "李女士",
        "采购主管",
        "13900001111",
        "客户转介绍",
        "2024/2/28",
        "寻求高性价比物流方案",
        "潜在",
        "对价格敏感",
    ],
)
CN_FOLLOWUPS = (
    [
        "客户名称",
        "跟进日期",
        "跟进方式",
        "沟通人*",
        "沟通要点",
        "客户反馈",
        "下一步行动",
        "下次跟进时间",
        "跟进人*",
    ],
    [
        "科技有限公司",
        "2024年4月10日",
        "电话",
        "王经理",
        "介绍云服务器套餐升级方案",
        "需确认数据迁移周期，下周给答复",
        "4月15日前提供迁移流程表",
        "2024-04-15",
        "赵顾问",
    ],
    [
        "贸易商行",
        45390,
        "线上会议",
        "李女士",
        "展示物流成本优化案例",
        "方案可行，但需对比现有合作方报价",
        "4月12日前发送竞品报价对比",
        "2024-04-12",
        "李专员",
    ],
)
CN_TIERS = (
    [
        "客户名称",
        "分级维度(采购潜力/合作意愿)",
        "评分(1-10分)",
        "客户等级",
        "对应策略",
        "评估日期",
        "评估人*",
    ],
    [
        "科技有限公司",
        "采购潜力8分/合作意愿9分",
        17,
        "A级",
        "安排总监对接，优先排期交付",
        "2024-04-12",
        "王经理",
    ],
    [
        "贸易商行",
        "采购潜力5分/合作意愿6分",
        11,
        "B级",
        "每月推送1次促销活动，跟进报价",
        "2024-04-12",
        "李专员",
    ],
)
CN_OPPORTUNITIES = (
    [
        "机会名称",
        "客户名称",
        "预计成交金额",
        "预计成交日期",
        "销售阶段(线索-需求-方案-谈判-成交)",
        "关键决策人*",
        "竞争对手分析",
        "风险点",
        "推进计划",
        "负责人*",
        "当前进度",
    ],
    [
        "科技云服务器项目",
        "科技有限公司",
        "50万元",
        "2024-05-30",
        "谈判阶段",
        "王经理",
        "竞品A报价低10%",
        "客户对数据安全有顾虑",
        "4月20日前签订框架协议",
        "赵顾问",
        "70%",
    ],
)


def write_xlsx(path: Path, sheets: dict[str, tuple]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(list(row))
    wb.save(path)
    return path


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def dump(store) -> str:
    """A fingerprint of every row of every table (ids included), for "nothing changed"."""
    h = hashlib.sha256()
    with store.engine.connect() as conn:
        names = [
            r[0]
            for r in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                "AND name NOT LIKE '%_fts%' ORDER BY name"
            )
        ]
        for name in names:
            for row in conn.exec_driver_sql(f'SELECT * FROM "{name}" ORDER BY 1'):
                h.update(repr(tuple(row)).encode())
    return h.hexdigest()


def rows(store, model, *order):
    with store.read() as s:
        return [
            dict(r) for r in s.connection().execute(sa.select(model.__table__).order_by(*order)).mappings()
        ]


@pytest.fixture
def workbook(tmp_path):
    return write_xlsx(
        tmp_path / "客户管理.xlsx",
        {
            "客户信息": CN_CUSTOMERS,
            "跟进记录": CN_FOLLOWUPS,
            "客户分级": CN_TIERS,
            "销售机会": CN_OPPORTUNITIES,
        },
    )


def test_chinese_workbook_imports_all_four_sheets_linked_by_name(store, workbook):
    report = import_files(store, [workbook])
    kinds = {s.sheet.split("[")[1].rstrip("]"): s.kind for s in report.sheets}
    assert kinds == {
        "客户信息": "customers",
        "跟进记录": "followups",
        "客户分级": "tiers",
        "销售机会": "opportunities",
    }
    assert not report.rejected
    customers = {c["name"]: c for c in rows(store, Customer, "id")}
    assert set(customers) == {"科技有限公司", "贸易商行"}
    tech = customers["科技有限公司"]
    assert tech["industry"] == "互联网" and tech["kind"] == "B2B" and tech["status"] == "intent"
    assert tech["first_contact_on"] == date(2024, 3, 15) and tech["phone"] == "13812345678"
    assert tech["tier"] == "A"  # the latest assessment sets the tier
    assert tech["next_follow_up_on"] == date(2024, 4, 15) and tech["next_action"] == "4月15日前提供迁移流程表"
    assert "预算50万/年" in tech["notes"]
    assert customers["贸易商行"]["first_contact_on"] == date(2024, 2, 28)
    assert customers["贸易商行"]["status"] == "potential" and customers["贸易商行"]["tier"] == "B"
    contacts = {x["name"]: x for x in rows(store, Contact, "id")}
    assert contacts["王经理"]["title"] == "技术负责人" and contacts["王经理"]["is_primary"]
    fus = rows(store, FollowUp, "id")
    assert [f["channel"] for f in fus] == ["phone", "video"]
    assert fus[0]["at"].date() == date(2024, 4, 10) and fus[1]["at"].date() == date(
        2024, 4, 8
    )  # Excel serial 45390
    assert fus[0]["contact_id"] == contacts["王经理"]["id"] and fus[0]["owner"] == "赵顾问"
    tiers = rows(store, TierAssessment, "id")
    assert [(t["potential"], t["willingness"], t["total"], t["tier"]) for t in tiers] == [
        (8, 9, 17, "A"),
        (5, 6, 11, "B"),
    ]
    (opp,) = rows(store, Opportunity, "id")
    assert (
        opp["amount"] == Decimal("500000.00") and opp["probability"] == 70 and opp["stage"] == "negotiation"
    )
    assert (
        opp["expected_close_on"] == date(2024, 5, 30) and opp["decision_maker_id"] == contacts["王经理"]["id"]
    )
    assert opp["customer_id"] == tech["id"]
    assert rows(store, StageChange, "id")[0]["to_stage"] == "negotiation"


def test_importing_the_same_workbook_twice_changes_nothing(store, workbook):
    first = import_files(store, [workbook])
    assert first.changed
    before = dump(store)
    second = import_files(store, [workbook])
    assert not second.changed
    assert second.totals()["skipped"] == second.totals()["rows"] == 7
    assert dump(store) == before  # not even an undo-log entry


def test_traditional_headers_and_odd_spacing(store, tmp_path):
    f = write_csv(
        tmp_path / "客戶.csv",
        "\ufeff客戶名稱 ,　所屬行業,當前狀態,聯繫人,首次接觸時間\n"
        "　精密機械有限公司　,製造業,成交,張經理,2024年3月15日\n",
    )
    report = import_files(store, [f])
    assert report.totals()["created"] == 1, report.to_dict()
    (c,) = rows(store, Customer, "id")
    assert c["name"] == "精密機械有限公司" and c["industry"] == "製造業" and c["status"] == "won"
    assert c["first_contact_on"] == date(2024, 3, 15)
    assert rows(store, Contact, "id")[0]["name"] == "張經理"


def test_gbk_csv_with_chinese_headers_reads_correctly(store, tmp_path):
    text = "客户名称,所属行业,联系人,电话,预计采购时间\n上海华信电子科技有限公司,电子,刘伟,021-55556666,2025/1/8\n"
    f = write_csv(tmp_path / "gbk.csv", text, "gbk")
    report = import_files(store, [f])
    assert report.sheets[0].encoding == "gb18030"
    (c,) = rows(store, Customer, "id")
    assert c["name"] == "上海华信电子科技有限公司" and c["industry"] == "电子"
    assert c["purchase_by"] == date(2025, 1, 8)
    assert rows(store, Contact, "id")[0]["name"] == "刘伟"


def test_cp1252_csv(store, tmp_path):
    text = "Company;Contact name;City\nMüller Bäckerei GmbH;Jürgen Weiß;Köln\n"
    f = write_csv(tmp_path / "kunden.csv", text, "cp1252")
    import_files(store, [f])
    (c,) = rows(store, Customer, "id")
    assert c["name"] == "Müller Bäckerei GmbH" and c["address"] == "Köln"
    assert rows(store, Contact, "id")[0]["name"] == "Jürgen Weiß"


def test_values_amounts_percentages_and_dates(store, tmp_path):
    f = write_csv(
        tmp_path / "deals.csv",
        "Opportunity name,Customer,Amount,Probability,Stage,Expected close date\n"
        'A,Acme,"¥1,200.50",70%,Proposal,2024/3/15\n'
        "B,Acme,1.5k,0.25,需求确认,45366\n"
        "C,Acme,50万元,,成交,2024年3月15日\n",
    )
    import_files(store, [f])
    opps = {o["name"]: o for o in rows(store, Opportunity, "id")}
    assert opps["A"]["amount"] == Decimal("1200.50") and opps["A"]["probability"] == 70
    assert opps["A"]["stage"] == "proposal" and opps["A"]["expected_close_on"] == date(2024, 3, 15)
    assert opps["B"]["amount"] == Decimal("1500.00") and opps["B"]["probability"] == 25
    assert opps["B"]["stage"] == "need" and opps["B"]["expected_close_on"] == date(2024, 3, 15)
    assert opps["C"]["amount"] == Decimal("500000.00") and opps["C"]["probability"] == 100
    assert opps["C"]["stage"] == "won" and opps["C"]["closed_on"] == date(2024, 3, 15)
    (acme,) = rows(store, Customer, "id")
    assert acme["status"] == "won" and acme["revenue_total"] == Decimal("500000.00")  # from the won deal
    assert acme["last_deal_on"] == date(2024, 3, 15)


def test_a_bad_row_is_rejected_with_sheet_row_and_reason_and_the_rest_import(store, tmp_path):
    f = write_xlsx(
        tmp_path / "book.xlsx",
        {
            "Customers": (
                ["Name", "Industry", "First contact"],
                ["Good One", "Retail", "2024-03-15"],
                ["Bad Date Ltd", "Retail", "2024-13-45"],
                ["Good Two", "Retail", None],
            )
        },
    )
    report = import_files(store, [f])
    assert [c["name"] for c in rows(store, Customer, "id")] == ["Good One", "Good Two"]
    (bad,) = report.rejected
    assert (bad.sheet, bad.row) == ("book.xlsx [Customers]", 3)
    assert "2024-13-45" in bad.message and "First contact" in bad.message
    assert report.sheets[0].rejected == 1 and report.sheets[0].created == 2


def test_row_without_a_name_is_rejected(store, tmp_path):
    f = write_csv(tmp_path / "c.csv", "客户名称,电话\n,13800138000\n有名字,13900139000\n")
    report = import_files(store, [f])
    assert [c["name"] for c in rows(store, Customer, "id")] == ["有名字"]
    assert report.rejected[0].row == 2 and "no customer name" in report.rejected[0].message


def test_missing_name_column_is_a_file_error_and_nothing_is_written(store, tmp_path):
    good = write_csv(tmp_path / "good.csv", "Name,Phone\nAcme,123456789\n")
    bad = write_csv(tmp_path / "people.csv", "Industry,Phone,Status\nRetail,123,潜在\n")
    before = dump(store)
    with pytest.raises(FileError, match="no customer name column.*Industry, Phone, Status"):
        import_files(store, [good, bad])
    assert dump(store) == before


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "is empty"),
        (b"\xef\xbb\xbf\r\n  \r\n", "is empty"),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 4, "not a readable .xlsx workbook"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "does not look like a text file"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    ],
)
def test_file_level_problems_give_one_clear_sentence(store, tmp_path, content, message):
    f = tmp_path / "customers.csv"
    f.write_bytes(content)
    before = dump(store)
    with pytest.raises(FileError, match=message):
        import_files(store, [f])
    assert dump(store) == before


def test_header_only_file_imports_nothing(store, tmp_path):
    f = write_csv(tmp_path / "c.csv", "Name,Phone\n")
    report = import_files(store, [f])
    assert report.totals()["rows"] == 0 and not report.changed


def test_unknown_columns_are_kept_in_notes_and_reported(store, tmp_path):
    f = write_csv(tmp_path / "c.csv", "Index,Name,Favourite colour,Notes\n1,Acme,blue,VIP\n")
    report = import_files(store, [f])
    assert report.sheets[0].kept_in_notes == ["Favourite colour"]
    assert report.sheets[0].ignored == ["Index"]
    (c,) = rows(store, Customer, "id")
    assert c["notes"] == "VIP\nFavourite colour: blue"


def test_dry_run_reports_and_writes_nothing(store, workbook):
    before = dump(store)
    report = import_files(store, [workbook], dry_run=True)
    assert report.dry_run and report.totals()["created"] == 7
    assert report.created["customer"] == 2 and report.created["opportunity"] == 1
    assert "Nothing was written" in report.summary()
    assert dump(store) == before


def test_duplicates_merge_fill_empty_fields_and_never_overwrite(store, tmp_path):
    with store.write("seed") as s:
        create_customer(s, "Acme Robotics", phone="13812345678", industry=None, email="sales@acme.test")
    f = write_csv(
        tmp_path / "c.csv",
        "Name,Industry,Phone,Email\n"
        "ACME  robotics,Manufacturing,,\n"  # same name, no other identifier: fill industry
        "Acme Robotics Ltd,,13999999999,SALES@acme.test\n"  # same e-mail: keep phone, file's in notes
        "Totally Different Co,,+86 138 1234 5678,\n",
    )  # same phone, another company
    report = import_files(store, [f])
    customers = rows(store, Customer, "id")
    assert [c["name"] for c in customers] == ["Acme Robotics", "Totally Different Co"]
    assert customers[0]["industry"] == "Manufacturing" and customers[0]["phone"] == "13812345678"
    assert "Phone: 13999999999" in customers[0]["notes"]
    assert [s.merged for s in report.sheets] == [2]
    assert "Name: Acme Robotics Ltd" in customers[0]["notes"]  # another spelling: kept, not lost
    assert any("kept its name, phone; the file's Name, Phone added" in w.message for w in report.warnings)
    assert any("shares its phone with C000001" in n.message for n in report.notes)


def test_same_name_rows_with_different_source_ids_stay_separate(store, tmp_path):
    f = write_csv(
        tmp_path / "customers.csv",
        "Customer Id,Company,First Name,Last Name,Email\n"
        "A1,Keith Inc,Ann,Lee,ann@keith.test\nB2,Keith Inc,Bob,Ray,bob@keith2.test\n",
    )
    import_files(store, [f])
    assert [c["name"] for c in rows(store, Customer, "id")] == ["Keith Inc", "Keith Inc"]
    again = import_files(store, [f])
    assert not again.changed and again.totals()["skipped"] == 2


def test_opportunities_without_a_customer_go_under_a_placeholder_and_are_reported(store, tmp_path):
    f = write_csv(
        tmp_path / "sales_pipeline.csv",
        "opportunity_id,sales_agent,account,deal_stage,engage_date,close_date,close_value\n"
        "X1,Ann,Acme,Won,2016-10-20,2017-03-01,1054\n"
        "X2,Ann,,Engaging,2016-10-25,,\n",
    )
    report = import_files(store, [f])
    by_name = {c["name"]: c for c in rows(store, Customer, "id")}
    assert set(by_name) == {"Acme", NO_ACCOUNT}
    opps = {o["name"]: o for o in rows(store, Opportunity, "id")}
    assert opps["X2"]["customer_id"] == by_name[NO_ACCOUNT]["id"] and opps["X2"]["stage"] == "need"
    assert opps["X1"]["closed_on"] == date(2017, 3, 1) and opps["X1"]["amount"] == Decimal("1054.00")
    assert any(w.row == 3 and NO_ACCOUNT in w.message for w in report.warnings)
    history = [
        (s["from_stage"], s["to_stage"], s["at"].date())
        for s in rows(store, StageChange, "id")
        if s["opportunity_id"] == opps["X1"]["id"]
    ]
    assert history == [(None, "lead", date(2016, 10, 20)), ("lead", "won", date(2017, 3, 1))]


def test_hostile_text_is_sanitised(store, tmp_path):
    others = "".join(f"Customer number {i},plain notes for row {i}\n" for i in range(20))
    f = write_csv(
        tmp_path / "c.csv", 'Name,Notes\n"Evil\x1b[31m Corp\x07","[bold]x[/] \x1b]0;pwned\x07ok"\n' + others
    )
    import_files(store, [f])
    c = rows(store, Customer, "id")[0]
    assert c["name"] == "Evil Corp" and "\x1b" not in c["notes"] and c["notes"].startswith("[bold]x[/]")


def test_undo_reverses_an_import(store, workbook):
    with store.write("seed") as s:
        create_customer(s, "科技有限公司")  # will be merged (filled), not duplicated
    before = dump(store)
    import_files(store, [workbook])
    with store.write("undo", log=False) as s:
        oplog.undo(s, oplog.last_operation(s))
    with store.read() as s:
        assert (
            s.connection().execute(sa.select(sa.func.count()).select_from(Customer.__table__)).scalar() == 1
        )
        assert (
            s.connection().execute(sa.select(sa.func.count()).select_from(Opportunity.__table__)).scalar()
            == 0
        )
        (c,) = rows(store, Customer, "id")
        assert c["industry"] is None and c["tier"] == "D"
        ops = s.connection().execute(sa.select(Operation.__table__.c.label)).scalars().all()
    assert ops[-1] == "import 客户管理.xlsx"
    assert dump(store) != before  # the undo is itself recorded


@pytest.mark.parametrize(
    "log, expected",
    [
        ([], []),
        ([("customer", 5, "insert", None)], [("customer", 5, "insert", None)]),
        (
            [
                ("customer", 5, "insert", None),
                ("customer", 6, "insert", None),
                ("customer", 7, "insert", None),
            ],
            [("customer", 5, "insert_range", {"last": 7})],
        ),
        # a gap, another table and an update each end a run
        (
            [
                ("customer", 1, "insert", None),
                ("customer", 3, "insert", None),
                ("customer", 4, "insert", None),
                ("contact", 5, "insert", None),
                ("contact", 6, "insert", None),
                ("customer", 9, "update", {"a": 1}),
                ("contact", 7, "insert", None),
            ],
            [
                ("customer", 1, "insert", None),
                ("customer", 3, "insert_range", {"last": 4}),
                ("contact", 5, "insert_range", {"last": 6}),
                ("customer", 9, "update", {"a": 1}),
                ("contact", 7, "insert", None),
            ],
        ),
    ],
)
def test_undo_log_keeps_runs_of_inserted_ids_as_one_entry(log, expected):
    assert oplog.insert_runs(log) == expected


def test_a_large_import_logs_id_ranges_and_undo_removes_every_row(store, tmp_path):
    with store.write("seed") as s:
        create_customer(s, "Kept Before The Import")
    f = write_csv(
        tmp_path / "many.csv",
        "Name,Phone\n" + "".join(f"Many Co {i},1390000{i:04d}\n" for i in range(3000)) + "Many Co 5,\n",
    )  # a duplicate: merged, not a new row
    report = import_files(store, [f])
    assert report.created["customer"] == 3000
    with store.read() as s:
        c = s.connection()
        op = oplog.last_operation(s)
        logged = c.execute(
            sa.text("SELECT table_name, action, row_id, before FROM operationrow WHERE operation_id = :op"),
            {"op": op.id},
        ).all()
        assert [(t, a) for t, a, _, _ in logged] == [("customer", "insert_range")]
        assert oplog.describe(s, op) == ["remove 3000 customers"]
    with store.write("undo", log=False) as s:
        oplog.undo(s, oplog.last_operation(s))
    with store.read() as s:
        names = s.connection().execute(sa.select(Customer.__table__.c.name)).scalars().all()
        fts = s.connection().execute(sa.text("SELECT COUNT(*) FROM customer_fts")).scalar()
    assert names == ["Kept Before The Import"] and fts == 1


def _schema(store) -> set[tuple[str, str]]:
    with store.read() as s:
        return set(
            s.connection().exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL").all()
        )


def _many_customers(tmp_path, n=2500):
    return write_csv(
        tmp_path / "many.csv", "Name,Industry\n" + "".join(f"Bulk Co {i},Retail\n" for i in range(n))
    )


def test_a_large_import_rebuilds_the_indexes_it_dropped(store, tmp_path):
    schema = _schema(store)
    import_files(store, [_many_customers(tmp_path)])
    assert _schema(store) == schema
    with store.read() as s:
        c = s.connection()
        assert c.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        # the rebuilt name index answers like the table does
        n = c.exec_driver_sql(
            "SELECT COUNT(*) FROM customer INDEXED BY ix_customer_name WHERE name >= 'Bulk Co 1' "
            "AND name < 'Bulk Co 2'"
        ).scalar()
    assert n == sum(1 for i in range(2500) if "1" <= str(i) < "2")


def test_a_large_import_that_fails_keeps_the_indexes(store, tmp_path, monkeypatch):
    from tuicrm.store import bulk

    schema = _schema(store)

    def broken(*_args):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(bulk, "record_log", broken)
    with pytest.raises(RuntimeError):
        import_files(store, [_many_customers(tmp_path)])
    assert _schema(store) == schema
    assert rows(store, Customer, "id") == []


def test_the_garbage_collector_is_paused_during_an_import_and_back_after(store, tmp_path, monkeypatch):
    import gc

    import tuicrm.io.importing as importer

    seen = []
    real_run = importer.Planner.run

    def run(self, *args):
        seen.append(gc.isenabled())
        return real_run(self, *args)

    monkeypatch.setattr(importer.Planner, "run", run)
    assert gc.isenabled()
    import_files(store, [_many_customers(tmp_path, 10)])
    assert seen == [False] and gc.isenabled()
    with pytest.raises(FileError):
        import_files(store, [write_csv(tmp_path / "empty.csv", "")])
    assert gc.isenabled()


def test_title_row_above_the_headers_is_skipped(store, tmp_path):
    f = write_xlsx(
        tmp_path / "t.xlsx",
        {"客户信息基础表": (["客户信息基础表"], [], ["客户名称", "所属行业"], ["远航物流有限公司", "物流"])},
    )
    report = import_files(store, [f])
    assert report.sheets[0].header_row == 3
    assert rows(store, Customer, "id")[0]["name"] == "远航物流有限公司"


def test_follow_up_for_an_unknown_customer_creates_it_with_a_note(store, tmp_path):
    f = write_csv(
        tmp_path / "跟进记录.csv",
        "客户名称,跟进日期,跟进方式,沟通要点\n新客户公司,2024-05-01,拜访,初次拜访\n",
    )
    report = import_files(store, [f])
    assert rows(store, Customer, "id")[0]["name"] == "新客户公司"
    assert rows(store, FollowUp, "id")[0]["channel"] == "visit"
    assert any("created it" in n.message for n in report.notes)


def test_follow_up_times_are_local_wall_clock(store, tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    import pendulum

    monkeypatch.setattr(pendulum, "local_timezone", lambda: pendulum.timezone("Asia/Shanghai"))
    monkeypatch.setattr(pendulum.tz, "local_timezone", lambda: pendulum.timezone("Asia/Shanghai"))
    f = write_csv(tmp_path / "followups.csv", "Customer,Date,Summary\nAcme,2024-05-01 09:30,call\n")
    import_files(store, [f])
    (fu,) = rows(store, FollowUp, "id")
    assert fu["at"].replace(tzinfo=None) == datetime(2024, 5, 1, 1, 30)  # 09:30 in Shanghai is 01:30 UTC


def test_vcard_contacts_become_contacts_of_their_organisation(store, tmp_path):
    f = tmp_path / "people.vcf"
    f.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Wile E. Coyote\r\nN:Coyote;Wile;;;\r\nORG:Acme Corp;R&D\r\n"
        "TEL;TYPE=CELL:+1 555 0100\r\nEMAIL:wile@acme.test\r\nBDAY:1949-09-17\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Road Runner\r\nTEL:+1 555 0199\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    import_files(store, [f])
    customers = {c["name"]: c for c in rows(store, Customer, "id")}
    assert set(customers) == {"Acme Corp", "Road Runner"}
    assert customers["Road Runner"]["kind"] == "B2C"
    people = {x["name"]: x for x in rows(store, Contact, "id")}
    assert (
        people["Wile E. Coyote"]["mobile"] == "+1 555 0100"
        and people["Wile E. Coyote"]["department"] == "R&D"
    )
    assert people["Wile E. Coyote"]["birthday"] == date(1949, 9, 17)


def test_vcard_21_bare_type_parameters_and_quoted_printable(store, tmp_path):
    f = tmp_path / "phone.vcf"
    f.write_bytes(
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Müller;Hans\r\nFN:Hans Müller\r\nTEL;HOME:+49 30 1234567\r\n"
        "TEL;CELL;VOICE:+49 171 7654321\r\nNOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Zeile=0D=0Azwei\r\n"
        "EMAIL;INTERNET:hans@example.de\r\nORG:Beispiel GmbH\r\nEND:VCARD\r\n".encode()
    )
    import_files(store, [f])
    (x,) = rows(store, Contact, "id")
    assert (x["name"], x["phone"], x["mobile"], x["notes"]) == (
        "Hans Müller",
        "+49 30 1234567",
        "+49 171 7654321",
        "Zeile\nzwei",
    )


def test_cli_import_json_and_exit_codes(db_path, tmp_path):
    import json
    import os
    import subprocess
    import sys

    def run(*args):
        env = dict(os.environ, TUICRM_NOW="2026-11-22T09:00")
        return subprocess.run(
            [sys.executable, "-m", "tuicrm", "--db", str(db_path), *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    good = write_csv(tmp_path / "c.csv", "Name,First contact\nAcme,2024-01-01\nBad,2024-13-45\n")
    r = run("import", str(good), "--json")
    assert r.returncode == 1, r.stderr  # a row was rejected, the other imported
    data = json.loads(r.stdout)
    assert data["totals"]["created"] == 1 and data["rejected"][0]["row"] == 3
    r = run("import", str(good))
    assert "2024-13-45" in r.stdout and "c.csv, row 3" in r.stdout
    empty = write_csv(tmp_path / "empty.csv", "")
    r = run("import", str(empty))
    assert r.returncode == 2 and "empty" in r.stderr and "Traceback" not in r.stderr
    r = run("import", str(tmp_path / "missing.csv"))
    assert r.returncode == 2 and "does not exist" in r.stderr


def test_an_import_reads_whole_rows_only_of_the_existing_customers_it_touches(store, tmp_path, monkeypatch):
    import tuicrm.io.importing as importer

    with store.write("seed") as s:
        ids = [create_customer(s, f"Existing Co {i}", phone=f"1380000{i:04d}").id for i in range(50)]
    read: list[int] = []
    real_load = importer.Planner._load_customers

    def load(self, wanted):
        read.extend(wanted)
        return real_load(self, wanted)

    monkeypatch.setattr(importer.Planner, "_load_customers", load)
    f = write_csv(
        tmp_path / "touch.csv",
        "Name,Phone,Industry\nExisting Co 7 Ltd,13800000007,Retail\nBrand New Co,13900000001,Retail\n",
    )
    report = import_files(store, [f])
    assert read == [ids[7]]
    assert report.created["customer"] == 1 and report.sheets[0].merged == 1
    industry = {r["name"]: r["industry"] for r in rows(store, Customer, "id")}
    assert industry["Existing Co 7"] == "Retail" and industry["Existing Co 6"] is None
