"""Activities and leads in every export format (issue #17), phones masked as for customers;
the streaming writers keep their shape (issue #20): valid JSON, a workbook both readers load."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pytest

from tuicrm.io.export import ExportError, export_file
from tuicrm.store.activities import add_activity
from tuicrm.store.customers import create_contact, create_customer
from tuicrm.store.leads import create_lead


@pytest.fixture
def planned(store):
    cfg = store.config
    with store.write("seed") as s:
        a = create_customer(s, "精密机械有限公司", phone="13812345678")
        x = create_contact(s, a, "王经理", mobile="13900001111")
        add_activity(
            s,
            a,
            "方案演示",
            kind="demo",
            planned_start=datetime(2026, 11, 23, 10, 0),
            contact_id=x.id,
            place="客户会议室",
            goal="=确认需求",
        )
        create_lead(
            s,
            cfg,
            "智慧教育科技",
            source="展会",
            source_detail="2024春季教育展",
            contact_name="李校长",
            contact_title="校长",
            phone="13712345678",
            budget_text="15-20万",
            needs="智慧教室",
        )
    return store


def read_csv(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_activities_and_leads_as_csv(planned, tmp_path, lang):
    acts = tmp_path / "a.csv"
    report = export_file(planned, acts, kind="activities", lang=lang)
    (row,) = read_csv(acts)
    assert report.counts == {"activities": 1}
    code, name, start, goal = (
        ("活动编号", "活动名称", "计划开始时间", "活动目标")
        if lang == "zh"
        else ("Activity code", "Activity name", "Planned start", "Activity goal")
    )
    assert row[code] == "A000001" and row[name] == "方案演示"
    assert row[start] == "2026-11-23 10:00:00"  # local wall-clock time, as entered
    assert row[goal] == "'=确认需求"  # formula-looking text guarded
    leads = tmp_path / "l.csv"
    export_file(planned, leads, kind="leads", lang=lang)
    (lead,) = read_csv(leads)
    phone = "电话" if lang == "zh" else "Phone"
    assert lead[phone] == "137****5678"
    assert lead["线索ID" if lang == "zh" else "Lead ID"] == "L000001"
    export_file(planned, leads, kind="leads", unmasked=True, force=True)
    assert read_csv(leads)[0]["Phone"] == "13712345678"


def test_the_chinese_sheets_are_the_templates_tables(planned, tmp_path):
    """The plan sheets carry the templates' own headers (003 销售活动计划表, 004 线索管理表)."""
    from openpyxl import load_workbook

    path = tmp_path / "book.xlsx"
    report = export_file(planned, path, lang="zh")
    assert report.counts["activities"] == 1 and report.counts["leads"] == 1
    wb = load_workbook(path)
    assert wb.sheetnames[-2:] == ["销售活动计划表", "线索管理表"]
    plan = [c.value for c in wb["销售活动计划表"][1]]
    assert {"活动编号", "活动名称", "活动类型", "客户编号", "计划开始时间", "活动状态", "负责人"} <= set(plan)
    sheet = [c.value for c in wb["线索管理表"][1]]
    assert {"线索ID", "来源", "客户名称", "联系人", "职位", "电话", "预算范围", "需求描述", "状态"} <= set(
        sheet
    )
    leads = wb["线索管理表"]
    header = [c.value for c in leads[1]]
    assert leads.cell(row=2, column=header.index("电话") + 1).value == "137****5678"
    assert leads.cell(row=2, column=header.index("预算范围") + 1).value == "15-20万"


def test_json_carries_activities_and_leads_masked(planned, tmp_path):
    path = tmp_path / "all.json"
    report = export_file(planned, path)
    data = json.loads(path.read_text())  # written incrementally, still one JSON document
    assert report.counts["activities"] == 1 and report.counts["leads"] == 1
    (activity,) = data["activities"]
    assert activity["code"] == "A000001" and activity["planned_start"].endswith("+00:00")
    (lead,) = data["leads"]
    assert lead["phone"] == "137****5678" and lead["budget_min"] == "150000.00"
    assert "13712345678" not in path.read_text()
    export_file(planned, path, unmasked=True, force=True)
    assert json.loads(path.read_text())["leads"][0]["phone"] == "13712345678"


def test_without_plans_a_workbook_has_no_empty_plan_sheets(store, tmp_path):
    from openpyxl import load_workbook

    with store.write("seed") as s:
        create_customer(s, "Acme")
    export_file(store, tmp_path / "b.xlsx")
    assert "Activity plan" not in load_workbook(tmp_path / "b.xlsx").sheetnames
    export_file(store, tmp_path / "a.xlsx", kind="activities")
    assert load_workbook(tmp_path / "a.xlsx").sheetnames == ["Activity plan"]


def test_the_workbook_reads_the_same_with_calamine(planned, tmp_path):
    """The streaming writer's file: calamine (the importer's reader) sees what openpyxl sees."""
    from openpyxl import load_workbook
    from python_calamine import CalamineWorkbook

    path = tmp_path / "b.xlsx"
    export_file(planned, path, unmasked=True)
    by_openpyxl = load_workbook(path, read_only=True)
    by_calamine = CalamineWorkbook.from_path(str(path))
    assert by_calamine.sheet_names == by_openpyxl.sheetnames
    for title in by_openpyxl.sheetnames:
        ours = [list(r) for r in by_openpyxl[title].iter_rows(values_only=True)]
        width = len(ours[0])
        ours = [[v if v is not None else "" for v in r] + [""] * (width - len(r)) for r in ours]
        theirs = by_calamine.get_sheet_by_name(title).to_python(skip_empty_area=False)
        assert ours == [list(r)[:width] + [""] * (width - len(r)) for r in theirs], title


def test_a_failed_export_leaves_no_file(planned, tmp_path, monkeypatch):
    """Rows stream into a temporary file: an error half way leaves neither it nor the target."""
    from tuicrm.io.export import rows

    def broken(self, kind, *, unmasked):
        yield from ()
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(rows.Source, "records", broken)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ExportError):
        export_file(planned, out / "c.csv")
    assert list(out.iterdir()) == []


def test_progress_hears_the_total_and_every_row(planned, tmp_path):
    heard: list[tuple[str, int]] = []

    class Ear:
        def start(self, total):
            heard.append(("start", total))

        def advance(self, rows):
            heard.append(("advance", rows))

    export_file(planned, tmp_path / "all.json", progress=Ear())
    total = heard[0][1]
    assert heard[0][0] == "start" and total == sum(n for what, n in heard[1:])
