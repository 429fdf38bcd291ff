"""Screens kept between switches (issue #20): coming back to one re-reads only after a write (this
app's or another process's) or a new day; the overdue panel drops a logged follow-up at once;
long lists build their options a page at a time."""

from __future__ import annotations

from datetime import date

from support import TODAY, Host, settle
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets.option_list import Option

from tuicrm.store.customers import get_customer
from tuicrm.ui.screens.tiers import TierBoardScreen
from tuicrm.ui.shell import mark_read, stale
from tuicrm.ui.widgets.paged_list import FETCH, PAGE, PREFETCH, PagedList


async def test_a_screen_comes_back_as_it_was_until_something_is_written(app, crm, monkeypatch):
    store, ids = crm
    loads: list[int] = []
    reload = TierBoardScreen.reload

    def counted(self, select=None):
        loads.append(1)
        reload(self, select)

    monkeypatch.setattr(TierBoardScreen, "reload", counted)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in ("3", "1", "3"):
            await pilot.press(key)
            await settle(pilot)
        assert isinstance(app.screen, TierBoardScreen)
        assert len(loads) == 1  # read on the first visit only: nothing was written since
        assert "Acme" in str(app.screen.board.column("A").cards.get_option_at_index(0).prompt)
        with store.write("rename") as session:  # another connection's commit, as another process's
            get_customer(session, ids["acme"]).name = "Acme Renamed"
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert len(loads) == 2  # the watcher saw the commit: read again, showing it
        assert "Acme Renamed" in str(app.screen.board.column("A").cards.get_option_at_index(0).prompt)
        await pilot.press("1")
        await settle(pilot)
        panel = app.screen.panel
        before = panel.data
        first = before.items[0]
        assert first.kind == "follow-up"
        # A follow-up logged for the first item, next one in three days: it leaves the panel at once.
        assert panel.logged(first.customer_id, date(2026, 11, 25)) is True
        after = panel.data
        assert after.count == before.count - 1
        assert (after.overdue, after.today) == (
            before.overdue - first.overdue,
            before.today - first.due_today,
        )
        assert first.customer_id not in [i.customer_id for i in after.items]
        assert (
            panel.logged(before.items[1].customer_id, TODAY) is False
        )  # still due today: the re-read places it
        # Due but not among the items shown (further down the queue): only the counts change.
        assert panel.logged(ids["echo"], date(2026, 12, 1), was_due_on=date(2026, 11, 20)) is True
        assert (panel.data.count, panel.data.overdue) == (after.count - 1, after.overdue - 1)
        assert len(panel.data.items) == len(after.items)


async def test_an_app_without_a_watcher_reads_on_every_visit():
    app = Host(Screen)
    async with app.run_test(size=(40, 12)):
        mark_read(app.screen)
        assert stale(app.screen) is True  # cannot tell what changed: as before, read again


class OneList(App[None]):
    def compose(self) -> ComposeResult:
        yield PagedList()


async def test_a_long_list_builds_a_page_of_options_at_a_time():
    rows = [f"row {n}" for n in range(PAGE * 2 + 50)]
    app = OneList()
    async with app.run_test(size=(40, 12)) as pilot:
        paged = app.query_one(PagedList)
        paged.show(rows, lambda row: Option(row, id=row))
        await pilot.pause()
        assert paged.option_count == PAGE  # not 250
        paged.highlighted = PAGE - 5  # near the end: the next page is built
        await pilot.pause()
        assert paged.option_count == PAGE * 2
        paged.action_last()  # end: every row, the last one highlighted
        await pilot.pause()
        assert paged.option_count == len(rows) and paged.highlighted == len(rows) - 1
        paged.show(rows, lambda row: Option(row, id=row), index=120)  # a reload keeps the place
        assert paged.option_count == 120 + PAGE
        # A screen that read only the first rows: the next ones come through fetch(offset, limit).
        calls = []

        def fetch(offset, limit):
            calls.append((offset, limit))
            return rows[offset : offset + limit]

        first = rows[: PAGE * 2]
        paged.show(first, lambda row: Option(row, id=row), total=len(rows), fetch=fetch)
        for near in (PAGE - 5, PAGE * 2 - PREFETCH):  # the rows built, then read ahead in a thread
            paged.highlighted = near
            await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert calls == [(PAGE * 2, FETCH)] and first == rows
        paged.highlighted = PAGE * 2 - 5  # built from the rows read ahead
        await pilot.pause()
        assert calls == [(PAGE * 2, FETCH)] and paged.option_count == len(rows)
        paged.show(rows[:PAGE], lambda row: Option(row, id=row), total=len(rows), fetch=fetch)
        paged.action_last()  # end: the rest read at once
        assert calls[-1] == (PAGE, len(rows) - PAGE) and paged.option_count == len(rows)


async def test_the_heavy_screens_are_built_ahead_and_read_when_first_shown(app, crm):
    from tuicrm.ui.app import AHEAD_MODES
    from tuicrm.ui.screens.reports import ReportsScreen

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app._build_ahead()
        for _ in range(50):  # one screen per turn of the app's queue
            stacks = app._screen_stacks
            if all(mode in stacks and stacks[mode][0].is_mounted for mode in AHEAD_MODES):
                break
            await settle(pilot, rounds=1)
        built = {mode: app._screen_stacks[mode][0] for mode in AHEAD_MODES}
        assert set(built) == {"pipeline", "tiers", "reports"}
        for screen in built.values():  # composed, unseen, nothing read yet
            assert screen.is_mounted and not screen.is_current
            assert not [w for w in app.workers if w.node is screen]
        assert isinstance(built["reports"], ReportsScreen) and built["reports"].data is None
        tiers = built["tiers"]
        assert "loading" in str(tiers.query_one("#title").render())
        await pilot.press("3")
        await settle(pilot)
        assert app.screen is tiers  # the screen built ahead is the one shown
        assert "Acme" in str(tiers.board.column("A").cards.get_option_at_index(0).prompt)
        await pilot.press("5")
        await settle(pilot)
        assert app.screen is built["reports"] and built["reports"].data is not None
