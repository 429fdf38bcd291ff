"""Tier board (SPEC §5, §7): moving a card assesses the customer, exactly once; cancel writes nothing.

The screen runs inside a tiny host app here, so these tests do not depend on the app shell.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import func, select
from support import Host, screen_text
from textual.widgets import Input, Static

from tuicrm.config import DEFAULT, Config
from tuicrm.models import Customer, TierAssessment
from tuicrm.store import Store
from tuicrm.store.customers import create_customer
from tuicrm.store.followups import log_follow_up
from tuicrm.store.tiers import assess_customer
from tuicrm.ui.screens import tiers as tiers_module
from tuicrm.ui.screens.tiers import TierBoardScreen
from tuicrm.ui.widgets import board as board_module
from tuicrm.ui.widgets.assessment_form import AssessmentForm, prefill_scores, tier_total_range

SIZES = [(80, 24), (120, 40)]
MARKUP_NAME = "[@click=app.quit]x[/]"


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("TUICRM_NOW", "2026-11-22T09:00")
    s = Store.open(str(tmp_path / "crm.db"))
    yield s
    s.dispose()


def fill(store: Store) -> dict[str, int]:
    ids = {}
    with store.write("fixture") as s:
        a = create_customer(s, "Acme Trading")
        assess_customer(s, DEFAULT, a, 8, 9, basis="big buyer")  # 17 → A
        b = create_customer(s, "Beijing Huaxin")
        assess_customer(s, DEFAULT, b, 6, 6)  # 12 → B
        log_follow_up(s, DEFAULT, b, "called", next_on=date(2026, 11, 19))
        c = create_customer(s, "Cyberdyne")
        assess_customer(s, DEFAULT, c, 3, 4)  # 7 → C
        d = create_customer(s, MARKUP_NAME)  # never assessed → D
        ids.update(a=a.id, b=b.id, c=c.id, d=d.id)
    return ids


def assessments(store: Store, customer_id: int | None = None) -> int:
    with store.read() as s:
        q = select(func.count()).select_from(TierAssessment)
        if customer_id is not None:
            q = q.where(TierAssessment.customer_id == customer_id)
        return s.exec(q).one()


def tier_of(store: Store, customer_id: int) -> str:
    with store.read() as s:
        return s.get(Customer, customer_id).tier


async def loaded(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def open_board(pilot) -> TierBoardScreen:
    await loaded(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, TierBoardScreen)
    return screen


async def type_score(pilot, selector: str, value: str) -> None:
    form = pilot.app.screen
    form.query_one(selector, Input).focus()
    await pilot.pause()
    await pilot.press("end", "backspace", "backspace", "backspace", *value)


# --- pure helpers ---------------------------------------------------------------------------


def test_template_examples_and_prefill_ranges():
    from tuicrm.domain.tiers import assess

    assert assess(8, 9, DEFAULT)[:2] == (17, "A")
    assert assess(5, 6, DEFAULT)[:2] == (11, "B")
    for tier in "ABC":
        low, high = tier_total_range(tier, DEFAULT)
        for previous in (None, (1, 1), (10, 10), (6, 6), (8, 7), (3, 4)):
            p, w = prefill_scores(tier, previous, DEFAULT)
            assert low <= p + w <= high, (tier, previous, p, w)
            assert assess(p, w, DEFAULT)[1] == tier
    assert prefill_scores("A", None, DEFAULT) == (8, 9)
    # Thresholds come from the config, not the code.
    strict = Config(tier_a_min=18, tier_b_min=12)
    assert tier_total_range("A", strict) == (18, 20)
    assert sum(prefill_scores("B", (9, 9), strict)) == 17


# --- board ----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_columns_show_cards_counts_and_markers(store, size):
    ids = fill(store)
    app = Host(lambda: TierBoardScreen(store, DEFAULT))
    async with app.run_test(size=size) as pilot:
        screen = await open_board(pilot)
        board = screen.board
        assert board.find(f"c{ids['a']}") == "A"
        assert board.find(f"c{ids['b']}") == "B"
        assert board.find(f"c{ids['c']}") == "C"
        assert board.find(f"c{ids['d']}") == "D"
        header = board.column("A").query_one(".board-header", Static).render().plain
        assert header.startswith("A · 1")
        text = screen_text(app)
        # Shown literally (cut with an ellipsis where the column is narrow), never run as markup.
        assert "[@click=app.quit" in text
        if size[0] >= 120:
            assert MARKUP_NAME in text
        prompt = screen.board.column("D").cards.get_option(f"c{ids['d']}").prompt
        assert prompt.plain.splitlines()[0] == MARKUP_NAME
        assert "! 3 days overdue" in text  # overdue in words, not colour alone


@pytest.mark.parametrize("size", SIZES)
async def test_moving_a_card_writes_one_assessment_and_lands_in_the_derived_tier(store, size):
    ids = fill(store)
    app = Host(lambda: TierBoardScreen(store, DEFAULT))
    async with app.run_test(size=size) as pilot:
        screen = await open_board(pilot)
        assert screen.board.focus_card(f"c{ids['b']}")
        await pilot.pause()
        before = assessments(store)
        await pilot.press("greater_than_sign")  # B → C
        await pilot.pause()
        form = app.screen
        assert isinstance(form, AssessmentForm)
        p = int(form.query_one("#potential", Input).value)
        w = int(form.query_one("#willingness", Input).value)
        low, high = tier_total_range("C", DEFAULT)
        assert low <= p + w <= high  # prefilled to land in the target tier
        assert "tier C" in form.query_one("#result", Static).render().plain
        await pilot.press("enter")
        await loaded(pilot)
        assert app.screen is screen
        assert assessments(store) == before + 1
        assert assessments(store, ids["b"]) == 2
        assert tier_of(store, ids["b"]) == "C"
        assert screen.board.find(f"c{ids['b']}") == "C"
        assert screen.board.selection() == ("C", f"c{ids['b']}")


@pytest.mark.parametrize("size", SIZES)
async def test_scores_decide_the_tier_live_template_examples(store, size):
    ids = fill(store)
    app = Host(lambda: TierBoardScreen(store, DEFAULT))
    async with app.run_test(size=size) as pilot:
        screen = await open_board(pilot)
        screen.board.focus_card(f"c{ids['d']}")
        await pilot.pause()
        await pilot.press("m")  # pick a target tier
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, AssessmentForm)
        await type_score(pilot, "#potential", "5")
        await type_score(pilot, "#willingness", "6")
        result = form.query_one("#result", Static).render().plain
        assert "= 11 → tier B" in result
        assert "lands in B, not A" in result  # the rep sees the card will not reach A
        await type_score(pilot, "#potential", "8")
        await type_score(pilot, "#willingness", "9")
        assert "= 17 → tier A" in form.query_one("#result", Static).render().plain
        form.query_one("#basis", Input).focus()
        await pilot.press(*"annual purchase > 1M")
        await pilot.press("ctrl+s")
        await loaded(pilot)
        with store.read() as s:
            rows = list(s.exec(select(TierAssessment).where(TierAssessment.customer_id == ids["d"])))
        assert [(r.potential, r.willingness, r.total, r.tier, r.basis) for r in rows] == [
            (8, 9, 17, "A", "annual purchase > 1M")
        ]
        assert screen.board.find(f"c{ids['d']}") == "A"


@pytest.mark.parametrize("size", SIZES)
async def test_cancel_writes_nothing(store, size):
    ids = fill(store)
    app = Host(lambda: TierBoardScreen(store, DEFAULT))
    async with app.run_test(size=size) as pilot:
        screen = await open_board(pilot)
        screen.board.focus_card(f"c{ids['a']}")
        await pilot.pause()
        before = assessments(store)
        await pilot.press("shift+right")
        await pilot.pause()
        assert isinstance(app.screen, AssessmentForm)
        await pilot.press("escape")
        await loaded(pilot)
        assert app.screen is screen
        assert assessments(store) == before
        assert tier_of(store, ids["a"]) == "A"
        assert screen.board.find(f"c{ids['a']}") == "A"


async def test_invalid_scores_are_refused(store):
    ids = fill(store)
    app = Host(lambda: TierBoardScreen(store, DEFAULT))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(pilot)
        screen.board.focus_card(f"c{ids['c']}")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, AssessmentForm)
        await type_score(pilot, "#potential", "11")
        assert "from 1 to 10" in form.query_one("#potential-error", Static).render().plain
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form  # refused, still open
        assert "Not saved" in form.query_one("#form-error", Static).render().plain
        assert assessments(store, ids["c"]) == 1
        await pilot.press("escape")
        await pilot.pause()
        assert assessments(store, ids["c"]) == 1


async def test_moving_to_d_is_refused_without_a_form(store):
    ids = fill(store)
    app = Host(lambda: TierBoardScreen(store, DEFAULT))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(pilot)
        screen.board.focus_card(f"c{ids['c']}")
        await pilot.pause()
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert app.screen is screen
        assert assessments(store, ids["c"]) == 1


async def test_keyboard_navigation_between_columns(store):
    ids = fill(store)
    app = Host(lambda: TierBoardScreen(store, DEFAULT))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(pilot)
        screen.board.focus_card(f"c{ids['a']}")
        await pilot.pause()
        await pilot.press("l")
        assert screen.board.selection() == ("B", f"c{ids['b']}")
        await pilot.press("right", "right")
        assert screen.board.selection() == ("D", f"c{ids['d']}")
        await pilot.press("h", "left")
        assert screen.board.selection() == ("B", f"c{ids['b']}")


@pytest.mark.parametrize("size", SIZES)
async def test_markup_name_is_literal_and_clicking_it_keeps_running(store, monkeypatch, size):
    ids = fill(store)
    app = Host(lambda: TierBoardScreen(store, DEFAULT))
    async with app.run_test(size=size) as pilot:
        screen = await open_board(pilot)
        assert "[@click=app.quit" in screen_text(app)
        await pilot.click("#list-D", offset=(2, 0))
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert app.screen is screen
        assert app.opened == [ids["d"]]
        await pilot.press("enter")
        assert app.opened == [ids["d"], ids["d"]]


async def test_large_tier_shows_count_and_more(store, monkeypatch):
    """Cards are built a page at a time (here 2, the next when 1 from the end); a reload that
    brings the same cards keeps the options as they are."""
    monkeypatch.setattr(board_module, "PAGE", 2)
    monkeypatch.setattr(board_module, "NEAR_END", 1)
    with store.write("bulk") as s:
        for i in range(12):
            create_customer(s, f"Customer {i:02d}")
    app = Host(lambda: TierBoardScreen(store, DEFAULT, limit=5))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(pilot)
        column = screen.board.column("D")
        assert column.query_one(".board-header", Static).render().plain.startswith("D · 12")
        assert len(column.card_ids()) == 5
        assert [o.id for o in column.cards.options] == column.card_ids()[:2]
        await pilot.press("j")  # one from the end of what is built: the next page
        assert [o.id for o in column.cards.options] == column.card_ids()[:3]
        await pilot.press("end")
        assert [o.id for o in column.cards.options][:-1] == column.card_ids()
        assert column.cards.options[-1].prompt.plain == "+7 more not shown"
        assert column.selected_id == column.card_ids()[-1]
        first = column.cards.options[0]
        screen.reload()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert column.cards.options[0] is first  # the same cards: not rebuilt
        assert column.selected_id == column.card_ids()[-1]


async def test_a_failed_load_is_reported_and_the_app_keeps_running(store, monkeypatch):
    fill(store)

    def broken(*args, **kwargs):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(tiers_module, "tier_board", broken)
    app = Host(lambda: TierBoardScreen(store, DEFAULT))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert app.is_running
        assert "could not load: database is locked (r retries)" in screen_text(app)


async def test_data_changed_elsewhere_reloads_the_board(store):
    """The app shell posts ``DataChanged`` after an undo or a form saved on another screen."""
    ids = fill(store)
    app = Host(lambda: TierBoardScreen(store, DEFAULT))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(pilot)
        with store.write("assess from the CLI") as s:
            from tuicrm.store.customers import get_customer

            assess_customer(s, DEFAULT, get_customer(s, ids["c"]), 9, 9)
        from textual.message import Message

        class DataChanged(Message):  # same handler name as tuicrm.ui.messages.DataChanged
            pass

        screen.post_message(DataChanged())
        await loaded(pilot)
        assert screen.board.find(f"c{ids['c']}") == "A"


async def test_in_the_app_shell(store):
    """Keys 3 and ``a`` through the real app, when the app shell is there."""
    app_module = pytest.importorskip("tuicrm.ui.app")
    ids = fill(store)
    app = app_module.make_app(store, DEFAULT)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("3")
        screen = await open_board(pilot)
        screen.board.focus_card(f"c{ids['c']}")
        await pilot.pause()
        await pilot.press("less_than_sign")  # C → B
        await pilot.pause()
        assert isinstance(app.screen, AssessmentForm)
        await pilot.press("enter")
        await loaded(pilot)
        assert tier_of(store, ids["c"]) == "B"
        assert screen.board.find(f"c{ids['c']}") == "B"


async def test_form_as_the_detail_screen_opens_it(store):
    """``AssessmentForm(store, config, customer_id)``: no target, the last scores prefilled; a
    customer that is gone closes the form with a message instead of crashing."""
    ids = fill(store)
    results = []
    app = Host(lambda: TierBoardScreen(store, DEFAULT))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(pilot)
        app.push_screen(AssessmentForm(store, DEFAULT, ids["b"]), results.append)
        await pilot.pause()
        form = app.screen
        assert (form.query_one("#potential", Input).value, form.query_one("#willingness", Input).value) == (
            "6",
            "6",
        )
        assert "= 12 → tier B" in form.query_one("#result", Static).render().plain
        await pilot.press("escape")
        await pilot.pause()
        app.push_screen(AssessmentForm(store, DEFAULT, 9999), results.append)
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(app.screen, AssessmentForm)
        assert app.is_running
        assert results == [False, False]
        assert assessments(store) == 3
