"""The real third-party files in ../shared/data/real import (skipped when that folder is absent).

Each file (or set of files of one export) goes into an empty database; the counts say nothing
was lost, the second import says nothing doubles.
"""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from tuicrm.io.importing import NO_ACCOUNT, import_files
from tuicrm.models import Contact, Customer, FollowUp, Opportunity, StageChange

REPO_ROOT = Path(__file__).resolve().parents[2]
REAL = REPO_ROOT.parent / "shared" / "data" / "real"

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason=f"real data folder {REAL} is absent")


def count(store, model, where=None) -> int:
    with store.read() as s:
        q = sa.select(sa.func.count()).select_from(model.__table__)
        if where is not None:
            q = q.where(where)
        return s.connection().execute(q).scalar()


def all_rows(store, model) -> list[dict]:
    with store.read() as s:
        t = model.__table__
        return [dict(r) for r in s.connection().execute(sa.select(t).order_by(t.c.id)).mappings()]


def import_twice(store, paths):
    first = import_files(store, paths)
    second = import_files(store, paths)
    assert not second.changed, second.summary()
    assert second.totals()["created"] == 0 and second.totals()["merged"] == 0
    return first


MAVEN = REAL / "maven-crm-sales-opportunities"


def test_maven_accounts_and_pipeline(store):
    accounts = import_twice(store, [MAVEN / "accounts.csv"])
    assert accounts.totals() == {"rows": 85, "created": 85, "merged": 0, "skipped": 0, "rejected": 0}
    assert count(store, Customer) == 85
    acme = next(c for c in all_rows(store, Customer) if c["name"] == "Acme Corporation")
    assert acme["industry"] == "technolgy" and acme["address"] == "United States"
    assert "year_established: 1996" in acme["notes"]

    pipeline = import_twice(store, [MAVEN / "sales_pipeline.csv"])
    source = list(csv.DictReader((MAVEN / "sales_pipeline.csv").open(encoding="utf-8")))
    assert len(source) == 8800
    t = pipeline.totals()
    assert t == {"rows": 8800, "created": 8800, "merged": 0, "skipped": 0, "rejected": 0}
    assert count(store, Opportunity) == 8800
    opps = all_rows(store, Opportunity)
    stages = Counter(o["stage"] for o in opps)
    assert stages == {
        "won": 4238,
        "lost": 2473,
        "need": 1589,
        "lead": 500,
    }  # Engaging = need, Prospecting = lead
    total = sum(Decimal(r["close_value"] or 0) for r in source)
    assert sum(o["amount"] for o in opps) == total
    # Rows without an account are reported and kept, under a placeholder customer.
    no_account = [r for r in source if not r["account"]]
    assert len(no_account) == 1425
    warned = {w.row for w in pipeline.warnings if NO_ACCOUNT in w.message}
    assert len(warned) == 1425
    placeholder = next(c for c in all_rows(store, Customer) if c["name"] == NO_ACCOUNT)
    assert sum(1 for o in opps if o["customer_id"] == placeholder["id"]) == 1425
    assert count(store, Customer) == 86
    # Dates: close_date of won/lost deals, engage_date in the stage history.
    one = next(o for o in opps if o["name"] == "1C1I7A6R")
    assert (one["stage"], one["closed_on"], one["amount"]) == ("won", date(2017, 3, 1), Decimal("1054.00"))
    history = [
        (s["from_stage"], s["to_stage"], s["at"].date())
        for s in all_rows(store, StageChange)
        if s["opportunity_id"] == one["id"]
    ]
    assert history == [(None, "lead", date(2016, 10, 20)), ("lead", "won", date(2017, 3, 1))]
    # Won deals fill the accounts' revenue and status.
    acme = next(c for c in all_rows(store, Customer) if c["name"] == "Acme Corporation")
    assert acme["status"] == "won" and acme["revenue_total"] > 0


def test_maven_pipeline_and_accounts_in_one_command(store):
    report = import_twice(store, [MAVEN / "sales_pipeline.csv", MAVEN / "accounts.csv"])
    assert report.totals()["created"] == 8885 and count(store, Customer) == 86
    assert not report.rejected


