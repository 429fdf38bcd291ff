"""Issue #16: ``tuicrm contact add|edit|list|archive`` with every contact field; ``add contact``
is the same command; each change is one undo."""

from __future__ import annotations

import json

EVERY = {
    "--title": ("title", "采购经理"),
    "--department": ("department", "采购部"),
    "--role": ("role", "decision-maker"),
    "--phone": ("phone", "021-5555 0101"),
    "--mobile": ("mobile", "13800001111"),
    "--email": ("email", "wang@jingmi.example"),
    "--im": ("im", "wxid_wang"),
    "--birthday": ("birthday", "1980-03-14"),
    "--relationship": ("relationship", "familiar"),
    "--prefers": ("prefers", "im"),
    "--interests": ("interests", "钓鱼, 围棋"),
    "--gender": ("gender", "男"),
    "--education": ("education", "同济大学 机械工程"),
    "--work-history": ("work_history", "十年汽车零部件采购"),
    "--notes": ("notes", "爱喝龙井"),
}


def contacts(cli, db, ref="C000001"):
    r = cli(db, "contact", "list", ref, "--json", "--reveal")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["contacts"]


def setup(cli, db):
    assert cli(db, "add", "customer", "精密机械有限公司").returncode == 0
    assert cli(db, "add", "customer", "Acme Foods").returncode == 0


def test_contact_add_with_every_option_then_list(cli, db_path):
    setup(cli, db_path)
    args = [a for option, (_f, value) in EVERY.items() for a in (option, value)]
    r = cli(db_path, "contact", "add", "精密", "王建国", *args, "--primary", "--decision-maker", "--json")
    assert r.returncode == 0, r.stderr
    added = json.loads(r.stdout)
    assert added["customer"] == "C000001" and added["name"] == "王建国"
    (row,) = contacts(cli, db_path)
    assert row["id"] == added["id"]
    assert {f: row[f] for f, _v in EVERY.values()} == dict(EVERY.values())
    assert row["is_primary"] and row["is_key_decision_maker"]
    masked = json.loads(cli(db_path, "contact", "list", "C000001", "--json").stdout)["contacts"][0]
    assert masked["mobile"] == "138****1111"
    text = cli(db_path, "contact", "list", "精密").stdout
    assert "* 王建国" in text and "采购经理" in text and "wxid_wang" in text
    shown = cli(db_path, "show", "C000001").stdout
    assert "采购部" in shown and "wxid_wang" in shown  # department and IM on the card's contact line
    card = json.loads(cli(db_path, "show", "C000001", "--json").stdout)
    assert card["contacts"][0]["education"] == "同济大学 机械工程"


def test_add_contact_is_an_alias_with_the_same_options(cli, db_path):
    setup(cli, db_path)
    r = cli(db_path, "add", "contact", "Acme", "Wile", "--gender", "m", "--email", "wile@acme.test")
    assert r.returncode == 0, r.stderr
    (row,) = contacts(cli, db_path, "Acme")
    assert (row["gender"], row["email"], row["is_primary"]) == ("m", "wile@acme.test", True)


def test_contact_edit_changes_only_what_is_given_and_undo_reverses_it(cli, db_path):
    setup(cli, db_path)
    cli(db_path, "contact", "add", "精密", "王建国", "--title", "经理", "--mobile", "13800001111")
    cli(db_path, "contact", "add", "精密", "李娜", "--title", "工程师")
    before = {c["name"]: c for c in contacts(cli, db_path)}
    r = cli(db_path, "contact", "edit", "王建国", "--education", "MBA", "--birthday", "1981-02-03")
    assert r.returncode == 0, r.stderr
    after = {c["name"]: c for c in contacts(cli, db_path)}
    assert after["李娜"] == before["李娜"]
    changed = {k for k in after["王建国"] if after["王建国"][k] != before["王建国"][k]}
    assert changed - {"updated_at"} == {"education", "birthday", "version"}
    # by id, moving the primary flag; then clearing a field with ""
    li = after["李娜"]["id"]
    assert cli(db_path, "contact", "edit", str(li), "--primary").returncode == 0
    assert [c["name"] for c in contacts(cli, db_path) if c["is_primary"]] == ["李娜"]
    assert cli(db_path, "contact", "edit", "王建国", "--education", "").returncode == 0
    assert {c["name"]: c for c in contacts(cli, db_path)}["王建国"]["education"] is None
    assert cli(db_path, "undo", "--yes").returncode == 0
    assert {c["name"]: c for c in contacts(cli, db_path)}["王建国"]["education"] == "MBA"


def test_contact_references_say_one_sentence(cli, db_path):
    setup(cli, db_path)
    cli(db_path, "contact", "add", "精密", "王建国")
    cli(db_path, "contact", "add", "精密", "王建军")
    cli(db_path, "contact", "add", "Acme", "王建国")
    r = cli(db_path, "contact", "edit", "王建", "--title", "x")
    assert r.returncode == 2 and "matches 3 contacts" in r.stderr and "C000002 Acme Foods" in r.stderr
    r = cli(db_path, "contact", "edit", "王建国", "--customer", "Acme", "--title", "CTO")
    assert r.returncode == 0, r.stderr
    assert contacts(cli, db_path, "Acme")[0]["title"] == "CTO"
    assert all(c["title"] is None for c in contacts(cli, db_path))
    r = cli(db_path, "contact", "edit", "nobody", "--title", "x")
    assert r.returncode == 1 and "No contact matches 'nobody'" in r.stderr
    r = cli(db_path, "contact", "edit", "王建国", "--customer", "Acme")
    assert r.returncode == 2 and "say what to change" in r.stderr
    r = cli(db_path, "contact", "edit", "王建军", "--im", "w" * 201)
    assert r.returncode == 2 and "--im is 201 characters" in r.stderr
    r = cli(db_path, "contact", "add", "Acme", "Zed", "--relationship", "bff")
    assert r.returncode == 2 and "not a relationship" in r.stderr
    r = cli(db_path, "contact", "list", "nobody")
    assert r.returncode == 1


def test_contact_archive_and_undo(cli, db_path):
    setup(cli, db_path)
    cli(db_path, "contact", "add", "Acme", "Wile", "--email", "wile@acme.test")
    cli(db_path, "contact", "add", "Acme", "Road Runner")
    r = cli(db_path, "contact", "archive", "Wile")
    assert r.returncode == 0 and "undo" in r.stdout
    assert [c["name"] for c in contacts(cli, db_path, "Acme")] == ["Road Runner"]
    assert json.loads(cli(db_path, "find", "wile@acme", "--json").stdout) == []
    assert cli(db_path, "contact", "edit", "Wile", "--title", "x").returncode == 1  # archived
    assert cli(db_path, "undo", "--yes").returncode == 0
    assert sorted(c["name"] for c in contacts(cli, db_path, "Acme")) == ["Road Runner", "Wile"]
    assert [r["code"] for r in json.loads(cli(db_path, "find", "wile@acme", "--json").stdout)] == ["C000002"]
