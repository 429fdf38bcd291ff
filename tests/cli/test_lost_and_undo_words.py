"""Issue #21 on the command line: a lost reason's category and details stored apart on every
path, the Lost report counting by category, and undo said in the rep's words (never a table)."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def crm(cli, db_path):
    def run(*args, **kw):
        r = cli(db_path, *args, **kw)
        assert r.returncode == 0, (args, r.stdout, r.stderr)
        return r

    return run


def undo_says(crm, **kw) -> str:
    return crm("undo", "--yes", **kw).stdout


def test_lost_reason_and_details_on_every_path(crm, tmp_path):
    crm("add", "customer", "Acme", "--next", "2026-12-10")
    crm("opp", "add", "Acme", "ERP 实施", "--amount", "100000", "--stage", "negotiation")
    crm("opp", "add", "Acme", "Cloud", "--amount", "5000", "--stage", "proposal")
    crm("opp", "move", "ERP", "lost", "--reason", "price: chose Huawei")  # the lean path
    erp = json.loads(crm("opp", "show", "ERP", "--json").stdout)
    assert (erp["lost_reason"], erp["lost_detail"]) == ("price", "chose Huawei")
    assert "lost reason: price — chose Huawei" in crm("opp", "show", "ERP").stdout
    # undo in words, and the reason goes with the move
    assert "move 'ERP 实施' back from lost to negotiation" in undo_says(crm)
    erp = json.loads(crm("opp", "show", "ERP", "--json").stdout)
    assert (erp["stage"], erp["lost_reason"], erp["lost_detail"]) == ("negotiation", None, None)
    crm("opp", "move", "ERP", "lost", "--reason", "价格", "--detail", "chose Huawei")
    crm("opp", "move", "Cloud", "lost", "--reason", "Price", "--note", "by phone")
    report = json.loads(crm("report", "lost", "--json").stdout)
    assert [(r["reason"], r["count"], r["details"]) for r in report["reasons"]] == [
        ("price", 2, ["chose Huawei"])
    ]
    # export writes both columns; an import splits a combined reason and maps 流失详情
    out = tmp_path / "opps.csv"
    crm("export", str(out), "--kind", "opportunities")
    header = out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert "Lost reason,Lost details" in header
    sheet = tmp_path / "lost.csv"
    sheet.write_text(
        "客户名称,机会名称,销售阶段,流失原因,流失详情\nAcme,Old deal,流失,价格：选了华为,\n"
        "Acme,Other deal,流失,timing,预算推到明年\n",
        encoding="utf-8",
    )
    crm("import", str(sheet))
    old = json.loads(crm("opp", "show", "Old deal", "--json").stdout)
    other = json.loads(crm("opp", "show", "Other deal", "--json").stdout)
    assert (old["lost_reason"], old["lost_detail"]) == ("price", "选了华为")
    assert (other["lost_reason"], other["lost_detail"]) == ("timing", "预算推到明年")


def test_undo_speaks_in_the_reps_words(crm):
    crm("add", "customer", "Acme", "--next", "2026-12-10", "--tier", "B")
    crm("add", "customer", "Globex", "--next", "2026-12-11", "--force")
    crm("add", "customer", "Initech", "--next", "2026-12-12")
    said = undo_says(crm)
    assert "remove the customer Initech" in said
    crm("log", "Acme", "sent quote")
    said = undo_says(crm)
    assert "delete the follow-up 'sent quote' of Acme" in said
    assert "restore Acme's next follow-up to 2026-12-10" in said
    crm("snooze", "Acme", "2026-12-20")
    assert "restore Acme's next follow-up to 2026-12-10" in undo_says(crm)
    crm("assess", "Acme", "--potential", "9", "--willingness", "9")
    said = undo_says(crm)
    assert "delete the tier assessment of Acme" in said and "set Acme's tier back to B" in said
    crm("edit", "Acme", "--phone", "13800000000")
    assert "restore Acme's phone" in undo_says(crm)
    crm("edit", "Acme", "Globex", "--status", "dormant")  # several rows of one kind: counted
    assert "restore the status of 2 customers" in undo_says(crm)
    crm("snooze", "Acme", "2026-12-20")
    from tuicrm import i18n

    i18n.set_language("zh_CN")
    try:
        said = undo_says(crm)
    finally:
        i18n.reset()
    assert "把 Acme 的下次跟进日期还原为 2026-12-10" in said


def test_the_lost_fields_are_edited_on_a_lost_deal_only(tmp_path, monkeypatch):
    from tuicrm.config import DEFAULT
    from tuicrm.models import Opportunity
    from tuicrm.store import Store
    from tuicrm.store.customers import create_customer
    from tuicrm.store.errors import StoreError
    from tuicrm.store.pipeline import add_opportunity, move_opportunity, update_opportunity

    monkeypatch.setenv("TUICRM_NOW", "2026-11-22T09:00")
    store = Store.open(str(tmp_path / "crm.db"))
    try:
        with store.write("fixture") as s:
            acme = create_customer(s, "Acme")
            opp = add_opportunity(s, DEFAULT, acme, "ERP", 100, stage="proposal")
            opp_id = opp.id
        with pytest.raises(StoreError, match="Only a lost opportunity"), store.write("edit") as s:
            update_opportunity(s, s.get(Opportunity, opp_id), lost_reason="price")
        with store.write("lose") as s:
            move_opportunity(
                s, DEFAULT, s.get(Opportunity, opp_id), "lost", reason="Competitor", detail="Globex"
            )
        with store.write("edit") as s:
            update_opportunity(s, s.get(Opportunity, opp_id), lost_detail="Globex, cheaper")
        with pytest.raises(StoreError, match="needs a reason"), store.write("edit") as s:
            update_opportunity(s, s.get(Opportunity, opp_id), lost_reason="  ")
        with store.read() as s:
            opp = s.get(Opportunity, opp_id)
            assert (opp.lost_reason, opp.lost_detail) == ("competitor", "Globex, cheaper")
    finally:
        store.dispose()
