"""Textual couplings (``tuicrm.ui.textual_compat``): the timer fix on a fake clock (no real waiting), the input, the scrollbars, key names, crash output."""

from __future__ import annotations

import asyncio
import functools
from types import SimpleNamespace

import pytest
import textual
from rich.console import Console
from textual import _time
from textual import timer as timer_module
from textual._context import active_app
from textual.timer import Timer

from tuicrm.ui import textual_compat


class Target:  # a timer holds a weak reference to what it ticks for
    pass


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    async def sleep(self, secs: float) -> None:
        self.now += max(0.0, secs)
        await asyncio.sleep(0)


async def tick_times(
    monkeypatch, run, *, interval: float, idle_until: float, ticks_after_idle: int
) -> list[float]:
    """Ticks of a timer that ticks once, sits paused until ``idle_until``, then runs on."""
    clock = FakeClock()
    monkeypatch.setattr(_time, "get_time", lambda: clock.now)
    monkeypatch.setattr(timer_module, "sleep", clock.sleep)
    monkeypatch.setattr(Timer, "_run", run)
    errors: list[BaseException] = []
    token = active_app.set(
        SimpleNamespace(_exit=False, features=frozenset(), _handle_exception=errors.append)
    )
    try:
        return await _run_ticks(clock, interval, idle_until, ticks_after_idle, errors)
    finally:
        active_app.reset(token)


async def _run_ticks(
    clock: FakeClock, interval: float, idle_until: float, ticks_after_idle: int, errors: list[BaseException]
) -> list[float]:
    ticks: list[float] = []
    done = asyncio.Event()

    def tick() -> None:
        ticks.append(round(clock.now, 6))
        if len(ticks) == 1:
            timer.pause()  # the screen's refresh timer pauses itself after each frame
        elif len(ticks) == 1 + ticks_after_idle:
            timer.pause()
            done.set()

    target = Target()
    timer = Timer(target, interval, callback=tick, pause=True)
    timer._start()
    timer.resume()
    for _ in range(100):
        await asyncio.sleep(0)
        if ticks:
            break
    for _ in range(10):  # the loop now waits on the paused timer
        await asyncio.sleep(0)
    clock.now = idle_until
    timer.resume()
    await asyncio.wait_for(done.wait(), 5)
    timer.stop()
    assert not errors
    return ticks


@pytest.mark.parametrize(
    ("interval", "idle_until", "expected"),
    [
        (1.0, 3.5, [1.0, 3.5, 4.0, 5.0]),  # after the tick at 3.5, the next grid point is 4, not 5
        (1.0, 7.25, [1.0, 7.25, 8.0, 9.0]),
        (0.5, 2.0, [0.5, 2.0, 2.5, 3.0]),  # resumed exactly on a grid point
    ],
)
async def test_after_an_idle_tick_the_next_comes_on_the_next_grid_point(
    monkeypatch, interval, idle_until, expected
):
    ticks = await tick_times(
        monkeypatch, textual_compat._run, interval=interval, idle_until=idle_until, ticks_after_idle=3
    )
    assert ticks == expected


async def test_textuals_own_timer_skips_one_tick_too_far(monkeypatch):
    """What the fix is for: Textual 8.2.8 puts the tick after 3.5 at 5, a whole interval late."""
    ticks = await tick_times(
        monkeypatch, textual_compat._original_run, interval=1.0, idle_until=3.5, ticks_after_idle=2
    )
    assert ticks == [1.0, 3.5, 5.0]


def test_the_fix_is_installed_for_the_checked_textual_only(monkeypatch):
    monkeypatch.setattr(Timer, "_run", textual_compat._original_run)
    assert textual.__version__ == textual_compat.CHECKED_WITH  # pinned in pyproject.toml
    assert textual_compat.install() is True and Timer._run is textual_compat._run
    monkeypatch.setattr(Timer, "_run", textual_compat._original_run)
    monkeypatch.setattr(textual, "__version__", "9.0.0", raising=False)
    assert textual_compat.install() is False and Timer._run is textual_compat._original_run


def test_the_app_factory_installs_it(monkeypatch, tmp_path):
    from tuicrm.config import load_config
    from tuicrm.store import Store
    from tuicrm.ui.app import make_app

    monkeypatch.setattr(Timer, "_run", textual_compat._original_run)
    store = Store.open(str(tmp_path / "t.db"))
    make_app(store, load_config())
    assert Timer._run is textual_compat._run


