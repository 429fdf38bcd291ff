"""Hostile text in the TUI (issue #6): every payload, as a customer name, industry, note, follow-up
summary, next action and opportunity name, shows literally in the customer list, the overdue
panel, the detail screen, the timeline, the tier board and the pipeline; clicking it runs nothing
(the app keeps running, no screenshot is written); what the app would write to the terminal holds
no escape sequence from the data, only Textual's own cursor moves and colours.

What makes a click run something is the ``@click`` meta (or a link) on the clicked cell:
``assert_inert`` checks every cell of every payload shown, on every screen, for both. The clicks
themselves, end to end, are made on the payloads that would run an action if parsed as markup
(``ACTION_PAYLOADS``: quit, screenshot, simulate_key, a link), every kind of field of them, on
every screen; clicking a payload with no action in it (``[bold]x``, an escape sequence) could not
show anything a screenshot does not.
"""

from __future__ import annotations

import re
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from rich.cells import cell_len

from tuicrm.config import DEFAULT
from tuicrm.domain.privacy import sanitize_line

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))  # tests/ has no packages
from support import screen_lines, screenshot, style_at  # noqa: E402

PAYLOADS = [
    "[@click=app.quit]x[/]",
    "[link=https://example.com]x[/link]",
    "[bold]x",
    "[/]",
    "\\[",
    "\x1b]52;c;aGk=\x07",
    "\x1b[2J",
    "\x9b2J",
    "\u202eevil",
    # Actions that must stay out of reach of content.
    "[@click=app.screenshot()]s[/]",
    "[@click=app.simulate_key('q')]k[/]",
]
STAGES = ["lead", "need", "proposal", "negotiation"]
ACTION_PAYLOADS = {1, 2, 10, 11}  # the ones that would do something if parsed as markup
PREFIXES = "PINSO"  # name, industry, next action, summary, opportunity: "P01 <payload>"
TAG = re.compile(r"(?<![\w])([PINSO])(\d\d)(?=\s|$|…)")
# What Textual itself writes: cursor positioning and SGR colours. Nothing else may carry an ESC.
OURS = re.compile(r"\x1b\[\d+;\d+H|\x1b\[[0-9;:]*m")


def shown(prefix: str, i: int) -> str:
    """The text as the store keeps it and a widget must show it (sanitised, otherwise literal)."""
    return sanitize_line(f"{prefix}{i:02d} {PAYLOADS[i - 1]}").strip()


@pytest.fixture
def payload_store(tmp_path, monkeypatch):
    from tuicrm.store import Store
    from tuicrm.store.customers import create_customer
    from tuicrm.store.followups import log_follow_up
    from tuicrm.store.pipeline import add_opportunity

    monkeypatch.chdir(tmp_path)  # a screenshot, if one were taken, would land here
    store = Store.open(str(tmp_path / "crm.db"))
    with store.write("payloads") as s:
        for i, p in enumerate(PAYLOADS, start=1):
            c = create_customer(
                s,
                f"P{i:02d} {p}",
                tier="ABCD"[i % 4],
                industry=f"I{i:02d} {p}",
                notes=f"note {p}",
                phone="13812345678",
            )
            log_follow_up(
                s,
                DEFAULT,
                c,
                f"S{i:02d} {p}",
                at=datetime(2026, 11, 20, 10, tzinfo=UTC),
                next_on=date(2026, 11, 21 + i % 2),
                next_action=f"N{i:02d} {p}",
            )
            add_opportunity(
                s,
                DEFAULT,
                c,
                f"O{i:02d} {p}",
                Decimal(1000 * i),
                stage=STAGES[i % 4],
                expected_close_on=date(2026, 12, 15),
            )
    yield store
    store.dispose()


def tags_on_screen(lines: list[str]) -> list[tuple[str, int, int, int]]:
    """(prefix, payload number, x in cells, y) for every tagged text on screen."""
    found = []
    for y, line in enumerate(lines):
        for m in TAG.finditer(line):
            i = int(m.group(2))
            if 1 <= i <= len(PAYLOADS):
                found.append((m.group(1), i, cell_len(line[: m.start()]), y))
    return found


