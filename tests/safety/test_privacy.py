"""Privacy (issue #6): a phone number never appears unmasked in find/due/show output (human and
``--json``), and no phone, email or note text reaches an error message, a traceback or a log line.
Every test greps the full stdout and stderr for every secret.
"""

from __future__ import annotations

import logging
import sqlite3
import traceback

import pytest
import sqlalchemy as sa

PHONE = "+86 138-1234-5678"
CONTACT_PHONE = "139 0000 1111"
CONTACT_MOBILE = "13700002222"
EMAIL = "buyer.secret@acme.example"
NOTE = "private-note-zq7"
SUMMARY = "private-summary-kx9"
FEEDBACK = "private-feedback-mw3"
# The forms in which a phone could leak: as typed, digits only, and the tail-less middle.
PHONE_FORMS = [
    PHONE,
    "13812345678",
    "8613812345678",
    "138-1234-5678",
    "1234-5678",
    CONTACT_PHONE,
    "13900001111",
    CONTACT_MOBILE,
]
TEXT_SECRETS = [EMAIL, NOTE, SUMMARY, FEEDBACK]
WIDE = {"COLUMNS": "200"}  # no column cut short: a phone number cannot hide behind an ellipsis


def leaks(text: str, secrets) -> list[str]:
    return [s for s in secrets if s in text]


@pytest.fixture
def crm(db_path):
    from tuicrm.config import DEFAULT
    from tuicrm.store import Store
    from tuicrm.store.customers import create_contact, create_customer
    from tuicrm.store.followups import log_follow_up

    store = Store.open(str(db_path))
    with store.write("setup") as s:
        acme = create_customer(s, "Acme Robotics", phone=PHONE, email=EMAIL, notes=NOTE, status="intent")
        create_contact(
            s, acme, "Wile Coyote", phone=CONTACT_PHONE, mobile=CONTACT_MOBILE, email="wile@acme.example"
        )
        from datetime import date

        log_follow_up(
            s, DEFAULT, acme, SUMMARY, feedback=FEEDBACK, next_on=date(2026, 11, 20), next_action="call"
        )
        create_customer(s, "Other Co", phone="13512345678")
    store.dispose()
    return db_path


@pytest.mark.parametrize(
    "args",
    [
        ["due"],
        ["due", "--json"],
        ["due", "--days", "30"],
        ["due", "--days", "30", "--json"],
        ["find", "acme"],
        ["find", "acme", "--json"],
        ["find", "13812345678"],
        ["find", "13812345678", "--json"],
        ["find", "coyote"],
        ["find", "5678", "--json"],
        ["show", "acme"],
        ["show", "acme", "--json"],
        ["show", "C000001"],
        ["show", "1", "--json"],
    ],
)
def test_phones_are_masked_in_find_due_show(crm, args, tuicrm_cli):
    r = tuicrm_cli(crm, *args, env=WIDE)
    assert r.returncode == 0, r.stderr
    assert leaks(r.stdout + r.stderr, PHONE_FORMS) == []


def test_masking_is_what_hides_them(crm, tuicrm_cli):
    """The same grep finds the numbers when the rep asks for them: the test above is not vacuous."""
    r = tuicrm_cli(crm, "show", "acme", "--reveal", env=WIDE)
    assert r.returncode == 0
    assert PHONE in r.stdout or "13812345678" in r.stdout
    shown = tuicrm_cli(crm, "show", "acme", env=WIDE).stdout
    assert "138****5678" in shown
    assert "****1111" in shown or "139****1111" in shown


def test_integrity_error_message_and_traceback_hide_the_values(store):
    """hide_parameters=True: a failed statement names the SQL, never the row's values."""
    from tuicrm.models import Customer
    from tuicrm.store.customers import create_customer

    with store.write("add") as s:
        create_customer(s, "Acme", phone=PHONE, email=EMAIL, notes=NOTE)
    with pytest.raises(sa.exc.IntegrityError) as err:
        with store.write("dup") as s:  # same code: UNIQUE constraint
            s.add(Customer(code="C000001", name="Dup", phone=PHONE, email=EMAIL, notes=NOTE))
            s.flush()
    text = str(err.value) + repr(err.value) + "".join(traceback.format_exception(err.value))
    assert "UNIQUE constraint failed" in text  # the useful part is still there
    assert "hidden" in text
    assert leaks(text, PHONE_FORMS + TEXT_SECRETS) == []


