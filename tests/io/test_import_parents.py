"""A person whose Related Company / Parent / 所属公司 names a company of the file or of the database
becomes that company's contact (issue #15); a plain Company column keeps today's mapping."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from tuicrm.io.importing import import_files
from tuicrm.models import Contact, Customer
from tuicrm.store.customers import create_customer


def _csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _rows(store, model) -> list[dict]:
    with store.read() as s:
        t = model.__table__
        return [dict(r) for r in s.connection().execute(sa.select(t).order_by(t.c.id)).mappings()]


def test_a_person_naming_a_company_row_of_the_file_becomes_its_contact(store, tmp_path):
    f = _csv(
        tmp_path / "partners.csv",
        "Name,Parent,Industry,Website,Title,Email,Phone\n"
        "Jane Doe,Acme Ltd,,,CTO,jane@acme.io,13800000001\n"
        "Acme Ltd,,Retail,acme.io,,info@acme.io,010-1234567\n"
        "Bob Roe,Globex,,,Buyer,bob@globex.io,13800000002\n",
    )
    report = import_files(store, [f])
    customers = _rows(store, Customer)
    assert [c["name"] for c in customers] == ["Acme Ltd", "Bob Roe"]
    assert customers[0]["phone"] == "010-1234567"
    assert "Parent: Globex" in customers[1]["notes"]  # Globex is nowhere: Bob stays a customer
    [jane] = [x for x in _rows(store, Contact) if x["name"] == "Jane Doe"]
    assert (jane["customer_id"], jane["title"], jane["email"], jane["phone"]) == (
        customers[0]["id"],
        "CTO",
        "jane@acme.io",
        "13800000001",
    )
    assert any(i.message == "1 row became a contact of their company" for i in report.notes)
    assert not import_files(store, [f]).changed


def test_a_parent_that_is_an_existing_customer_takes_the_person(store, tmp_path):
    with store.write("seed") as s:
        create_customer(s, name="华为技术有限公司")
    f = _csv(tmp_path / "people.csv", "姓名,所属公司,行业,手机\n张伟,华为技术有限公司,通信,13900000009\n")
    report = import_files(store, [f])
    assert [c["name"] for c in _rows(store, Customer)] == ["华为技术有限公司"]
    [x] = _rows(store, Contact)
    assert x["name"] == "张伟" and x["phone"] == "13900000009" and "行业: 通信" in x["notes"]
    assert report.created["contact"] == 1 and "customer" not in report.created


def test_a_plain_company_column_keeps_its_mapping(store, tmp_path):
    f = _csv(tmp_path / "c.csv", "Company,Industry,Phone\nAcme Ltd,Retail,010-1\nGlobex,Energy,010-2\n")
    import_files(store, [f])
    assert [c["name"] for c in _rows(store, Customer)] == ["Acme Ltd", "Globex"]
    assert _rows(store, Contact) == []


def test_a_company_row_on_a_contact_list_is_the_company_not_a_person(store, tmp_path):
    f = _csv(
        tmp_path / "contacts.csv",
        "Name,Related Company,Title,Email,Phone\n"
        "Jane Doe,Acme Ltd,CTO,jane@acme.io,13800000001\n"
        "Acme Ltd,,,info@acme.io,010-1234567\n",
    )
    import_files(store, [f])
    [acme] = _rows(store, Customer)
    assert acme["name"] == "Acme Ltd" and acme["email"] == "info@acme.io" and acme["kind"] != "B2C"
    assert [x["name"] for x in _rows(store, Contact)] == ["Jane Doe"]