def assert_inert(app, where: str, region=None) -> list[str]:
    """``region``: check only the tagged texts in it (a modal over a screen that has its own), each
    seen up to the region's right edge."""
    shot = screenshot(app)
    lines = shot.lines
    text = "\n".join(lines)
    for bad in ("\x1b", "\x9b", "\x07", "\u202e", "aGk="):
        assert bad not in text, (where, repr(bad))
    # The screen's cells as a terminal gets them (colours, links): no escape from the data.
    raw = OURS.sub("", shot.terminal)
    assert "\x1b" not in raw and "\x9b" not in raw and "\x07" not in raw, (where, repr(raw[:200]))
    # Each tagged text shows as typed (cut to the column width at most): markup was not parsed.
    for prefix, i, x, y in tags_on_screen(lines):
        if region is not None and not region.contains(x, y):
            continue
        visible = lines[y][_char_index(lines[y], x) :]
        if region is not None:
            visible = visible[: _char_index(visible, region.right - 1 - x)]
        want = shown(prefix, i)
        k = 0
        while k < min(len(want), len(visible)) and visible[k] == want[k]:
            k += 1
        cut = visible[k : k + 1] == "…" or (region is not None and k == len(visible) and k >= 6)
        assert k == len(want) or (cut and k >= 6), (where, want, visible)
        got = want[:k]
        # No cell of it is a link or carries a click action.
        for dx in range(min(cell_len(got), 40)):
            style = style_at(app, x + dx, y)
            assert not style.link, (where, want)
            action = (style.meta or {}).get("@click")
            assert not action or not any(
                word in str(action) for word in ("quit", "screenshot", "simulate_key")
            ), (where, want, action)
    return lines


def _char_index(line: str, cells: int) -> int:
    total = 0
    for index, ch in enumerate(line):
        if total >= cells:
            return index
        total += cell_len(ch)
    return len(line)


async def settle(pilot, rounds: int = 3) -> None:
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def click_every_payload(pilot, where: str, back) -> int:
    """Click every kind of field of every payload that holds an action (``ACTION_PAYLOADS``) on
    screen; after each click the app must still run.
    ``back`` returns to the screen under test when a click opened something (a detail, a form)."""
    app = pilot.app
    targets = sorted({(p, i) for p, i, _x, _y in tags_on_screen(screen_lines(app)) if i in ACTION_PAYLOADS})
    clicks = 0
    for prefix, i in targets:
        spots = [(x, y) for p, n, x, y in tags_on_screen(screen_lines(app)) if (p, n) == (prefix, i)]
        if not spots:
            continue  # scrolled away after an earlier click opened and closed something
        x, y = spots[0]
        # The first cell of the payload: where "x" of "[@click=app.quit]x[/]" would sit if parsed.
        await pilot.click(offset=(x + 4, y))
        await settle(pilot, 1)
        clicks += 1
        assert app.is_running and app.return_code is None, (where, prefix, i)
        await back()
    return clicks


LIST_SCREENS = [
    ("1", "CustomersScreen"),
    ("2", "TimelineScreen"),
    ("3", "TierBoardScreen"),
    ("4", "PipelineScreen"),
]


# One test per screen, so the cores share them (the details are one app run). Together they see
# every kind of field of every payload, and click each action payload's fields at least 4 times.
@pytest.mark.parametrize(("key", "name"), LIST_SCREENS, ids=[name for _key, name in LIST_SCREENS])
async def test_payloads_are_literal_and_inert_on_each_screen(payload_store, tmp_path, key, name):
    from tuicrm.ui.app import make_app

    app = make_app(payload_store, DEFAULT)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)

        async def back():
            for _ in range(3):
                if type(app.screen).__name__ == name:
                    return
                await pilot.press("escape")
                await settle(pilot, 1)
            if type(app.screen).__name__ != name:
                await pilot.press(key)
                await settle(pilot)

        await pilot.press(key)
        await settle(pilot)
        assert type(app.screen).__name__ == name
        lines = assert_inert(app, name)
        tags = {(p, i) for p, i, _x, _y in tags_on_screen(lines)}
        assert {i for p, i in tags if p == "P"} == set(range(1, len(PAYLOADS) + 1)), (name, sorted(tags))
        if name == "CustomersScreen":
            shot = app.export_screenshot()
            assert "[@click=app.quit]x[/]" in shot and "[bold]x" in shot
        clicks = await click_every_payload(pilot, name, back)
        assert clicks >= len(ACTION_PAYLOADS)  # every action payload's customer name, at least
        assert_inert(app, name + " after clicks")
        assert app.is_running and app.return_code is None
    assert not list(tmp_path.glob("*.svg"))  # app.screenshot never ran