def test_sqlalchemy_log_lines_hide_the_values(db_path, caplog):
    """Even with SQLAlchemy's engine logging switched on, parameters are not logged."""
    caplog.set_level(logging.DEBUG, logger="sqlalchemy")
    from tuicrm.store import Store
    from tuicrm.store.customers import create_contact, create_customer, resolve_customer

    store = Store.open(str(db_path))
    with store.write("add") as s:
        acme = create_customer(s, "Acme", phone=PHONE, email=EMAIL, notes=NOTE)
        create_contact(s, acme, "Wile", mobile=CONTACT_MOBILE)
    with store.read() as s:
        resolve_customer(s, "acme")
    store.dispose()
    lines = [record.getMessage() for record in caplog.records]
    # Logging really was on (the customer's insert is plain SQL on the session's DB-API
    # connection, tuicrm.store.lean, which SQLAlchemy does not log at all; the contact's is ORM).
    assert any("INSERT INTO contact" in line for line in lines)
    assert leaks("\n".join(lines), PHONE_FORMS + TEXT_SECRETS) == []


def _sabotage(db, sql: str) -> None:
    conn = sqlite3.connect(db)
    conn.executescript(sql)
    conn.close()


def test_cli_database_error_is_one_plain_sentence(crm, tuicrm_cli):
    """A write the database refuses: one sentence on stderr, no SQL values, no traceback."""
    _sabotage(
        crm, "CREATE TRIGGER no_updates BEFORE UPDATE ON customer BEGIN SELECT RAISE(ABORT, 'refused'); END;"
    )
    r = tuicrm_cli(crm, "log", "acme", "-", "--feedback", FEEDBACK, input=f"{SUMMARY} {NOTE}\n", env=WIDE)
    assert r.returncode != 0
    out = r.stdout + r.stderr
    assert "Traceback" not in out and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert leaks(out, PHONE_FORMS + TEXT_SECRETS) == []
    r = tuicrm_cli(
        crm,
        "add",
        "contact",
        "acme",
        "Road Runner",
        "--phone",
        "13600003333",
        "--email",
        "rr@acme.example",
        env=WIDE,
    )
    assert r.returncode != 0
    assert "Traceback" not in r.stderr and leaks(r.stdout + r.stderr, PHONE_FORMS + ["13600003333"]) == []


@pytest.mark.parametrize(
    "args",
    [
        ["show", "acme"],
        ["show", "acme", "--json"],
        ["due"],
        ["due", "--json"],
        ["find", "acme"],
        ["log", "acme", "x"],
    ],
)
def test_unexpected_error_prints_no_values(crm, args, tuicrm_cli):
    """A value the code cannot read (a damaged date holding a phone number and a note) must not be
    echoed by the exception message: the CLI names the error type only, no locals, no traceback."""
    _sabotage(crm, f"UPDATE customer SET next_follow_up_on = '{NOTE} 13812345678' WHERE id = 1;")
    r = tuicrm_cli(crm, *args, env=WIDE)
    out = r.stdout + r.stderr
    assert "Traceback" not in out
    assert leaks(out, PHONE_FORMS + TEXT_SECRETS) == []


EXPORTS = [
    "all.json",
    "all.xlsx",
    "customers.csv",
    "contacts.csv",
    "followups.csv",
    "contacts.vcf",
    "pending.ics",
]


def _export_text(path) -> str:
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    return path.read_text(encoding="utf-8-sig")


def _export(run, db, target, *extra):
    args = ["export", str(target), *extra]
    if target.suffix == ".csv":
        args += ["--kind", target.stem]
    r = run(db, *args, env=WIDE)
    assert r.returncode == 0, r.stderr
    return r


@pytest.mark.parametrize("name", EXPORTS)
def test_default_exports_mask_phones(crm, tmp_path, name, tuicrm_cli):
    target = tmp_path / name
    r = _export(tuicrm_cli, crm, target)
    assert leaks(_export_text(target) + r.stdout + r.stderr, PHONE_FORMS) == []


def test_unmasked_export_is_explicit(crm, tmp_path, tuicrm_cli):
    """The same grep finds the numbers with --unmasked: the test above is not vacuous."""
    target = tmp_path / "all.json"
    _export(tuicrm_cli, crm, target, "--unmasked")
    text = _export_text(target)
    assert CONTACT_MOBILE in text and ("13812345678" in text or PHONE in text)