def test_datablist_10000_customers(store):
    path = REAL / "datablist-samples" / "customers-10000.csv"
    report = import_twice(store, [path])
    assert report.totals() == {"rows": 10000, "created": 10000, "merged": 0, "skipped": 0, "rejected": 0}
    assert count(store, Customer) == 10000 and count(store, Contact) == 10000
    first = all_rows(store, Customer)[0]
    assert first["name"] == "Mosley-David" and first["phone"] == "043-797-5229"
    assert first["email"] == "urangel@espinoza-francis.net" and first["first_contact_on"] == date(2020, 8, 26)
    assert first["address"] == "Lake Jeffborough, Norway"
    assert (
        "Customer Id: EB54EF1154C3A78" in first["notes"]
        and "Website: http://www.escobar.org/" in first["notes"]
    )
    person = all_rows(store, Contact)[0]
    assert person["name"] == "Heather Callahan" and person["phone"] == "915.112.1727"
    assert report.sheets[0].ignored == ["Index"]


SF = REAL / "salesforce-data-export-sfdc-assets"


def test_salesforce_export_account_contact_opportunity(store):
    report = import_twice(store, [SF / "Account.csv", SF / "Contact.csv", SF / "Opportunity.csv"])
    kinds = {s.sheet: s.kind for s in report.sheets}
    assert kinds == {
        "Account.csv": "customers",
        "Contact.csv": "contacts",
        "Opportunity.csv": "opportunities",
    }
    assert {s.encoding for s in report.sheets} == {"utf-8-sig"}
    assert not report.rejected
    accounts = [c for c in all_rows(store, Customer) if c["kind"] != "B2C"]
    assert len(accounts) == 22
    walker = next(c for c in accounts if c["name"] == "Walker Henson and Compton")
    # The JSON BillingAddress cell and the Billing* parts give one address, no duplicate note.
    assert walker["address"] == "757 William Pass Apt. 782, Katherinemouth, ID, 74929, United States"
    assert "BillingAddress" not in (walker["notes"] or "")
    # Contacts: 18 point at an account by AccountId; 84 have none and become B2C customers of their own.
    contacts = all_rows(store, Contact)
    assert len(contacts) == 102
    by_id = {c["id"]: c for c in all_rows(store, Customer)}
    assert sum(1 for x in contacts if by_id[x["customer_id"]]["kind"] != "B2C") == 18
    assert count(store, Customer, Customer.__table__.c.kind == "B2C") == 84
    leslie = next(x for x in contacts if x["name"] == "Leslie Ryan")  # shares a household phone with Patricia
    assert (
        any(x["name"] == "Patricia Ryan" for x in contacts) and leslie["email"] == "leslie.ryan@example.com"
    )
    # Opportunities: all 50 linked to their account through AccountId; stages mapped.
    opps = all_rows(store, Opportunity)
    assert len(opps) == 50 and all(by_id[o["customer_id"]]["kind"] != "B2C" for o in opps)
    assert Counter(o["stage"] for o in opps) == {
        "won": 12,
        "need": 18,
        "negotiation": 9,
        "proposal": 8,
        "lost": 3,
    }
    first = next(o for o in opps if o["name"].startswith("Patterson-Hansen - Merchant Services"))
    assert first["amount"] == Decimal("1124741.15") and first["probability"] == 10
    assert by_id[first["customer_id"]]["name"] == "Patterson-Hansen"


def test_salesforce_leads_join_their_account_by_its_id(store):
    report = import_twice(store, [SF / "Account.csv", SF / "Lead.csv"])
    assert not report.rejected and count(store, Customer) == 22  # no customer named after an id
    lead_account = next(c for c in all_rows(store, Customer) if c["name"] == "Lead Account")
    people = [x for x in all_rows(store, Contact) if x["customer_id"] == lead_account["id"]]
    assert len(people) == 60 and people[0]["name"] == "William Lee"
    assert (
        people[0]["email"] == "william.lee@example.com"
        and "Company: 001Ec00000GINb1IAH" in people[0]["notes"]
    )