def test_crash_output_has_no_local_variables(tmp_path):
    from tuicrm.config import DEFAULT
    from tuicrm.store import Store
    from tuicrm.ui.app import make_app

    store = Store.open(str(tmp_path / "t.db"))
    app = make_app(store, DEFAULT)

    def handler():
        # Built at run time so only a printed local (not the source line) could show it.
        customer_phone = "-".join(["SECRET", "1381234" + "5678"])  # noqa: F841
        raise RuntimeError("boom")

    try:
        handler()
    except RuntimeError:
        app._fatal_error()
    console = Console(record=True, width=120, color_system=None)
    for renderable in app.exit_renderables():
        console.print(renderable)
    text = console.export_text()
    assert "RuntimeError" in text and "boom" in text
    assert "SECRET-13812345678" not in text
    assert "every saved change is in the database" in text
    store.dispose()


def test_character_to_key():
    assert textual_compat.character_to_key("?") == "question_mark"
    assert textual_compat.character_to_key("a") == "a"
    assert textual_compat.character_to_key("/") == "slash"


async def test_update_scrollbars_sets_the_virtual_size_without_a_layout():
    from textual.app import App, ComposeResult
    from textual.geometry import Size
    from textual.scroll_view import ScrollView

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield ScrollView()

    app = Host()
    async with app.run_test(size=(40, 12)) as pilot:
        view = app.query_one(ScrollView)
        textual_compat.update_scrollbars(view, Size(40, 100))
        await pilot.pause()
        assert view.virtual_size == Size(40, 100)
        assert view.max_scroll_y > 0 and view.show_vertical_scrollbar
        textual_compat.update_scrollbars(view, Size(40, 5))
        await pilot.pause()
        assert view.max_scroll_y == 0 and not view.show_vertical_scrollbar


async def test_stable_width_input_keeps_its_width_and_its_events():
    from textual.app import App, ComposeResult
    from textual.widgets import Input

    changes: list[str] = []

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield textual_compat.StableWidthInput(id="i")

        def on_input_changed(self, event: Input.Changed) -> None:
            changes.append(event.value)

    app = Host()
    async with app.run_test(size=(30, 5)) as pilot:
        field = app.query_one("#i", Input)
        field.focus()
        await pilot.press(*"a long text wider than the field")
        await pilot.pause()
        assert field.value == "a long text wider than the field"
        assert changes[-1] == field.value and len(changes) == len(field.value)
        assert field.virtual_size.width >= len(field.value) and field.scroll_x > 0


async def test_a_kept_screen_comes_back_without_restyling_and_the_footer_is_not_recomposed(
    monkeypatch,
):
    """Switching back to a kept screen: no CSS refresh, no restyle of its widgets, the footer's
    keys as they were; a theme change still restyles it."""
    from textual.app import App
    from textual.screen import Screen
    from textual.widgets import Static
    from textual.widgets._footer import FooterKey

    from tuicrm.ui.widgets.key_footer import KeyFooter

    class Kept(textual_compat.KeptStylesScreen):
        BINDINGS = [("x", "bell", "Ring")]

        def compose(self):
            yield Static("kept")
            yield KeyFooter()

    class Other(Screen[None]):
        def compose(self):
            yield Static("other")

    class Modes(App[None]):
        MODES = {"kept": Kept, "other": Other}  # noqa: RUF012

        def on_mount(self) -> None:
            self.switch_mode("other")

    refreshed: list[str] = []
    restyled: list[str] = []
    original_refresh, original_update = App.refresh_css, App.update_styles
    monkeypatch.setattr(
        App,
        "refresh_css",
        lambda app, animate=True: (refreshed.append("css"), original_refresh(app, animate)),
    )
    monkeypatch.setattr(
        App,
        "update_styles",
        lambda app, node, animate=True: (
            restyled.append(type(node).__name__),
            original_update(app, node, animate),
        ),
    )
    app = Modes()
    async with app.run_test(size=(60, 10)) as pilot:
        for mode in ("kept", "other"):
            app.switch_mode(mode)
            await pilot.pause()
        keys = list(app.get_screen_stack("kept")[0].query(FooterKey))
        assert [k.description for k in keys] == ["Ring", "palette"]
        refreshed.clear()
        restyled.clear()
        app.switch_mode("kept")
        await pilot.pause()
        assert refreshed == [] and "Kept" not in restyled
        assert list(app.screen.query(FooterKey)) == keys  # the same widgets: not recomposed
        app.switch_mode("other")
        await pilot.pause()
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        refreshed.clear()
        app.switch_mode("kept")
        await pilot.pause()
        assert refreshed == ["css"]  # the stylesheet changed meanwhile: Textual refreshes it


# -- the parameter count's cache -------------------------------------------------------------------


def _closures() -> list[object]:
    def make(n: int) -> object:
        if n:
            return lambda a, b: a + b + n

        def one(a):  # another code object: its own count
            return a

        return one

    return [make(1), make(2), make(0)]


