"""The identity rule (docs/import.md "Identity", issue #15): codes, source ids, phones and e-mails
tell same-named records apart; a merge never discards a differing value; masked phones and our
own exports come back without loss."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from tuicrm.io.export import export_file
from tuicrm.io.importing import import_files
from tuicrm.models import Contact, Customer
from tuicrm.store.customers import create_contact, create_customer


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def rows(store, model) -> list[dict]:
    with store.read() as s:
        table = model.__table__
        return [dict(r) for r in s.connection().execute(sa.select(table).order_by(table.c.id)).mappings()]


def test_two_branches_of_one_name_with_different_phones_are_two_customers(store, tmp_path):
    f = write_csv(
        tmp_path / "shops.csv",
        "客户名称,电话,地址\n老王烧烤,13800000001,东城店\n老王烧烤,13900000002,西城店\n",
    )
    report = import_files(store, [f])
    customers = rows(store, Customer)
    assert [(c["name"], c["phone"]) for c in customers] == [
        ("老王烧烤", "13800000001"),
        ("老王烧烤", "13900000002"),
    ]
    assert any("possible duplicate of C000001" in w.message and w.row == 3 for w in report.warnings)
    again = import_files(store, [f])
    assert not again.changed


def test_same_name_without_a_conflicting_identifier_is_the_same_customer(store, tmp_path):
    f = write_csv(tmp_path / "c.csv", "Name,Phone,Industry\nAcme,13800000001,\nACME,,Retail\n")
    import_files(store, [f])
    [c] = rows(store, Customer)
    assert c["phone"] == "13800000001" and c["industry"] == "Retail"


def test_two_contacts_called_mama_with_different_numbers_are_two_contacts(store, tmp_path):
    f = write_csv(
        tmp_path / "contacts.csv",
        "客户名称,姓名,手机\n张家,妈妈,13800000001\n张家,妈妈,13900000002\n张家,妈妈,13800000001\n",
    )
    import_files(store, [f])
    contacts = rows(store, Contact)
    assert sorted(x["mobile"] or x["phone"] for x in contacts) == ["13800000001", "13900000002"]
    assert {x["name"] for x in contacts} == {"妈妈"}


def test_the_same_store_code_is_the_same_customer_whatever_the_spelling(store, tmp_path):
    f = write_csv(
        tmp_path / "stores.csv",
        "门店编号,门店名称,电话\nS001,星巴克 国贸店,\nS002,星巴克 国贸店,\nS001,星巴克国贸店(旗舰),010-65050001\n",
    )
    report = import_files(store, [f])
    customers = rows(store, Customer)
    assert len(customers) == 2, [c["name"] for c in customers]
    first = customers[0]
    assert first["phone"] == "010-65050001" and "S001" in first["notes"]
    assert "S002" in customers[1]["notes"]
    assert any("possible duplicate" in i.message for i in report.issues)
    # Again, into the database that now has them: matched by the stored code, nothing changes.
    again = import_files(store, [f])
    assert not again.changed, again.to_dict()


def test_a_merge_keeps_the_files_differing_values_in_notes(store, tmp_path):
    with store.write("seed") as s:
        create_customer(s, "Acme", email="a@acme.test", address="1 Old Road")
    f = write_csv(tmp_path / "c.csv", "Name,Email,Address\nAcme,a@acme.test,2 New Street\n")
    report = import_files(store, [f])
    [c] = rows(store, Customer)
    assert c["address"] == "1 Old Road" and "Address: 2 New Street" in c["notes"]
    assert any("Address added to its notes" in w.message for w in report.warnings)
    assert not import_files(store, [f]).changed


def test_a_masked_export_reimported_replaces_no_phone_and_keeps_codes(store, tmp_path):
    with store.write("seed") as s:
        a = create_customer(s, "Alpha", phone="15500008818")
        create_contact(s, a, "Ann", mobile="13911112222")
        create_customer(s, "Beta")  # no phone: a masked one must not fill it
    path = tmp_path / "masked.csv"
    export_file(store, path, kind="customers")
    text = path.read_text(encoding="utf-8-sig")
    assert "155****8818" in text
    # Into an empty database: codes stay, no masked phone stored, the report warns once.
    from tuicrm.store import Store

    fresh = Store.open(str(tmp_path / "fresh.db"))
    try:
        report = import_files(fresh, [path])
        got = rows(fresh, Customer)
        assert [(c["code"], c["name"], c["phone"]) for c in got] == [
            ("C000001", "Alpha", None),
            ("C000002", "Beta", None),
        ]
        masked = [w for w in report.warnings if "masked" in w.message]
        assert len(masked) == 1 and masked[0].row is None
    finally:
        fresh.dispose()
    # Over the original: nothing replaced, nothing added.
    before = rows(store, Customer)
    again = import_files(store, [path])
    assert rows(store, Customer) == before and not again.changed


def test_our_export_into_a_database_with_other_customers_keeps_the_free_codes(store, tmp_path):
    with store.write("seed") as s:
        for name in ("Alpha", "Beta", "Gamma"):
            create_customer(s, name)
    path = tmp_path / "all.csv"
    export_file(store, path, kind="customers")
    from tuicrm.store import Store

    other = Store.open(str(tmp_path / "other.db"))
    try:
        with other.write("seed") as s:
            create_customer(s, "Zeta")  # takes C000001
        report = import_files(other, [path])
        codes = {c["name"]: c["code"] for c in rows(other, Customer)}
        # Alpha's code was taken: it gets one the file does not use; Beta and Gamma keep theirs.
        assert codes == {"Zeta": "C000001", "Alpha": "C000004", "Beta": "C000002", "Gamma": "C000003"}
        assert any("code C000001 belongs to 'Zeta'" in w.message for w in report.warnings)
        assert not import_files(other, [path]).changed
    finally:
        other.dispose()
