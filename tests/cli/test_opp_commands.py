"""``tuicrm opp list|show|edit|archive``, the fields of ``opp add``, ``opp move
--default-probability``, ambiguous deal names, and the customer figures the deals keep (#16)."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def crm(cli, db_path):
    assert cli(db_path, "add", "customer", "Acme").returncode == 0
    assert cli(db_path, "add", "customer", "Globex").returncode == 0
    assert cli(db_path, "add", "contact", "Acme", "Zhang Wei").returncode == 0
    r = cli(
        db_path,
        "opp",
        "add",
        "Acme",
        "Supply 2027",
        "--amount",
        "1000",
        "--probability",
        "35",
        "--competitors",
        "Initech",
        "--risks",
        "budget cut",
        "--product",
        "servers",
        "--next-step",
        "call the CFO",
        "--next-step-due",
        "2026-11-25",
        "--decision-maker",
        "Zhang",
        "--close",
        "2026-12-31",
    )
    assert r.returncode == 0, r.stderr
    r = cli(db_path, "opp", "add", "Globex", "Supply 2027 B", "--amount", "500", "--stage", "proposal")
    assert r.returncode == 0, r.stderr
    return db_path


def show(cli, db, ref):
    r = cli(db, "opp", "show", ref, "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def customer(cli, db, ref):
    r = cli(db, "show", ref, "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["customer"]


def test_add_keeps_every_field_and_show_prints_them(cli, crm):
    data = show(cli, crm, "1")
    assert data["competitors"] == "Initech" and data["risks"] == "budget cut"
    assert data["product"] == "servers" and data["next_step"] == "call the CFO"
    assert data["next_step_due_on"] == "2026-11-25" and data["expected_close_on"] == "2026-12-31"
    assert data["probability"] == 35 and data["probability_set"] is True
    assert data["decision_maker"]["name"] == "Zhang Wei"
    assert data["customer"]["name"] == "Acme" and data["overdue"] is False
    r = cli(crm, "opp", "show", "1")
    assert "risks: budget cut" in r.stdout and "Acme" in r.stdout


def test_list_filters_by_stage_and_customer(cli, crm):
    rows = json.loads(cli(crm, "opp", "list", "--json").stdout)
    assert [r["name"] for r in rows] == ["Supply 2027", "Supply 2027 B"]
    assert set(rows[0]) == {
        "id",
        "name",
        "customer",
        "stage",
        "amount",
        "currency",
        "probability",
        "expected_close_on",
        "next_step",
        "overdue",
    }
    rows = json.loads(cli(crm, "opp", "list", "--stage", "proposal", "--json").stdout)
    assert [r["name"] for r in rows] == ["Supply 2027 B"]
    rows = json.loads(cli(crm, "opp", "list", "--customer", "Acme", "--json").stdout)
    assert [r["customer"]["code"] for r in rows] == ["C000001"]
    text = cli(crm, "opp", "list").stdout
    assert "Supply 2027" in text and "Globex" in text
    assert cli(crm, "opp", "list", "--stage", "nowhere").returncode == 2


def test_an_ambiguous_name_lists_deals_with_their_customers(cli, crm):
    for args in (
        ("opp", "show", "Supply"),
        ("opp", "move", "Supply", "need"),
        ("opp", "edit", "Supply", "--plan", "x"),
    ):
        r = cli(crm, *args)
        assert r.returncode == 2, args
        lines = r.stderr.strip().splitlines()
        assert "matches 2 opportunities" in lines[0]
        assert "#1" in lines[1] and "Acme" in lines[1] and "C000001" in lines[1]
        assert "#2" in lines[2] and "Globex" in lines[2]


def test_edit_writes_only_the_given_fields(cli, crm):
    before = show(cli, crm, "1")
    r = cli(crm, "opp", "edit", "1", "--amount", "2500", "--close", "2026-11-20", "--weaknesses", "price")
    assert r.returncode == 0, r.stderr
    after = show(cli, crm, "1")
    assert after["amount"] == "2500.00" and after["expected_close_on"] == "2026-11-20"
    assert after["weaknesses"] == "price" and after["overdue"] is True
    for key in ("competitors", "risks", "product", "probability", "next_step", "decision_maker"):
        assert after[key] == before[key], key
    r = cli(
        crm, "opp", "edit", "1", "--risks", "", "--next-step-done", "2026-11-22", "--success-factors", "demo"
    )
    assert r.returncode == 0, r.stderr
    after = show(cli, crm, "1")
    assert after["risks"] is None and after["next_step_done_on"] == "2026-11-22"
    assert after["key_success_factors"] == "demo"
    assert cli(crm, "opp", "edit", "1").returncode == 2  # nothing to change
    assert cli(crm, "opp", "edit", "1", "--decision-maker", "nobody").returncode == 1


def test_archive_restore_and_undo(cli, crm):
    assert cli(crm, "opp", "archive", "Supply 2027 B").returncode == 0
    names = [r["name"] for r in json.loads(cli(crm, "opp", "list", "--json").stdout)]
    assert names == ["Supply 2027"]
    assert cli(crm, "undo", "--yes").returncode == 0
    names = [r["name"] for r in json.loads(cli(crm, "opp", "list", "--json").stdout)]
    assert names == ["Supply 2027", "Supply 2027 B"]
    assert cli(crm, "opp", "archive", "2").returncode == 0
    assert cli(crm, "opp", "archive", "2").returncode == 2  # already archived
    assert cli(crm, "opp", "archive", "2027 B", "--restore").returncode == 0
    assert len(json.loads(cli(crm, "opp", "list", "--json").stdout)) == 2


def test_a_probability_the_rep_set_survives_open_moves(cli, crm):
    assert cli(crm, "opp", "move", "1", "need").returncode == 0
    assert show(cli, crm, "1")["probability"] == 35
    assert cli(crm, "opp", "move", "1", "proposal", "--default-probability").returncode == 0
    data = show(cli, crm, "1")
    assert data["probability"] == 50 and data["probability_set"] is False
    assert cli(crm, "opp", "move", "1", "negotiation").returncode == 0
    assert show(cli, crm, "1")["probability"] == 75
    assert cli(crm, "opp", "edit", "1", "--probability", "40").returncode == 0
    assert cli(crm, "opp", "move", "1", "won").returncode == 0
    assert show(cli, crm, "1")["probability"] == 100
    assert cli(crm, "opp", "move", "1", "lost", "--reason", "price").returncode == 0
    assert show(cli, crm, "1")["probability"] == 0


def test_won_twice_counts_once_and_lost_takes_it_out(cli, crm):
    assert cli(crm, "opp", "move", "2", "won").returncode == 0
    assert customer(cli, crm, "Globex")["revenue_total"] == "500.00"
    assert cli(crm, "opp", "move", "2", "negotiation").returncode == 0
    c = customer(cli, crm, "Globex")
    assert c["revenue_total"] is None and c["status"] == "intent"
    assert cli(crm, "opp", "move", "2", "won").returncode == 0
    c = customer(cli, crm, "Globex")
    assert c["revenue_total"] == "500.00" and c["status"] == "won" and c["last_deal_on"] == "2026-11-22"
    assert cli(crm, "opp", "move", "2", "lost", "--reason", "price").returncode == 0
    c = customer(cli, crm, "Globex")
    assert c["revenue_total"] is None and c["status"] != "won"


def test_a_deal_added_as_won_counts_in_the_value_report(cli, crm):
    r = cli(crm, "opp", "add", "Acme", "Pilot", "--amount", "700", "--stage", "won")
    assert r.returncode == 0, r.stderr
    c = customer(cli, crm, "Acme")
    assert c["revenue_total"] == "700.00" and c["status"] == "won"
    value = json.loads(cli(crm, "report", "value", "--json").stdout)
    revenue = {row["name"]: row["revenue"] for row in value["customers"]}
    assert revenue["Acme"] == "700.00"
    assert cli(crm, "opp", "edit", "Pilot", "--amount", "900").returncode == 0
    assert customer(cli, crm, "Acme")["revenue_total"] == "900.00"
    assert cli(crm, "opp", "archive", "Pilot").returncode == 0
    assert customer(cli, crm, "Acme")["revenue_total"] is None
    assert cli(crm, "undo", "--yes").returncode == 0
    assert customer(cli, crm, "Acme")["revenue_total"] == "900.00"
