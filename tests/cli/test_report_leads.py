"""The lead figures of the reports (issue #17): the weekly report's 线索新增量 and 高价值线索数, and
``report leads`` (conversion by source, template 004's 复盘) as table, --json and --markdown."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tuicrm.cli.app import app
from tuicrm.domain.reports.leads import NO_SOURCE, lead_report
from tuicrm.store.leads import convert_lead, create_lead
from tuicrm.store.pipeline import move_opportunity

MONDAY = "2026-11-16T09:00"
NOW = "2026-11-19T10:00"


@pytest.fixture
def leads_db(store, db_path, monkeypatch):
    cfg = store.config
    monkeypatch.setenv("TUICRM_NOW", "2026-11-02T09:00")  # two weeks before: not this week
    with store.write("old lead") as s:
        create_lead(s, cfg, "旧线索公司", source="转介绍")
    monkeypatch.setenv("TUICRM_NOW", MONDAY)
    with store.write("seed") as s:
        high = create_lead(
            s,
            cfg,
            "智慧教育科技",
            source="展会",
            contact_title="部门经理",
            budget_text="15万",
            needs="智慧教室",
            purchase_soon=True,
        )
        create_lead(s, cfg, "二号学校", source="展会", contact_title="校长", needs="录播")
        create_lead(s, cfg, "三号公司", source="线上广告")
        create_lead(s, cfg, "无来源", source=None)
        deal = convert_lead(s, cfg, high)
        move_opportunity(s, cfg, deal.opportunity, "won")
    monkeypatch.setenv("TUICRM_NOW", NOW)
    return db_path


def run(db, *args):
    return CliRunner().invoke(app, ["--db", str(db), "report", *args])


def test_weekly_counts_the_weeks_new_and_high_value_leads(leads_db):
    r = run(leads_db, "weekly", "--json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["new_leads"] == 4 and data["high_value_leads"] == 1  # the old lead is not this week's
    table = run(leads_db, "weekly")
    assert "New leads" in table.stdout and "high value (BANT ≥ 8): 1" in table.stdout
    last = json.loads(run(leads_db, "weekly", "--week", "2026-W45", "--json").stdout)
    assert last["new_leads"] == 1 and last["high_value_leads"] == 0


def test_report_leads_by_source(leads_db):
    r = run(leads_db, "leads", "--json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    by_source = {x["source"]: x for x in data["sources"]}
    fair = by_source["展会"]
    assert (fair["leads"], fair["converted"], fair["won"]) == (2, 1, 1)
    assert fair["conversion_rate"] == 0.5 and fair["win_rate"] == 0.5
    assert by_source[NO_SOURCE]["leads"] == 1 and by_source["转介绍"]["leads"] == 1
    assert data["total"]["leads"] == 5 and data["total"]["won"] == 1
    assert [x["source"] for x in data["sources"]][0] == "展会"  # most leads first
    this_week = json.loads(run(leads_db, "leads", "--from", "2026-11-16", "--json").stdout)
    assert this_week["total"]["leads"] == 4 and this_week["from"] == "2026-11-16"
    table = run(leads_db, "leads")
    assert table.exit_code == 0 and "展会" in table.stdout and "50" in table.stdout
    markdown = run(leads_db, "leads", "--markdown")
    assert markdown.stdout.startswith("## Leads by source") and "\n| 展会 " in markdown.stdout


def test_no_leads_is_said_plainly(store, db_path, monkeypatch):
    monkeypatch.setenv("TUICRM_NOW", NOW)
    r = run(db_path, "leads")
    assert r.exit_code == 0 and "No leads yet." in r.stdout


@pytest.mark.parametrize(
    "rows, expected",
    [
        ([("展会", 4, 2, 1, 3)], [("展会", 4, 2, 1, 3, 0.5, 0.25)]),
        ([(None, 1, 0, 0, 0), ("  ", 2, 1, 0, 1)], [(NO_SOURCE, 3, 1, 0, 1, 0.3333, 0.0)]),
        ([("a", 1, 0, 0, 0), ("b", 3, 0, 0, 0)], [("b", 3, 0, 0, 0, 0.0, 0.0), ("a", 1, 0, 0, 0, 0.0, 0.0)]),
    ],
)
def test_lead_report_merges_and_orders_sources(rows, expected):
    report = lead_report(rows, start=None, end=None)
    got = [
        (r.source, r.leads, r.converted, r.won, r.answered_in_time, r.conversion_rate, r.win_rate)
        for r in report.rows
    ]
    assert got == expected


def test_lead_page_is_a_window_of_lead_list_with_its_counts(leads_db, store):
    """The leads screen's read (issue #20): ``lead_page`` = ``lead_list``'s rows from ``offset``,
    at most ``limit``, with the title's counts over all of them (the screen's own arithmetic)."""
    from datetime import UTC, datetime

    from tuicrm.query.leads import lead_list, lead_page

    now = datetime(2026, 11, 19, 10, tzinfo=UTC)
    with store.reading() as conn:
        for kwargs in ({}, {"status": "all"}, {"score_class": "low"}, {"status": "converted"}):
            rows = lead_list(conn, **kwargs)
            page = lead_page(conn, now, limit=2, offset=1, **kwargs)
            assert page.rows == rows[1:3] and page.total == len(rows)
            assert page.by_class == {
                k: sum(r.score_class == k for r in rows) for k in ("high", "medium", "low")
            }
            assert page.overdue == sum(1 for r in rows if r.waiting and r.respond_by <= now)
        assert lead_page(conn, now).overdue > 0  # the fixture's deadlines are days past