class _CallMe:
    def __call__(self, a, b, *args, **kwargs):
        return a


class _Plain:
    def method(self, a):
        return a


def _wrapper(func):

    @functools.wraps(func)
    def inner(*args, **kwargs):
        return func(*args, **kwargs)

    return inner


def _three(a, b, c):
    return a


@pytest.mark.parametrize(
    "func",
    [*_closures(), _CallMe(), _Plain().method.__func__, _wrapper(_three), _three, len, print, _Plain],
)
def test_the_parameter_count_is_textuals(func):
    """The same count as Textual's ``inspect.signature`` for closures, callable objects, wrapped
    functions, builtins and classes, the first time and from the cache."""
    expected = textual_compat._original_count_parameters(func)
    assert textual_compat._count_parameters(func) == expected
    assert textual_compat._count_parameters(func) == expected


def test_the_cache_is_per_code_object_or_class_and_skips_what_signature_looks_through():
    one, two, other = _closures()
    assert textual_compat._cache_key(one) is textual_compat._cache_key(two) is one.__code__
    assert textual_compat._cache_key(other) is other.__code__
    assert textual_compat._cache_key(_CallMe()) is _CallMe
    for uncached in (_wrapper(_three), len, _Plain):
        assert textual_compat._cache_key(uncached) is None


@pytest.mark.parametrize(
    ("screen_count", "app_count", "restyled"),
    [(-1, 5, True), (5, 5, False), (3, 5, True)],  # first shown · unchanged · a theme since
)
def test_a_kept_screen_is_restyled_only_when_the_css_changed_and_then_counts_as_current(
    screen_count, app_count, restyled
):
    screen = SimpleNamespace(_css_update_count=screen_count, app=SimpleNamespace(_css_update_count=app_count))
    event = SimpleNamespace(refresh_styles=True)
    textual_compat.keep_styles_on_resume(screen, event)  # type: ignore[arg-type]
    assert event.refresh_styles is restyled and screen._css_update_count == app_count


async def test_no_screen_counts_as_visible_under_an_opaque_one():
    from textual.screen import ModalScreen, Screen
    from textual.widgets import Static

    class Below(Screen):
        def compose(self):
            yield Static("below")

    class Dialog(ModalScreen):  # Textual's default: a see-through backdrop
        DEFAULT_CSS = "Dialog Static { dock: bottom; }"

        def compose(self):
            yield Static("dialog")

    class Opaque(ModalScreen):
        DEFAULT_CSS = "Opaque { background: $background; } Opaque Static { dock: bottom; }"

        def compose(self):
            yield Static("opaque")

    class Probe(textual_compat.NothingBelowOpaque):
        def on_mount(self):
            self.push_screen(Below())

    app = Probe()
    async with app.run_test(size=(40, 10)) as pilot:
        below = app.screen
        await app.push_screen(Dialog())
        await pilot.pause()
        assert below.is_current and app._background_screens == [below]
        assert "below" in app.export_screenshot()
        app.pop_screen()
        await app.push_screen(Opaque())
        await pilot.pause()
        assert not below.is_current and app._background_screens == []
        assert "opaque" in app.export_screenshot() and "below" not in app.export_screenshot()


async def test_an_option_list_measures_its_lines_again_only_when_its_width_changes():
    from textual.app import App
    from textual.widgets.option_list import Option

    class Lists(App):
        CSS = "OptionList { height: 1fr; }"  # as a board's column: its height follows the terminal's

        def compose(self):
            yield textual_compat.LinesKeptOptionList(
                *(Option(f"card {n} " + "word " * 8) for n in range(5)), markup=False
            )

    app = Lists()
    async with app.run_test(size=(40, 30)) as pilot:  # no scrollbar: the width is the list's
        options = app.query_one(textual_compat.LinesKeptOptionList)
        await pilot.pause()
        clears = []
        original = options._clear_caches
        options._clear_caches = lambda: (clears.append(options.size.width), original())
        wide = options._line_cache.heights[0]
        await pilot.resize_terminal(40, 34)  # taller only: the lines stand
        await pilot.pause()
        assert clears == [] and options._line_cache.heights[0] == wide
        await pilot.resize_terminal(24, 34)  # narrower: the cards wrap onto more lines
        await pilot.pause()
        assert len(clears) == 1 and options._line_cache.heights[0] > wide


