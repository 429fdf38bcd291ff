"""``tuicrm lead …`` and the morning queue in ``tuicrm due`` (issue #17)."""

from __future__ import annotations

import json
import sqlite3

NOW = "2026-11-26T09:00"
NEXT_MORNING = "2026-11-27T09:00"


def _add(cli, db, *args, now=NOW):
    r = cli(db, "lead", "add", *args, "--json", now=now)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_lx001_is_medium_with_material_due_within_48_hours(cli, db_path):
    lead = _add(
        cli,
        db_path,
        "某教育科技公司",
        "--contact",
        "张三",
        "--title",
        "采购经理",
        "--budget",
        "15-20万",
        "--needs",
        "智慧教室方案",
        "--source",
        "展会",
        "--source-detail",
        "2024春季教育展",
    )
    assert (lead["code"], lead["score"], lead["score_class"]) == ("L000001", 7, "medium")
    assert lead["reasons"][0].startswith("budget 150 000")
    r = cli(db_path, "lead", "list", "--json", now=NOW)
    (row,) = json.loads(r.stdout)
    assert row["respond_by"] is not None
    # 48 hours after it came in: due by then, overdue after
    assert row["respond_by"] == lead["respond_by"]
    r = cli(db_path, "due", "--json", now="2026-11-28T08:00")
    assert [i["kind"] for i in json.loads(r.stdout)["items"]] == ["lead"]
    item = json.loads(cli(db_path, "due", "--json", now="2026-11-28T10:00").stdout)["items"][0]
    assert item["overdue_by"] == "PT1H" and item["title"] == "send material"


def test_lx002_and_the_high_lead_and_a_seller_title(cli, db_path):
    assert (
        _add(cli, db_path, "某中学", "--title", "校长", "--budget", "8-10万", "--needs", "录播")["score"] == 5
    )
    high = _add(
        cli,
        db_path,
        "高价值",
        "--title",
        "部门经理",
        "--budget",
        "15万",
        "--needs",
        "云",
        "--purchase-by",
        "+20d",
    )
    assert (high["score"], high["score_class"]) == (10, "high")
    assert high["respond_by"] == "2026-11-27T09:00:00+00:00" or high["respond_by"].startswith("2026-11-2")
    seller = _add(cli, db_path, "卖家", "--title", "客户经理")
    assert "not a decision-maker" in seller["reasons"][1]


def test_a_high_lead_not_contacted_tops_due_the_next_morning(cli, db_path):
    cli(db_path, "add", "customer", "Acme", "--next", "yesterday", "--tier", "A", now=NOW)
    _add(
        cli,
        db_path,
        "高价值",
        "--title",
        "部门经理",
        "--budget",
        "15万",
        "--needs",
        "云",
        "--purchase-by",
        "+20d",
    )
    items = json.loads(cli(db_path, "due", "--json", now=NEXT_MORNING).stdout)["items"]
    assert [(i["kind"], i["customer"]) for i in items] == [("lead", "高价值"), ("follow-up", "Acme")]
    first = items[0]
    assert {"kind", "at", "customer", "title", "overdue_by", "why", "id", "code"} <= set(first)
    assert first["code"] == "L000001" and first["title"] == "first call"
    assert items[1]["on"] == "2026-11-25" and items[1]["overdue_by"] == "P2D"
    assert cli(db_path, "due", "--count", now=NEXT_MORNING).stdout.strip() == "2"
    only = json.loads(cli(db_path, "due", "--kind", "lead", "--json", now=NEXT_MORNING).stdout)["items"]
    assert [i["kind"] for i in only] == ["lead"]
    text = cli(db_path, "due", now=NEXT_MORNING).stdout
    assert text.index("高价值") < text.index("Acme")
    # touched: the deadline is answered, the lead leaves the queue
    assert cli(db_path, "lead", "touch", "L000001", now=NEXT_MORNING).returncode == 0
    items = json.loads(cli(db_path, "due", "--json", now=NEXT_MORNING).stdout)["items"]
    assert [i["kind"] for i in items] == ["follow-up"]


