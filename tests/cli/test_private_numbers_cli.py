"""ID-card and bank-card numbers are never stored, whichever way they come in (issue #15):
typed in ``add``/``edit``/``log``/``opp add``, or imported in their own column or inside text."""

from __future__ import annotations

import json
import sqlite3

ID_CARD = "11010519491231002X"
CARD = "4111 1111 1111 1111"
BANK = "6222021234567890128"


def stored_text(db) -> str:
    """Every text value of the database (rows and the undo log), as one string."""
    conn = sqlite3.connect(db)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def assert_never_stored(db) -> None:
    text = stored_text(db)
    for number in (ID_CARD, CARD, CARD.replace(" ", ""), BANK):
        assert number not in text


def test_typed_numbers_are_masked_in_every_write(cli, db_path):
    steps = [
        ("add", "customer", "Acme", "--notes", f"身份证 {ID_CARD}"),
        ("edit", "Acme", "--needs", f"卡号 {CARD}"),
        ("log", "Acme", f"收到银行卡 {BANK}"),
        ("add", "contact", "Acme", f"王 {CARD}"),
        ("opp", "add", "Acme", f"deal {BANK}", "--amount", "5"),
    ]
    for args in steps:
        r = cli(db_path, *args)
        assert r.returncode == 0, r.stderr
    shown = json.loads(cli(db_path, "show", "Acme", "--json").stdout)
    assert shown["customer"]["notes"] == "身份证 1101**********002X"
    assert shown["customer"]["needs"] == "卡号 4111********1111"
    assert_never_stored(db_path)


def test_a_phone_number_is_not_masked(cli, db_path):
    r = cli(db_path, "add", "customer", "Acme", "--phone", "13812345678", "--notes", "tel 13812345678")
    assert r.returncode == 0, r.stderr
    shown = json.loads(cli(db_path, "show", "Acme", "--json", "--reveal").stdout)
    assert shown["customer"]["notes"] == "tel 13812345678"


def test_import_skips_columns_named_for_them_and_masks_them_in_text(cli, db_path, tmp_path):
    f = tmp_path / "客户.csv"
    f.write_text(
        "客户名称,电话,身份证号,银行账号,备注\n"
        f"甲公司,13812345678,{ID_CARD},{BANK},法人卡 {CARD}\n"
        f"乙公司,13912345678,{ID_CARD},,\n",
        encoding="utf-8",
    )
    r = cli(db_path, "import", str(f))
    assert r.returncode == 0, r.stderr
    assert "身份证号" in r.stdout and "银行账号" in r.stdout and "never kept" in r.stdout
    shown = json.loads(cli(db_path, "show", "甲公司", "--json").stdout)
    assert shown["customer"]["notes"] == "法人卡 4111********1111"
    assert_never_stored(db_path)


def test_import_report_lists_the_columns_in_json(cli, db_path, tmp_path):
    f = tmp_path / "c.csv"
    f.write_text(f"Name,ID card,Bank account\nAcme,{ID_CARD},{BANK}\n", encoding="utf-8")
    r = cli(db_path, "import", str(f), "--json")
    assert r.returncode == 0, r.stderr
    sheet = json.loads(r.stdout)["sheets"][0]
    assert sheet["not_stored"] == ["ID card", "Bank account"]
    assert_never_stored(db_path)