def _modes_app(base):
    """An app with a kept mode and one built on its first switch; records each frame handed to
    the terminal: (screen, whether its label is mounted)."""
    from textual.app import App
    from textual.screen import Screen
    from textual.widgets import Static

    class Page(Screen):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

        def compose(self):
            yield Static(self.text)

    class Modes(base):
        MODES = {"a": lambda: Page("page a"), "b": lambda: Page("page b")}
        frames: list

        def on_mount(self):
            self.frames = []
            self.switch_mode("a")

        def _display(self, screen, renderable):
            if renderable is not None and not self._batch_count:
                self.frames.append((screen, bool(screen.query(Static))))
            return App._display(self, screen, renderable)

    return Modes()


@pytest.mark.parametrize("shown_at_once", [True, False])
async def test_a_mode_switch_reaches_the_terminal_at_once_composed(shown_at_once):
    from textual.app import App

    app = _modes_app(textual_compat.ShownAtOnceModes if shown_at_once else App)
    async with app.run_test(size=(30, 6)) as pilot:
        await pilot.pause()
        for mode in ("b", "a", "b"):  # a first visit (b), then kept screens
            app.frames.clear()
            switching = app.switch_mode(mode)
            masked = app._batch_count > 0  # frames held back from here (Textual's delay_update)
            await switching
            shown = app.screen
            await pilot.pause()
            drawn = [composed for screen, composed in app.frames if screen is shown]
            if shown_at_once:
                # Never held back; its first frame is out, and it already has the page's widgets.
                assert not masked and drawn and drawn[0] is True and app._batch_count == 0, mode
                assert shown.text == f"page {mode}"
            else:  # Textual's own switch holds every frame back for 50 ms (why the mixin exists)
                assert masked, mode


async def test_an_unknown_mode_is_still_refused_without_a_mask_left():
    from textual.app import UnknownModeError

    app = _modes_app(textual_compat.ShownAtOnceModes)
    async with app.run_test(size=(30, 6)) as pilot:
        await pilot.pause()
        with pytest.raises(UnknownModeError):
            app.switch_mode("nowhere")
        assert app._switch_unmasked is False  # Textual's own delays (none of ours) still apply
        await app.switch_mode("b")
        assert app.screen.text == "page b"


async def test_an_option_list_draws_its_empty_lines_as_textuals_does():
    from textual.app import App
    from textual.containers import Horizontal
    from textual.geometry import Region
    from textual.widgets import OptionList
    from textual.widgets.option_list import Option

    def options():
        return [Option("card one"), None, Option("card two", disabled=True), Option("card three")]

    class Lists(App):
        CSS = """
        OptionList { width: 1fr; height: 1fr; }
        OptionList > .option-list--option { background: $error 30%; }
        """

        def compose(self):
            with Horizontal():
                yield OptionList(*options(), id="textual")
                yield textual_compat.LinesKeptOptionList(*options(), id="kept")

    app = Lists()
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        theirs, ours = app.query_one("#textual", OptionList), app.query_one("#kept", OptionList)
        app.set_focus(None)  # both drawn alike: neither focused
        for highlighted in (0, 3):
            theirs.highlighted = ours.highlighted = highlighted
            await pilot.pause()
            crop = Region(0, 0, ours.size.width, ours.size.height)
            drawn = [list(strip) for strip in ours.render_lines(crop)]
            assert drawn == [list(strip) for strip in theirs.render_lines(crop)]
            assert len(ours._line_cache.lines) < len(drawn) - 3  # empty lines under the options
        theirs.clear_options()
        ours.clear_options()  # an empty column, as a board's before its cards arrive
        await pilot.pause()
        crop = Region(0, 0, ours.size.width, ours.size.height)
        assert [list(s) for s in ours.render_lines(crop)] == [list(s) for s in theirs.render_lines(crop)]


def test_the_output_thread_outlives_a_terminal_gone_away():
    """After the terminal hung up, writes fail: the app must still write on and stop (a full
    queue with no thread draining it hung the app for ever on SIGHUP over SSH)."""
    import threading

    class HungUp:
        written: list[str] = []

        def write(self, text: str) -> None:
            if len(self.written) >= 3:
                raise OSError(5, "Input/output error")
            self.written.append(text)

        def flush(self) -> None:
            pass

    assert textual_compat.install()
    from textual.drivers import linux_driver

    assert linux_driver.WriterThread is textual_compat.HangUpSafeWriter
    file = HungUp()
    writer = textual_compat.HangUpSafeWriter(file)  # type: ignore[arg-type]
    writer.start()
    done = threading.Event()

    def write_then_stop() -> None:
        for n in range(200):  # far more than the queue holds (30)
            writer.write(f"frame {n}")
        writer.stop()
        done.set()

    threading.Thread(target=write_then_stop, daemon=True).start()
    assert done.wait(10), "the app hung writing to a terminal that is gone"
    assert not writer.is_alive() and file.written == ["frame 0", "frame 1", "frame 2"]
