"""Other systems' header families, JSON-list cells and yes/no columns (#15)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tuicrm.io.headers import match_headers
from tuicrm.io.importing import import_files
from tuicrm.models import Contact, Customer, Opportunity


def rows(store, model) -> list[dict]:
    with store.read() as s:
        t = model.__table__
        return [dict(r) for r in s.connection().execute(sa.select(t).order_by(t.c.id)).mappings()]


@pytest.mark.parametrize(
    "headers, kind, expected",
    [
        (["Display Name", "Primary Email", "Mobile Number"], "contacts", {"email", "mobile"}),
        (["Deal Name", "Account Name", "Closing Date"], "opportunities", {"expected_close_on"}),
        (
            ["title", "lead_value", "expected_close_date", "organization"],
            "opportunities",
            {"name", "amount", "expected_close_on", "customer_name"},
        ),
        (
            ["name", "partner_id", "expected_revenue", "date_deadline"],
            "opportunities",
            {"customer_name", "amount", "expected_close_on"},
        ),
        (
            ["Person - Name", "Organization - Name", "Deal - Title", "Deal - Value"],
            "opportunities",
            {"contact_name", "customer_name", "amount"},
        ),
    ],
)
def test_header_families(headers, kind, expected):
    m = match_headers(headers)
    assert m.kind == kind and expected <= m.fields


def test_json_list_cells_are_unpacked(store, tmp_path):
    f = tmp_path / "persons.csv"
    f.write_text(
        "name,emails,contact_numbers,organization\n"
        '"Ann Lee","[{""value"": ""ann@x.io"", ""label"": ""work""}, {""value"": ""ann@home.io"", ""label"": ""home""}]",'
        '"[{""value"": ""+1 555 0100"", ""label"": ""work""}]",Xco\n',
        encoding="utf-8",
    )
    import_files(store, [f])
    (ann,) = rows(store, Contact)
    assert ann["email"] == "ann@x.io" and ann["phone"] == "+1 555 0100"
    (xco,) = rows(store, Customer)
    assert xco["name"] == "Xco"
    assert "emails: ann@home.io (home)" in (ann["notes"] or "") + (xco["notes"] or "")


def test_a_yes_no_column_is_never_a_name(store, tmp_path):
    f = tmp_path / "c.csv"
    f.write_text("Customer,Company,Phone\nTRUE,Acme,123456789\nFALSE,Beta,987654321\nTRUE,Gamma,5550100\n")
    import_files(store, [f])
    customers = {c["name"]: c for c in rows(store, Customer)}
    assert set(customers) == {"Acme", "Beta", "Gamma"}
    assert "Customer: TRUE" in customers["Acme"]["notes"]


def test_zoho_deals_keep_their_closing_date(store, tmp_path):
    f = tmp_path / "Deals.csv"
    f.write_text("Deal Name,Account Name,Amount,Stage,Closing Date\nBig,Acme,1000,Qualification,2026-12-01\n")
    import_files(store, [f])
    (deal,) = rows(store, Opportunity)
    assert str(deal["expected_close_on"]) == "2026-12-01"
