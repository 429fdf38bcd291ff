"""Reports screen (key 5): renders at 80×24, loads in a worker, keys switch tabs and weeks.

Hosted in a tiny App (the main app is built elsewhere), on the hand-built database of
tests/store/test_report_queries.py (local time UTC+8, now 2026-11-25 10:00, in 2026-W48).
"""

from __future__ import annotations

import asyncio
import importlib.util
from pathlib import Path

import pendulum
import pytest
from rich.cells import cell_len
from textual.app import App
from textual.widgets import Sparkline, Static, TabbedContent

from tuicrm.config import DEFAULT
from tuicrm.domain.reports import IsoWeek
from tuicrm.store import Store
from tuicrm.ui.screens.reports import ReportsScreen, load_reports

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
def db_file(tmp_path_factory, shanghai):
    path = tmp_path_factory.mktemp("ui-reports") / "crm.db"
    with pytest.MonkeyPatch.context() as mp:
        store = Store.open(str(path))
        _fixture_module().build_fixture(store, mp)
        store.dispose()
    return path


@pytest.fixture(autouse=True)
def pinned(monkeypatch):
    monkeypatch.setenv("TUICRM_NOW", NOW)


@pytest.fixture
def store(db_file):
    s = Store.open(str(db_file))
    yield s
    s.dispose()


class Host(App):
    def __init__(self, store, config=DEFAULT) -> None:
        super().__init__()
        self.store = store
        self.config = config

    def on_mount(self) -> None:
        self.push_screen(ReportsScreen(self.store, self.config))


async def settle(pilot, rounds: int = 3) -> None:
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    await asyncio.sleep(0)
    await pilot.pause()


def body(app, name: str) -> str:
    widget = app.screen.query_one(f"#{name}-body", Static)
    return str(widget.render())


def test_snapshot_80x24(store, snap_compare):
    assert snap_compare(Host(store), terminal_size=(80, 24), run_before=settle)


def test_snapshot_funnel_tab_80x24(store, snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)

    assert snap_compare(Host(store), terminal_size=(80, 24), run_before=run_before)


async def test_loads_the_current_week_and_moves_between_weeks(store):
    app = Host(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportsScreen)
        assert screen.data.weekly.week == IsoWeek(2026, 48)
        assert "Week 2026-W48" in body(app, "weekly")
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen.data.weekly.week == IsoWeek(2026, 47)
        text = body(app, "weekly")
        assert "Week 2026-W47 · Mon 2026-11-16 – Sun 2026-11-22" in text
        assert "Customers followed      3  4 follow-ups" in text
        assert "Won                     1  100,000 CNY from 1 customer" in text
        assert "Overdue at week end     2  pending at the end of Sunday" in text
        assert "Alpha" in body(app, "focus")
        spark = app.screen.query_one("#won-trend", Sparkline)
        assert list(spark.data) == [0.0] * 11 + [100000.0]
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(pilot)
        assert screen.data.weekly.week == IsoWeek(2026, 49)


async def test_keys_switch_tabs_and_the_forecast_grouping(store):
    app = Host(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tabs = app.screen.query_one(TabbedContent)
        # Only the shown tab's report is read (and its content built) at first; each other one
        # when its tab is opened.
        assert app.screen.data.weekly is not None and app.screen.data.value is None
        assert not app.screen.query("#value-body") and not app.screen.query("#funnel-body")
        for key, tab in (("f", "funnel"), ("c", "forecast"), ("v", "value"), ("l", "lost"), ("w", "weekly")):
            await pilot.press(key)
            await pilot.pause()
            assert tabs.active == tab
        await settle(pilot)
        assert "lead → won 20.0 %" in body(app, "funnel")
        assert "2026-11 •" in body(app, "forecast")
        await pilot.press("m")
        await settle(pilot)
        assert tabs.active == "forecast" and "2026-Q4 •" in body(app, "forecast")
        assert "Review tier: 2" in body(app, "value")
        assert "price" in body(app, "lost") and "went silent" in body(app, "lost")


def test_views_fit_80_columns(store):
    from tuicrm.ui.screens import reports as screen_module

    data = load_reports(store, DEFAULT, IsoWeek(2026, 47), "month", pendulum.date(2026, 11, 25))
    for view in (
        screen_module.weekly_view(data.weekly),
        screen_module.focus_view(data.weekly),
        screen_module.funnel_view(data.funnel),
        screen_module.forecast_view(data.forecast),
        screen_module.value_view(data.value),
        screen_module.lost_view(data.lost),
    ):
        for line in view.plain.splitlines():
            assert cell_len(line) <= 76, line


async def test_user_text_is_literal(tmp_path, monkeypatch):
    from tuicrm.store.customers import create_customer
    from tuicrm.store.followups import log_follow_up
    from tuicrm.store.pipeline import add_opportunity, move_opportunity

    s = Store.open(str(tmp_path / "m.db"))
    with s.write("x") as session:
        c = create_customer(session, MARKUP_NAME, tier="A", revenue_total="10")
        log_follow_up(
            session,
            s.config,
            c,
            "hi",
            next_on=pendulum.date(2026, 11, 30),
            next_action="[@click=app.quit]go[/]",
        )
        o = add_opportunity(session, s.config, c, "deal", 5, stage="need")
        move_opportunity(session, s.config, o, "lost", reason="[@click=app.quit]why[/]")
    app = Host(s)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert MARKUP_NAME in body(app, "focus")
        for key in ("l", "v"):
            await pilot.press(key)
            await settle(pilot)
        assert "[@click=app.quit]why[…" in body(app, "lost")  # cut to its column, still literal
        await pilot.click("#value-body")
        await pilot.click("#focus-body")
        assert app.is_running
    s.dispose()


async def test_a_failed_load_says_so(store):
    class Broken:
        config = DEFAULT

        def reading(self):
            raise RuntimeError("disk on fire")

    app = Host(Broken())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Could not load the reports: RuntimeError: disk on fire" in body(app, "weekly")
        await pilot.click("#--content-tab-funnel")  # a tab opened by the mouse builds its content too
        await settle(pilot)
        assert "Could not load the reports: RuntimeError: disk on fire" in body(app, "funnel")
        assert app.is_running
