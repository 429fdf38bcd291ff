"""Issue #16: every stored customer field is settable from ``add customer`` and ``edit``, on the
fast path and through Typer alike; ``edit`` writes only what it is given."""

from __future__ import annotations

import json

import pytest

FULL = {
    "--registered-address": ("registered_address", "上海市浦东新区张江路1号"),
    "--address": ("address", "苏州工业园区星湖街2号"),
    "--region": ("region", "华东"),
    "--company-revenue": ("company_revenue", "50000000.00"),
    "--product-preference": ("product_preference", "数控机床"),
    "--payment-method": ("payment_method", "月结30天"),
    "--renewal-risk": ("renewal_risk", "high"),
    "--renewal-on": ("renewal_on", "2027-06-30"),
    "--size": ("size", "100-1000"),
    "--needs": ("needs", "自动化产线改造"),
    "--budget-min": ("budget_min", "200000.00"),
    "--budget-max": ("budget_max", "500000.00"),
    "--purchase-by": ("purchase_by", "2027-03-31"),
    "--first-contact": ("first_contact_on", "2026-11-01"),
    "--alias": ("alias", "精密"),
    "--industry": ("industry", "制造业"),
    "--tier": ("tier", "B"),
    "--status": ("status", "dormant"),
    "--email": ("email", "buy@jingmi.example"),
    "--source": ("source", "展会"),
    "--kind": ("kind", "B2B"),
    "--tags": ("tags", "key,export"),
    "--notes": ("notes", "只在上午打电话"),
    "--next": ("next_follow_up_on", "2026-11-25"),
}


def card(cli, db, ref="C000001"):
    r = cli(db, "show", ref, "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.mark.parametrize("fast", [True, False], ids=["fast-path", "typer"])
def test_add_with_every_option_stores_every_field(cli, db_path, fast):
    args = [a for option, (_field, value) in FULL.items() for a in (option, value)]
    if not fast:
        args.append("--notes=-")  # stdin: only Typer reads it
        args = [a for a in args if a != "只在上午打电话"]
        args.remove("--notes")
    r = cli(db_path, "add", "customer", "精密机械有限公司", *args, input="只在上午打电话\n")
    assert r.returncode == 0, r.stderr
    c = card(cli, db_path)["customer"]
    assert {field: c[field] for field, _value in FULL.values()} == dict(FULL.values())


def test_the_renewal_risk_takes_the_templates_words(cli, db_path):
    cli(db_path, "add", "customer", "Acme", "--renewal-risk", "中")
    assert card(cli, db_path)["customer"]["renewal_risk"] == "medium"
    r = cli(db_path, "edit", "Acme", "--renewal-risk", "extreme")
    assert r.returncode == 2 and "low, medium, high" in r.stderr


def test_edit_one_field_leaves_the_others(cli, db_path):
    args = [a for option, (_field, value) in FULL.items() for a in (option, value)]
    cli(db_path, "add", "customer", "精密机械有限公司", *args)
    before = card(cli, db_path)["customer"]
    for option, value, field, stored in [
        ("--region", "华南", "region", "华南"),
        ("--company-revenue", "1,200,000", "company_revenue", "1200000.00"),
        ("--renewal-on", "2028-01-15", "renewal_on", "2028-01-15"),
        ("--registered-address", "北京市海淀区3号", "registered_address", "北京市海淀区3号"),
        ("--first-contact", "2026-10-30", "first_contact_on", "2026-10-30"),
        ("--kind", "b2c", "kind", "B2C"),
    ]:
        r = cli(db_path, "edit", "C000001", option, value)
        assert r.returncode == 0, r.stderr
        after = card(cli, db_path)["customer"]
        changed = {k for k in after if after[k] != before[k]} - {"version", "updated_at", "search_text"}
        assert changed == {field} and after[field] == stored, option
        before = after
    r = cli(db_path, "edit", "C000001", "--renewal-on", "")
    assert r.returncode == 0 and card(cli, db_path)["customer"]["renewal_on"] is None


def test_edit_refuses_what_does_not_fit(cli, db_path):
    cli(db_path, "add", "customer", "Acme", "--budget-min", "100", "--budget-max", "200")
    for args, says in [
        (["--budget-min", "300"], "budget from is more than the budget to"),
        (["--region", "x" * 201], "--region is 201 characters; at most 200 fit."),
        (["--payment-method", "p" * 201], "--payment-method is 201 characters"),
        (["--company-revenue", "lots"], "company revenue 'lots' is not a number"),
        (["--renewal-on", "someday"], ""),
    ]:
        r = cli(db_path, "edit", "Acme", *args)
        assert r.returncode == 2 and says in r.stderr, (args, r.stderr)
    c = card(cli, db_path)["customer"]
    assert (c["budget_min"], c["region"], c["company_revenue"]) == ("100.00", None, None)


def test_show_prints_the_new_fields_and_the_status_history(cli, db_path, monkeypatch):
    cli(db_path, "add", "customer", "Acme", "--region", "华东", "--registered-address", "Reg 1")
    cli(db_path, "edit", "Acme", "--status", "intent", now="2026-11-22T09:00+08:00")
    cli(db_path, "edit", "Acme", "--status", "dormant", now="2026-11-24T23:30+00:00")
    data = card(cli, db_path)
    history = [(h["from_status"], h["to_status"]) for h in data["status_history"]]
    assert history == [("intent", "dormant"), ("potential", "intent")]  # newest first
    assert all(h["by_user"] for h in data["status_history"])
    import pendulum

    from tuicrm import clock

    monkeypatch.setattr(clock, "_local_timezone", lambda: pendulum.timezone("Asia/Shanghai"))
    r = cli(db_path, "show", "Acme")
    text = r.stdout
    assert "registered address  Reg 1" in text and "region" in text
    history_text = text.split("Status history")[1]
    # local time: 23:30 UTC is the next morning in Shanghai; 09:00+08:00 is 09:00 there
    assert "2026-11-25 07:30  intent → dormant" in history_text
    assert "2026-11-22 09:00  potential → intent" in history_text