def test_salesforce_tasks_as_follow_ups(store):
    report = import_files(store, [SF / "Account.csv", SF / "Contact.csv", SF / "Task.csv"])
    assert report.sheets[-1].kind == "followups" and not report.rejected
    assert count(store, FollowUp) == 75


CN = REAL / "cn-templates"


def test_chinese_lead_template(store):
    report = import_twice(store, [CN / "客户导入模板.xlsx"])
    assert report.totals() == {"rows": 3, "created": 3, "merged": 0, "skipped": 0, "rejected": 0}
    customers = {c["name"]: c for c in all_rows(store, Customer)}
    assert set(customers) == {"XX小区物业管理处", "YY建材市场", "ZZ工厂"}
    yy = customers["YY建材市场"]
    assert yy["phone"] == "13900139002" and yy["email"] == "li@yy.com" and yy["industry"] == "商业"
    assert (
        yy["needs"] == "市场门口需要安装大型遮阳棚"
        and "预算10万左右" in yy["notes"]
        and yy["region"] == "上海闵行"
    )
    li = next(x for x in all_rows(store, Contact) if x["name"] == "李总")
    assert li["im"] == "li_wechat" and li["customer_id"] == yy["id"]


def test_chinese_pos_template_with_helper_sheets(store):
    report = import_twice(store, [CN / "客户模版.xlsx"])
    sheets = {s.sheet.split("[")[1].rstrip("]"): s for s in report.sheets}
    assert sheets["录入客户"].created == 2
    assert sheets["Sheet1"].rejected == 2  # placeholder rows holding only dates: reported, not imported
    assert all("no customer name" in r.message for r in report.rejected)
    assert sheets["字典"].not_imported and sheets["说明"].not_imported
    customers = {c["name"]: c for c in all_rows(store, Customer)}
    assert set(customers) == {"测试云龙区", "测试开发区"}
    assert customers["测试云龙区"]["phone"] == "12345678900"
    assert customers["测试云龙区"]["address"] == "江苏省徐州市鼓楼区, 详细地址"


CONTACTS = REAL / "contacts-csv"


def test_google_contacts_csv(store):
    report = import_twice(store, [CONTACTS / "google_contacts.csv"])
    assert report.sheets[0].kind == "contacts" and report.totals()["created"] == 5
    people = {x["name"]: x for x in all_rows(store, Contact)}
    assert set(people) == {"Ando", "Anna", "Anne", "axel", "Bus Winsen"}
    assert people["axel"]["email"] == "abc@here.de" and people["Ando"]["phone"] == "+49227913452"


def test_outlook_cp1252_csv(store):
    report = import_twice(store, [CONTACTS / "importtest_outlook2013.csv"])
    assert report.sheets[0].encoding == "cp1252" and not report.rejected  # "0.0.00" is Outlook for "no date"
    (company,) = all_rows(store, Customer)
    assert company["name"] == "unittest"
    people = {x["name"]: x for x in all_rows(store, Contact)}
    assert set(people) == {"Christian Baumann", "Cornelius Weiß"}
    assert people["Cornelius Weiß"]["mobile"] == "0176 164321545"
    assert "Straße geschäftlich: Pickhuben 2" in people["Christian Baumann"]["notes"]


def test_the_three_vcard_files(store):
    files = [REAL / "vcard" / n for n in ("contacts.vcf", "mac_os_x_addressbook.vcf", "vcard40_full.vcf")]
    report = import_twice(store, files)
    assert report.totals()["created"] == 4 and not report.rejected
    people = {x["name"]: x for x in all_rows(store, Contact)}
    assert set(people) == {"alex spass", "jan gerber", "Vorname Nachname", "Dr. John Q. Public, III"}
    john = people["Dr. John Q. Public, III"]
    assert john["title"] == "CEO" and john["email"] == "johnny@personal.example.org"
    assert john["phone"] == "+1-555-555-5555" and john["mobile"] == "+1-555-123-4567"
    assert john["birthday"] == date(1985, 4, 15) and "He likes vCards." in john["notes"]
    companies = {c["name"] for c in all_rows(store, Customer)}
    assert {"ORGANI,SATION", "Example Corp.", "alex spass", "jan gerber"} == companies
