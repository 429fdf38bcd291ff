"""The customer list's fast paths (issue #5) keep it exact.

- A one-character (or two-digit) search shows the count read ahead after the first load, then
  a worker recounts it: a write by another program in between is corrected on screen.
- The search line and the list change their sizes without re-laying out the screen; the
  scrollbar and the search line's horizontal scroll still follow.
"""

from __future__ import annotations

from support import notifications, settle
from textual.widgets import Input

from tuicrm.query import search as query_search
from tuicrm.query.customers import count_customers
from tuicrm.query.filters import CustomerFilter
from tuicrm.query.search import CustomerSearch
from tuicrm.store.customers import create_customer
from tuicrm.ui.widgets.customer_table import CustomerTable
from tuicrm.ui.widgets.customer_table.loader import WindowRequest
from tuicrm.ui.widgets.search_input import SearchInput


def true_count(store, text: str) -> int:
    with store.reading() as conn:
        return count_customers(conn, CustomerFilter(text=text))


async def test_count_read_ahead_is_rechecked_after_another_program_writes(app, crm, monkeypatch):
    store, _ids = crm
    # The shortcut is for letters with many matches; make "many" small for the fixture's 17 customers.
    monkeypatch.setattr(query_search, "SORT_MATCHES_UP_TO", 2)
    # The watcher would reload the list on its own after the other program's write (a slow
    # machine lets a second pass); this test looks at the keystroke's own recheck.
    monkeypatch.setattr(type(app), "check_outside_changes", lambda self: None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(CustomerTable)
        before = true_count(store, "o")
        assert before > 2
        assert table.loader.counts["o"] == before  # read ahead after the first load
        # and the first two digits of a phone number (the fixture's mobiles start 137-139)
        assert table.loader.counts["13"] == true_count(store, "13") >= 3
        assert table.loader.counts["99"] == true_count(store, "99")
        # Another program adds three customers with an "o" while the list is open.
        with store.write("other program") as s:
            for name in ("Oscar Tools", "Orion Labs", "Bravo Co"):
                create_customer(s, name)
        after = true_count(store, "o")
        assert after == before + 3
        # Hold the recount back to see what the keystroke itself shows.
        recount = CustomerTable.recount
        held: list[tuple] = []
        monkeypatch.setattr(CustomerTable, "recount", lambda self, gen, f: held.append((self, gen, f)))
        table.focus()
        await pilot.press("slash", "o")
        await settle(pilot)
        # The keystroke shows the rows at once, with the count known from before…
        assert table.filter.text == "o" and table.total == before and len(held) == 1
        assert [table.row_at(i) is not None for i in range(min(before, 5))] == [True] * min(before, 5)
        recount(*held[0])
        await settle(pilot)
        # …and the recount behind it corrects it; the rows were exact all along.
        assert table.total == after
        assert app.screen.query_one("#list-status").content.plain.startswith(f"{after} customer")
        names = [table.row_at(i).name for i in range(table.total)]
        assert "Oscar Tools" in names and "Orion Labs" in names and "Bravo Co" in names
        assert table.loader.counts["o"] == after


def test_assumed_count_never_changes_the_rows(crm, monkeypatch):
    """``assume_count`` only picks the way the rows are found; a wrong count finds the same rows."""
    store, _ids = crm
    monkeypatch.setattr(query_search, "SORT_MATCHES_UP_TO", 2)
    f = CustomerFilter(text="a")
    with store.reading() as conn:
        exact = CustomerSearch(conn).page_ids(f, 0, 50)
        for wrong in (0, 3, 10_000):
            search = CustomerSearch(conn)
            search.assume_count("a", wrong)
            assert search.page_ids(f, 0, 50) == exact, wrong
        assert exact  # the fixture has customers with an "a"


async def test_scrollbar_follows_the_count_without_a_layout(app, crm):
    store, _ids = crm
    with store.write("more rows") as s:
        for n in range(60):
            create_customer(s, f"Filler {n:02d}" if n < 10 else f"Padding {n:02d}")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(CustomerTable)
        assert table.total == 77 and table.virtual_size.height == 78
        assert table.max_scroll_y > 0 and table.show_vertical_scrollbar
        table.set_query(filter=table.filter.replace(text="filler"))
        await settle(pilot)
        assert table.total == 10 and table.virtual_size.height == 11
        assert table.max_scroll_y == 0 and not table.show_vertical_scrollbar
        table.set_query(filter=table.filter.replace(text=""))
        await settle(pilot)
        assert table.max_scroll_y > 0 and table.show_vertical_scrollbar
        table.focus()
        await pilot.press("end")
        await settle(pilot)
        assert table.cursor == 76 and table.scroll_offset.y == table.max_scroll_y


async def test_long_search_text_scrolls_the_search_line(app, crm):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        search = app.screen.query_one("#search", Input)
        assert isinstance(search, SearchInput)
        await pilot.press(
            "slash", *list("a very long search text that is wider than the search line itself x")
        )
        await settle(pilot)
        assert search.value.endswith("itself x")
        assert search.virtual_size.width >= len(search.value)
        assert search.scroll_x > 0  # the cursor end is in view


async def test_a_read_slower_than_the_budget_is_read_once_and_its_rows_arrive(app, crm, monkeypatch):
    """A keystroke's read that outlasts SYNC_BUDGET goes on in its thread (it is not interrupted
    and read again); the echo paints first and the rows follow."""
    import time

    from tuicrm.ui.widgets.customer_table import loader as loader_module

    store, _ids = crm
    monkeypatch.setattr(loader_module, "SYNC_BUDGET", 0.01)
    reads: list[str] = []

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(CustomerTable)
        read_window = table.loader.read_window

        def slow_read(f, *args):
            reads.append(f.text)
            time.sleep(0.1)  # ten times the budget
            return read_window(f, *args)

        monkeypatch.setattr(table.loader, "read_window", slow_read)
        table.focus()
        await pilot.press("slash", "o")
        assert app.screen.query_one("#search", Input).value == "o"
        assert table.busy  # the rows are still being read
        await settle(pilot)
        expected = true_count(store, "o")
        assert reads == ["o"]  # once, not once on the UI thread and again in a worker
        assert not table.busy and table.filter.text == "o" and table.total == expected
        assert [table.row_at(i) is not None for i in range(expected)] == [True] * expected
        assert app.screen.query_one("#list-status").content.plain.startswith(f"{expected} customer")


async def test_a_recount_that_comes_before_the_rows_is_the_count_shown(app, crm, monkeypatch):
    """The rows of a one-letter search are read with the count from before; when they are slow
    and the recount (after another program wrote) comes first, the recount is what stays."""
    import threading

    store, _ids = crm
    monkeypatch.setattr(query_search, "SORT_MATCHES_UP_TO", 2)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(CustomerTable)
        before = table.loader.counts["o"]
        with store.write("other program") as s:
            create_customer(s, "Oscar Tools")
        after = true_count(store, "o")
        assert after == before + 1
        release = threading.Event()
        read_window = table.loader.read_window

        def held_read(*args):
            release.wait(5)
            return read_window(*args)

        monkeypatch.setattr(table.loader, "read_window", held_read)
        table.focus()
        await pilot.press("slash", "o")
        for _ in range(200):  # the recount lands while the rows are held
            await pilot.pause(0.01)
            if table.recounted_total is not None:
                break
        assert table.recounted_total == (table.generation, after) and table.busy
        release.set()
        await settle(pilot)
        assert table.total == after and not table.busy
        assert app.screen.query_one("#list-status").content.plain.startswith(f"{after} customer")


async def test_two_digits_of_a_phone_number_use_the_count_read_ahead(app, crm, monkeypatch):
    store, _ids = crm
    monkeypatch.setattr(query_search, "SORT_MATCHES_UP_TO", 2)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(CustomerTable)
        expected = true_count(store, "13")
        assert table.loader.counts["13"] == expected > 2
        recounts: list[str] = []
        monkeypatch.setattr(CustomerTable, "recount", lambda self, gen, f: recounts.append(f.text))
        table.focus()
        await pilot.press("slash", "1", "3")
        await settle(pilot)
        # "1" and "13" both came with their known counts (and a recount behind each); "13a" would not.
        assert recounts == ["1", "13"]
        assert table.filter.text == "13" and table.total == expected
        assert [table.row_at(i) is not None for i in range(expected)] == [True] * expected
        await pilot.press("a")
        await settle(pilot)
        assert recounts == ["1", "13"] and table.filter.text == "13a"


async def test_a_failed_read_is_reported_and_the_list_does_not_wait_for_it(app, crm, monkeypatch):
    store, _ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(CustomerTable)
        read_window = table.loader.read_window

        def broken(*args):
            raise RuntimeError("disk I/O error")

        monkeypatch.setattr(table.loader, "read_window", broken)
        table.focus()
        await pilot.press("slash", "o")
        await settle(pilot)
        assert any("disk I/O error" in n.message for n in notifications(app))
        assert not table.busy  # not loading for ever: the next key reads again
        monkeypatch.setattr(table.loader, "read_window", read_window)
        await pilot.press("s")
        await settle(pilot)
        expected = true_count(store, "os")
        assert table.filter.text == "os" and table.total == expected and not table.busy


async def test_a_scroll_window_overtaken_by_a_newer_one_is_dropped(app, crm):
    from tuicrm.ui.messages import WindowLoaded

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(CustomerTable)
        offset, rows = table.window
        assert rows and not table.loading_window
        # A late scroll window (no count) of this query, for rows nobody asks for any more.
        table.post_message(WindowLoaded(table.generation, offset + 5, rows[:3], None))
        await settle(pilot)
        assert table.window == (offset, rows)


async def test_a_removed_list_reads_nothing_more(app, crm):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(CustomerTable)
        table.set_text("o")  # the reader pool exists
        assert table.loader.started
        await table.remove()
        await settle(pilot)
        assert table.loader.closed and not table.loader.started
        assert table.loader.submit(WindowRequest(table.filter, "name", False, 0, 10, True)) is None
