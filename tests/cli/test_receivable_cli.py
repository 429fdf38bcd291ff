"""``tuicrm pay add``, ``receivable add|list`` and the won-deal hint (issue #18)."""

from __future__ import annotations

import json

import pytest

NOW = "2026-11-22T09:00"


def ok(cli, db, *args):
    r = cli(db, *args, now=NOW)
    assert r.returncode == 0, r.stderr
    return r


@pytest.fixture
def crm(cli, db_path):
    ok(cli, db_path, "add", "customer", "客户A")
    ok(cli, db_path, "add", "customer", "客户B")
    ok(cli, db_path, "receivable", "add", "客户A", "1000", "--due", "2026-11-01")
    ok(cli, db_path, "receivable", "add", "客户B", "1500", "--due", "2026-12-31")
    return db_path


def listing(cli, db, *args):
    return json.loads(ok(cli, db, "receivable", "list", "--json", *args).stdout)


def test_template_example_through_the_cli(cli, crm):
    r = ok(cli, crm, "pay", "add", "客户A", "800", "--method", "转账")
    assert "R000001" in r.stdout and "200.00 outstanding" in r.stdout
    ok(cli, crm, "pay", "add", "客户B", "1500", "--receivable", "R000002", "--on", "2026-11-20")
    rows = {x["customer"]["name"]: x for x in listing(cli, crm)}
    a, b = rows["客户A"], rows["客户B"]
    assert (a["amount"], a["received"], a["outstanding"], a["days_overdue"]) == (
        "1000.00",
        "800.00",
        "200.00",
        21,
    )
    assert (b["received"], b["outstanding"], b["paid_off_on"], b["days_overdue"]) == (
        "1500.00",
        "0.00",
        "2026-11-20",
        0,
    )
    assert a["due"] == a["due_on"] == "2026-11-01"
    assert [x["code"] for x in listing(cli, crm, "--overdue")] == ["R000001"]
    assert [x["code"] for x in listing(cli, crm, "--customer", "客户B")] == ["R000002"]


def test_excess_is_reported_as_credit(cli, crm):
    r = ok(cli, crm, "pay", "add", "客户A", "1.2k")
    assert "200.00 more than was owed" in r.stdout and "P000002" in r.stdout
    data = json.loads(ok(cli, crm, "pay", "add", "客户A", "50", "--json").stdout)
    assert data["receivable"] is None and data["credit"] == "50.00"


def test_text_list_marks_overdue(cli, crm):
    out = ok(cli, crm, "receivable", "list").stdout
    assert "! 21d" in out and "outstanding in total: 2,500.00" in out


@pytest.mark.parametrize(
    "args",
    [
        ("pay", "add", "客户A", "0"),
        ("pay", "add", "客户A", "abc"),
        ("pay", "add", "客户A", "10", "--method", "barter"),
        ("receivable", "add", "客户A", "-5"),
    ],
)
def test_bad_input_is_one_sentence_exit_2(cli, crm, args):
    r = cli(crm, *args, now=NOW)
    assert r.returncode == 2 and r.stderr.strip() and "Traceback" not in r.stderr


def test_unknown_receivable_exits_1(cli, crm):
    assert cli(crm, "pay", "add", "客户A", "10", "--receivable", "R000099", now=NOW).returncode == 1


def test_won_deal_hint_and_due_from_terms(cli, db_path):
    ok(cli, db_path, "add", "customer", "Acme")
    ok(cli, db_path, "opp", "add", "Acme", "Big deal", "--amount", "50000")
    r = ok(cli, db_path, "opp", "move", "Big deal", "won")
    assert "tuicrm receivable add C000001 50000.00 --opp 1" in r.stdout
    added = json.loads(
        ok(cli, db_path, "receivable", "add", "C000001", "50000.00", "--opp", "1", "--json").stdout
    )
    assert added["due_on"] == "2026-12-22" and added["opportunity"]["id"] == 1  # 30 days: the default terms


def test_show_card_has_ledger_line(cli, crm):
    ok(cli, crm, "pay", "add", "客户A", "800")
    out = ok(cli, crm, "show", "客户A").stdout
    assert "received 800.00" in out and "outstanding 200.00" in out and "较差" not in out
    assert "collection fair" in out  # 21 days overdue: fair
    card = json.loads(ok(cli, crm, "show", "客户A", "--json").stdout)
    assert card["receivables"]["outstanding"] == "200.00" and card["receivables"]["rating"] == "fair"


def test_report_receivables(cli, crm):
    ok(cli, crm, "pay", "add", "客户A", "800")
    data = json.loads(ok(cli, crm, "report", "receivables", "--json").stdout)
    assert data["outstanding"] == "1700.00" and data["ageing"]["1-30"] == "200.00"
    assert data["ageing"]["not-due"] == "1500.00"
    assert [c["customer"]["name"] for c in data["customers"]] == ["客户B", "客户A"]
    text = ok(cli, crm, "report", "receivables").stdout
    assert "! C000001" in text and "21 days overdue" in text


def test_due_lists_overdue_receivables(cli, crm):
    items = json.loads(ok(cli, crm, "due", "--json").stdout)
    mine = [i for i in (items["items"] if isinstance(items, dict) else items) if i["kind"] == "receivable"]
    assert [(i["code"], i["overdue_by"]) for i in mine] == [("R000001", "P21D")]