def test_convert_carries_every_field_and_undo_reverses_it(cli, db_path):
    _add(
        cli,
        db_path,
        "某教育科技公司",
        "--contact",
        "张三",
        "--title",
        "采购经理",
        "--budget",
        "15-20万",
        "--needs",
        "智慧教室方案",
        "--source",
        "展会",
        "--source-detail",
        "2024春季教育展",
        "--industry",
        "教育",
        "--phone",
        "13800001111",
        "--email",
        "zs@example.com",
        "--purchase-by",
        "2026-12-20",
    )
    r = cli(db_path, "lead", "convert", "L000001", "--stage", "need", "--json", now=NOW)
    assert r.returncode == 0, r.stderr
    done = json.loads(r.stdout)
    assert done["attached"] is False and done["opportunity"]["stage"] == "need"
    card = json.loads(cli(db_path, "show", done["customer"]["code"], "--json", "--reveal", now=NOW).stdout)
    c = card["customer"]
    assert (c["name"], c["industry"], c["source"], c["phone"], c["email"]) == (
        "某教育科技公司",
        "教育",
        "展会-2024春季教育展",
        "13800001111",
        "zs@example.com",
    )
    assert (c["needs"], c["purchase_by"]) == ("智慧教室方案", "2026-12-20")
    assert float(c["budget_min"]) == 150000 and float(c["budget_max"]) == 200000
    (contact,) = card["contacts"]
    assert (contact["name"], contact["title"]) == ("张三", "采购经理")
    (opp,) = card["opportunities"]
    assert opp["stage"] == "need" and opp["expected_close_on"] == "2026-12-20"
    (lead,) = json.loads(cli(db_path, "lead", "list", "--status", "all", "--json", now=NOW).stdout)
    assert lead["status"] == "converted"
    assert (lead["customer_id"], lead["contact_id"], lead["opportunity_id"]) == (
        done["customer"]["id"],
        done["contact"]["id"],
        done["opportunity"]["id"],
    )
    assert cli(db_path, "undo", "--yes", now=NOW).returncode == 0
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM customer").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM opportunity").fetchone()[0] == 0
    assert conn.execute("SELECT status, customer_id FROM lead").fetchone() == ("new", None)


def test_converting_a_known_company_attaches_or_asks(cli, db_path):
    cli(db_path, "add", "customer", "老客户", "--phone", "13800002222", now=NOW)
    _add(cli, db_path, "老客户分公司", "--phone", "138-0000-2222", "--contact", "钱七")
    r = cli(db_path, "lead", "convert", "L000001", now=NOW)
    assert r.returncode == 2 and "C000001" in r.stderr + r.stdout and "--attach" in r.stderr + r.stdout
    done = json.loads(
        cli(db_path, "lead", "convert", "L000001", "--attach", "C000001", "--json", now=NOW).stdout
    )
    assert done["attached"] is True and done["customer"]["code"] == "C000001"
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM customer").fetchone()[0] == 1


def test_new_forces_a_new_customer_and_drop_needs_a_reason(cli, db_path):
    cli(db_path, "add", "customer", "同名", now=NOW)
    _add(cli, db_path, "同名")
    done = json.loads(cli(db_path, "lead", "convert", "L000001", "--new", "--json", now=NOW).stdout)
    assert done["customer"]["code"] == "C000002"
    _add(cli, db_path, "无效线索")
    assert cli(db_path, "lead", "drop", "L000002", "--reason", " ", now=NOW).returncode != 0
    dropped = json.loads(
        cli(db_path, "lead", "drop", "L000002", "--reason", "空号", "--json", now=NOW).stdout
    )
    assert (dropped["status"], dropped["drop_reason"]) == ("disqualified", "空号")
    assert cli(db_path, "lead", "list", "--json", now=NOW).stdout.strip() == "[]"


def test_score_changes_the_answers_and_shows_the_reasons(cli, db_path):
    _add(cli, db_path, "X", "--title", "工程师")
    r = cli(
        db_path, "lead", "score", "L000001", "--decision-maker", "--need-clear", "--purchase-soon", now=NOW
    )
    assert r.returncode == 0, r.stderr
    assert "BANT 8, high" in r.stdout and "decision-maker (the rep says so): +3" in r.stdout


def test_phones_are_masked_unless_the_rep_asks_with_reveal(cli, db_path):
    _add(cli, db_path, "某教育科技公司", "--contact", "张三", "--phone", "13812345678")
    listed = json.loads(cli(db_path, "lead", "list", "--json", now=NOW).stdout)
    assert listed[0]["phone"] != "13812345678" and "****" in listed[0]["phone"]
    text = cli(db_path, "lead", "list", now=NOW).stdout
    assert "1381234" not in text and "张三" not in text
    revealed = json.loads(cli(db_path, "lead", "list", "--json", "--reveal", now=NOW).stdout)
    assert revealed[0]["phone"] == "13812345678"
    text = cli(db_path, "lead", "list", "--reveal", now=NOW).stdout
    assert "张三 13812345678" in text and "contact" in text.splitlines()[0]