async def test_payloads_are_literal_and_inert_on_the_details(payload_store, tmp_path):
    """The detail screen of each customer (one app run): name, industry, notes, history,
    opportunities; every field of the action payloads clicked."""
    from tuicrm.ui.app import make_app
    from tuicrm.ui.screens.customer_detail import CustomerDetailScreen

    app = make_app(payload_store, DEFAULT)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        for i in range(1, len(PAYLOADS) + 1):
            for _ in range(3):  # back from the previous customer's detail
                if not isinstance(app.screen, CustomerDetailScreen):
                    break
                await pilot.press("escape")
                await settle(pilot, 1)
            app.open_customer(i)
            await settle(pilot)
            assert isinstance(app.screen, CustomerDetailScreen)
            lines = assert_inert(app, f"detail {i}")
            text = "\n".join(lines)
            for prefix in PREFIXES:
                assert shown(prefix, i) in text, (i, prefix, shown(prefix, i))
            # Every kind of field of this payload is on the detail (and is clicked below).
            assert {(p, i) for p in PREFIXES} <= {(p, n) for p, n, _x, _y in tags_on_screen(lines)}
            if i not in ACTION_PAYLOADS:
                continue

            async def stay_on_detail(i=i):
                if not isinstance(app.screen, CustomerDetailScreen):
                    for _ in range(3):
                        await pilot.press("escape")
                        await settle(pilot)
                        if isinstance(app.screen, CustomerDetailScreen):
                            return
                    app.open_customer(i)
                    await settle(pilot)

            clicks = await click_every_payload(pilot, f"detail {i}", stay_on_detail)
            assert clicks >= len(PREFIXES)
            assert app.is_running and app.return_code is None
    assert not list(tmp_path.glob("*.svg"))  # app.screenshot never ran


async def test_payloads_in_the_contact_picker_are_literal_and_inert(payload_store):
    """Contact names and the customer's name in the picker's title (C on the detail)."""
    from sqlmodel import select

    from tuicrm.models import Customer
    from tuicrm.store.customers import create_contact
    from tuicrm.ui.app import make_app
    from tuicrm.ui.widgets.contact_picker import ContactPicker

    store = payload_store
    with store.write("payload contacts") as s:
        first = s.exec(select(Customer).where(Customer.name.startswith("P01 "))).one()
        for i in sorted(ACTION_PAYLOADS):
            create_contact(s, first, f"P{i:02d} {PAYLOADS[i - 1]}", title=f"I{i:02d} {PAYLOADS[i - 1]}")
    app = make_app(store, DEFAULT)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_customer(first.id)
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        assert isinstance(app.screen, ContactPicker)
        dialog = app.screen.query_one("#dialog").region
        lines = assert_inert(app, "contact picker", dialog)
        title = next(line for line in lines if "Contacts of" in line)
        assert shown("P", 1)[:20] in title  # the customer's name, as typed, in the border title
        tags = {(p, i) for p, i, x, y in tags_on_screen(lines) if dialog.contains(x, y)}
        assert {("P", i) for i in ACTION_PAYLOADS} <= tags and {("I", i) for i in ACTION_PAYLOADS} <= tags

        async def back_to_picker():
            if not isinstance(app.screen, ContactPicker):
                await pilot.press("escape")  # the contact form a click opened
                await settle(pilot, 1)
            if not isinstance(app.screen, ContactPicker):
                await pilot.press("C")
                await settle(pilot, 1)

        clicks = await click_every_payload(pilot, "contact picker", back_to_picker)
        assert clicks >= len(ACTION_PAYLOADS)
        assert app.is_running
