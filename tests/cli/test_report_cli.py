"""``tuicrm report …``: the five reports as table, --json and --markdown, on the hand-built database
of tests/store/test_report_queries.py (local time UTC+8, now 2026-11-25 10:00)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pendulum
import pytest
from typer.testing import CliRunner

from tuicrm.cli.app import app
from tuicrm.store import Store

REPO_ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-11-25T10:00"
MARKUP_NAME = "[@click=app.quit]x[/]"


def _fixture_module():
    spec = importlib.util.spec_from_file_location(
        "report_fixture", REPO_ROOT / "tests" / "store" / "test_report_queries.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module", autouse=True)
def shanghai():
    pendulum.set_local_timezone(pendulum.timezone("Asia/Shanghai"))
    yield
    pendulum.set_local_timezone(None)


@pytest.fixture(scope="module")
def db(tmp_path_factory, shanghai):
    path = tmp_path_factory.mktemp("cli-reports") / "crm.db"
    with pytest.MonkeyPatch.context() as mp:
        store = Store.open(str(path))
        _fixture_module().build_fixture(store, mp)
        store.dispose()
    return path


@pytest.fixture(autouse=True)
def pinned(monkeypatch):
    monkeypatch.setenv("TUICRM_NOW", NOW)
    monkeypatch.setenv("COLUMNS", "80")


def run(db, *args):
    result = CliRunner().invoke(app, ["--db", str(db), "report", *args])
    return result


def md_rows(markdown):
    """The cells of every Markdown table row (padding stripped, the rule rows left out)."""
    return [
        [c.strip() for c in line.strip("|").split(" | ")]
        for line in markdown.splitlines()
        if line.startswith("| ")
    ]


def js(db, *args):
    r = run(db, *args, "--json")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def test_weekly_json_matches_the_hand_computed_figures(db):
    data = js(db, "weekly", "--week", "2026-W47")
    assert {
        k: data[k]
        for k in (
            "week",
            "from",
            "to",
            "new_customers",
            "new_leads",
            "high_value_leads",
            "high_value_new",
            "new_opportunities",
            "customers_followed_up",
            "overdue_at_week_end",
        )
    } == {
        "week": "2026-W47",
        "from": "2026-11-16",
        "to": "2026-11-22",
        "new_customers": 3,
        "new_leads": 0,
        "high_value_leads": 0,
        "high_value_new": 1,
        "new_opportunities": 1,
        "customers_followed_up": 3,
        "overdue_at_week_end": 2,
    }
    assert data["follow_ups"] == {"total": 4, "by_channel": {"phone": 2, "meeting": 1, "visit": 1}}
    assert data["moved_into"] == {"need": 2, "proposal": 1, "negotiation": 1}
    assert data["won"] == {"count": 1, "customers": 1, "amount": "100000.00"}
    assert data["lost"] == {
        "count": 1,
        "amount": "50000.00",
        "reasons": [{"reason": "price", "count": 1, "amount": "50000.00"}],
    }
    assert [i["code"] for i in data["focus"]["items"]] == ["C000001", "C000002", "C000006"]
    assert data["focus"]["total"] == 3 and data["focus"]["week"] == "2026-W48"


@pytest.mark.parametrize(
    ("spec", "week"),
    [
        (None, "2026-W48"),
        ("last", "2026-W47"),
        ("W46", "2026-W46"),
        ("2026-11-18", "2026-W47"),
        ("2026-W30", "2026-W30"),
    ],
)
def test_weekly_week_choices(db, spec, week):
    args = ["weekly"] + (["--week", spec] if spec else [])
    assert js(db, *args)["week"] == week


def test_weekly_table_and_markdown(db):
    r = run(db, "weekly", "--week", "2026-W47")
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert "Weekly report 2026-W47 · 2026-11-16 – 2026-11-22" in out
    for text in (
        "New customers",
        "Customers followed up",
        "Moved into need",
        "Won",
        "Overdue at week end",
        "100,000 CNY from 1 customer",
        "Next week's focus · 2026-W48",
        "Alpha",
    ):
        assert text in out, text
    assert max(len(line) for line in out.splitlines()) <= 80
    md = run(db, "weekly", "--week", "2026-W47", "--markdown").stdout
    assert md.startswith("## Weekly report 2026-W47 (2026-11-16 – 2026-11-22)")
    assert ["Customers followed up", "3", ""] in md_rows(md)
    assert ["2026-11-23", "Alpha", "C000001", "A"] in [r[:4] for r in md_rows(md)]


def test_funnel_json_and_period(db):
    data = js(db, "funnel")
    assert data["opportunities"] == 5 and data["amount"] == "210000.00"
    assert [s["reached"] for s in data["stages"]] == [5, 4, 3, 2, 1]
    assert [s["conversion_to_next"] for s in data["stages"]] == [0.8, 0.75, 0.6667, 0.5, None]
    assert [s["median_days"] for s in data["stages"]] == [32.0, 3.0, 2.0, 5.0, None]
    assert data["stale"]["count"] == 1 and data["stale"]["items"][0]["idle_days"] == 15
    assert data["by_current_stage"]["lost"] == {"count": 2, "amount": "80000.00"}
    data = js(db, "funnel", "--from", "2026-11-10", "--to", "2026-11-25")
    assert (data["from"], data["to"], data["opportunities"]) == ("2026-11-10", "2026-11-25", 3)
    r = run(db, "funnel")
    assert r.exit_code == 0 and "lead → won 20.0 %" in r.stdout and "80.0 %" in r.stdout
    assert ["lead", "5"] in [r[:2] for r in md_rows(run(db, "funnel", "--markdown").stdout)]


def test_forecast_json(db):
    data = js(db, "forecast")
    assert [(p["period"], p["open_amount"], p["weighted"], p["won_amount"]) for p in data["periods"]] == [
        ("2026-11", "10000.00", "1000.00", "100000.00"),
        ("2026-12", "20000.00", "10000.00", "0.00"),
    ]
    assert data["totals"] == {
        "open_count": 2,
        "open_amount": "30000.00",
        "weighted": "11000.00",
        "won_count": 1,
        "won_amount": "100000.00",
    }
    assert js(db, "forecast", "--by", "quarter")["periods"][0]["period"] == "2026-Q4"
    out = run(db, "forecast").stdout
    assert "2026-11 •" in out and "Won this year to date: 1 deal, 100,000 CNY." in out
    assert "2026-11 •" in [r[0] for r in md_rows(run(db, "forecast", "--markdown").stdout)]


def test_value_json_and_table(db):
    data = js(db, "value")
    assert [(c["name"], c["abc"], c["rfm"]) for c in data["customers"]] == [
        ("Delta", "A", "524"),
        ("Alpha", "A", "533"),
        ("Golf", "B", "523"),
        ("Gamma", "C", "112"),
        ("Foxtrot", "C", "112"),
    ]
    assert [(c["name"], c["suggestion"]) for c in data["review_tier"]] == [
        ("Gamma", "lower"),
        ("Foxtrot", "assess"),
    ]
    assert data["settings"]["abc_a_share"] == 0.7 and data["no_revenue"] == 1
    out = run(db, "value").stdout
    assert "Review tier: 2 customers" in out and "top 70 % of revenue" in out
    assert "### Review tier: 2" in run(db, "value", "--markdown").stdout


def test_lost_json(db):
    data = js(db, "lost")
    assert data["count"] == 2 and data["amount"] == "80000.00"
    assert [(x["reason"], x["count"], x["share"]) for x in data["reasons"]] == [
        ("price", 1, 0.5),
        ("went silent", 1, 0.5),
    ]
    assert data["lost_at_stage"] == {"need": 1, "negotiation": 1}
    assert js(db, "lost", "--from", "2026-11-22")["count"] == 1
    assert "Lost deals · all time · 2 deals · 80,000 CNY" in run(db, "lost").stdout


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["weekly", "--week", "banana"], "is not a week"),
        (["weekly", "--week", "2025-W53"], "has no ISO week 53"),
        (["weekly", "--json", "--markdown"], "choose one of --json and --markdown"),
        (["funnel", "--from", "someday"], "--from"),
        (["funnel", "--from", "2026-12-01", "--to", "2026-11-01"], "is after --to"),
        (["forecast", "--by", "week"], "month or quarter"),
        (["lost", "--to", "13-45"], "--to"),
    ],
)
def test_bad_input_is_one_sentence(db, args, says):
    r = run(db, *args)
    assert r.exit_code == 2
    assert says in r.stderr and "Traceback" not in r.stderr and r.stderr.startswith("tuicrm: ")


def test_reports_on_an_empty_database(tmp_path):
    from tuicrm.db import make_engine

    db = tmp_path / "empty.db"
    make_engine(str(db)).dispose()  # reports never create a database (issue #14)
    for name in ("weekly", "funnel", "forecast", "value", "lost"):
        for fmt in ([], ["--json"], ["--markdown"]):
            r = run(db, name, *fmt)
            assert r.exit_code == 0, (name, fmt, r.stderr)
            if fmt == ["--json"]:
                json.loads(r.stdout)
    assert js(db, "weekly")["follow_ups"] == {"total": 0, "by_channel": {}}


def test_user_text_is_shown_literally(tmp_path):
    from tuicrm.store.customers import create_customer
    from tuicrm.store.followups import log_follow_up
    from tuicrm.store.pipeline import add_opportunity, move_opportunity

    db = tmp_path / "markup.db"
    store = Store.open(str(db))
    with store.write("x") as s:
        c = create_customer(s, MARKUP_NAME, tier="A", revenue_total="10")
        log_follow_up(
            s,
            store.config,
            c,
            "hi",
            next_on=pendulum.date(2026, 11, 30),
            next_action="[bold]call[/bold] *now* | x",
        )
        o = add_opportunity(s, store.config, c, "[red]deal[/red]", 5, stage="need")
        move_opportunity(s, store.config, o, "lost", reason="[@click=app.quit]why[/]")
    store.dispose()
    out = run(db, "weekly").stdout
    assert MARKUP_NAME in out and "[bold]call[/bold]" in out
    assert "[@click=app.quit]why[/]" in run(db, "lost").stdout
    assert MARKUP_NAME in run(db, "value").stdout
    md = run(db, "weekly", "--markdown").stdout
    assert "| [@click=app.quit]x[/] " in md and "[bold]call[/bold] *now* \\| x" in md


def test_report_commands_do_not_import_textual(db):
    code = (
        "import sys\n"
        "from tuicrm.cli.app import app\n"
        "for args in (['weekly'], ['funnel', '--json'], ['forecast'], ['value'], ['lost', '--markdown']):\n"
        "    try:\n"
        f"        app(['--db', {str(db)!r}, 'report'] + args)\n"
        "    except SystemExit as e:\n"
        "        assert not e.code, e.code\n"
        "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]\n"
        "assert not bad, bad\n"
        "print('clean')\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, TUICRM_NOW=NOW, TZ="Asia/Shanghai"),
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().endswith("clean")


def test_importing_cli_report_is_light():
    code = (
        "import sys, tuicrm.cli.commands.report\n"
        "heavy = [m for m in ('sqlmodel', 'sqlalchemy', 'rich.table', 'textual', 'pendulum') if m in sys.modules]\n"
        "print(heavy)"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.strip() == "[]", r.stdout + r.stderr


def test_report_json_is_documented():
    docs = REPO_ROOT / "docs"
    text = "".join(
        p.read_text(encoding="utf-8") for p in (docs / "cli.md", docs / "cli-report.md") if p.exists()
    )
    for name in ("weekly", "funnel", "forecast", "value", "lost"):
        assert f"tuicrm report {name}" in text, name
    for key in ("overdue_at_week_end", "conversion_to_next", "won_to_date", "review_tier", "lost_at_stage"):
        assert key in text, key
    section = text[text.index("tuicrm report weekly") :]
    blocks = section.split("```json")[1:]
    assert len(blocks) == 5
    for block in blocks:
        data = json.loads(block.split("```")[0])
        assert data["report"] in ("weekly", "funnel", "forecast", "value", "lost")
