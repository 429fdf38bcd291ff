"""Every use of Textual's private names in tuicrm, in one place (pinned: Textual 8.2.8).

A Textual upgrade reads this module and its tests (``tests/ui/test_textual_compat.py``) first;
nothing else in ``src/tuicrm`` touches a Textual name that starts with an underscore.

* ``install()``: the timer fix, the callback parameter count's cache (below) and
  ``HangUpSafeWriter`` (an output thread that outlives a terminal gone away: ``_queue``,
  ``_file``), installed by the app factory for the checked version only.
* ``InOrderInput``: an ``Input`` that takes a burst of keys in order (public API only: below).
* ``StableWidthInput``: an ``InOrderInput`` whose typing never re-lays out the screen (``_watch_value``).
* ``update_scrollbars(view, size)``: a ``ScrollView``'s new virtual size without a layout
  (``_scroll_update``).
* ``character_to_key(char)``: Textual's key name of a printable character (``_character_to_key``).
* ``KeptStylesScreen``: a ``Screen`` that, coming back with the stylesheet unchanged, keeps its
  widgets' styles instead of re-applying the stylesheet to all of them (``_on_screen_resume``,
  ``_css_update_count``); ``keep_styles_on_resume`` does it for another kept screen (the log form).
* ``styled_as_built(screen, app)``: a screen built for a new mode counts as styled with the current
  stylesheet, so its first switch does not re-parse and re-apply the whole app's CSS
  (``_css_update_count``).
* ``on_a_stack(app, screen)``: the screen is on the screen stack of some mode, shown or under
  another screen (``_screen_stacks``).
* ``CrashWithoutLocals``: an ``App`` mixin printing a crash's traceback without local variables
  (``_fatal_error``, ``_exit_renderables``, ``_close_messages_no_wait``).
* ``LinesKeptOptionList``: an ``OptionList`` that keeps its measured lines through a resize that
  leaves its width as it was (``_on_resize``, ``_update_lines``).
* ``NothingBelowOpaque``: an ``App`` mixin under which no screen counts as visible below an opaque
  top screen (``_background_screens``).
* ``ShownAtOnceModes``: an ``App`` mixin whose mode switches reach the terminal at once, without
  Textual's 50 ms mask (``delay_update`` is public, its use in ``switch_mode`` is not);
  ``build_mode`` composes a mode's screen before its first visit (``_modes``, ``_screen_stacks``,
  ``_get_screen``, ``_load_screen_css``).

The timer fix: Textual 8's ``Timer._run`` skips the ticks whose time has passed one tick too far:
after a tick that followed an idle spell, the next one comes 1-2 intervals later instead of at the
next point of the interval grid. The screen's refresh is such a timer (60 a second), so a change
that arrives a few milliseconds after a frame (search results from the reader thread, a window of
rows after a page down) waited 17-33 ms for its frame instead of up to 17 ms. The replacement is
8.2.8's ``Timer._run`` (MIT licence, Textualize) with that one line fixed (and a zero interval,
which has nothing to skip, no longer divides by zero). Another Textual version is left as it is.
"""

from __future__ import annotations

from types import CodeType, FunctionType
from typing import Any

from textual import _callback, _time, events
from textual import timer as _timer
from textual.app import App
from textual.drivers._writer_thread import WriterThread
from textual.geometry import Region, Size
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import EventTargetGone, Timer
from textual.widget import AwaitMount, Widget
from textual.widgets import Input, OptionList

CHECKED_WITH = "8.2.8"
_original_run = Timer._run


# -- the timer fix -------------------------------------------------------------------------------


async def _run(self: Timer) -> None:
    """Run the timer (Textual 8.2.8's ``Timer._run``, with the skip landing on the next tick)."""
    count = 0
    _repeat = self._repeat
    _interval = self._interval
    self._active  # noqa: B018 (creates the Event in this thread, as Textual does)
    await self._active.wait()
    start = _time.get_time()

    while _repeat is None or count <= _repeat:
        next_timer = start + ((count + 1) * _interval)
        now = _time.get_time()
        if self._skip and _interval > 0 and next_timer < now:
            # The next tick is the first one still ahead (8.2.8 adds 1 here: one tick too far).
            count = max(count + 1, int((now - start) / _interval))
            continue
        now = _time.get_time()
        wait_time = max(0, next_timer - now)
        await vars(_timer)["sleep"](wait_time)  # looked up each time, as Textual does (tests patch it)
        count += 1
        await self._active.wait()
        if self._reset:
            start = _time.get_time()
            count = 0
            self._reset = False
            continue
        try:
            await self._tick(next_timer=next_timer, count=count)
        except EventTargetGone:
            break


# -- the callback parameter count ----------------------------------------------------------------

_original_count_parameters = _callback._count_parameters
_PARAMETER_COUNTS: dict[object, int] = {}


def _cache_key(func: Any) -> object | None:
    """What a callable's parameter count depends on alone: its code for a plain function (so every
    closure made by one ``def`` shares it), its class for a callable object; None when
    ``inspect.signature`` would look elsewhere (``__wrapped__``, ``__signature__``, a builtin)."""
    if hasattr(func, "__wrapped__") or hasattr(func, "__signature__"):
        return None
    code = getattr(func, "__code__", None)
    if isinstance(code, CodeType):
        return code
    call = vars(type(func)).get("__call__") if not isinstance(func, type) else None
    if not isinstance(call, FunctionType) or hasattr(call, "__wrapped__"):
        return None
    return type(func)


def _count_parameters(func: Any) -> int:
    """Textual's ``_count_parameters`` (``len(signature(func).parameters)``), remembered.

    Textual caches the count on the function object, which misses every closure made afresh
    (``Widget.mount``'s ``update_styles`` at each mount, data-bind setters) and every callable
    object (``AwaitMount``): ``inspect.signature`` ran ~115 times to open the log form (~20 ms).
    """
    key = _cache_key(func)
    if key is None:
        return int(_original_count_parameters(func))
    try:
        return _PARAMETER_COUNTS[key]
    except KeyError:
        count = _PARAMETER_COUNTS[key] = int(_original_count_parameters(func))
        return count


def install() -> bool:
    """Install the fixes (the timer's, the parameter count's) if Textual is the version they were
    checked against; True if they are in."""
    import textual

    if textual.__version__ != CHECKED_WITH:
        return False
    Timer._run = _run  # type: ignore[method-assign]
    _callback._count_parameters = _count_parameters
    try:
        from textual.drivers import linux_driver
    except ImportError:  # not on this system (Windows): its driver is left as it is
        pass
    else:
        linux_driver.WriterThread = HangUpSafeWriter  # type: ignore[misc]
    return True


class HangUpSafeWriter(WriterThread):
    """Textual's output thread, still draining its queue after the terminal went away.

    Writing to a terminal that hung up (the SSH link dropped, the pty closed) raises ``OSError``.
    Textual's thread died of it; its queue (30 writes) filled, and the app then waited for ever
    in its next write or in its shutdown (``stop`` waits to enqueue its end mark), holding the
    database, while its SIGHUP handler had asked it to exit. Here the thread drops whatever comes
    after the error, and ``stop`` ends it as usual.
    """

    def run(self) -> None:
        get, file = self._queue.get, self._file
        broken = False
        while (text := get()) is not None:
            if broken:
                continue
            try:
                file.write(text)
                if self._queue.qsize() == 0:
                    file.flush()
            except (OSError, ValueError):  # ValueError: the file was closed
                broken = True
        if not broken:
            try:
                file.flush()
            except (OSError, ValueError):
                pass


# -- Input ---------------------------------------------------------------------------------------


def _input_keys() -> dict[str, str]:
    """Key -> action of ``Input.BINDINGS`` (backspace, left, home, ctrl+w ...)."""
    from textual.binding import Binding

    keys: dict[str, str] = {}
    for binding in Input.BINDINGS:
        if isinstance(binding, Binding):
            for key in binding.key.split(","):
                keys[key.strip()] = binding.action
        else:  # a (key, action[, description]) tuple
            for key in binding[0].split(","):
                keys[key.strip()] = binding[1]
    return keys


class InOrderInput(Input):
    """An ``Input`` that handles a burst of keys in the order they came (a paste without bracketed
    paste, a slow SSH link, keys typed while the UI was busy).

    Textual's ``Input`` inserts a printable key in its own key handler, but finds the action of an
    editing key (backspace, delete, left, home ...) only once the key event has bubbled up to the
    app, one queued message per ancestor. Keys already queued behind it reach the input first: in
    a burst, ``abc`` + backspace + ``d`` left ``abc`` and ``someday`` + 7 backspaces + ``tomorrow``
    left ``somedayt``. Here the input runs its own bindings' actions at once, in its key handler,
    so every key acts in order. Priority bindings (the app's and the form's ``ctrl+s``) are still
    checked by the app before the key reaches the input; keys the input does not bind still bubble.
    """

    KEY_ACTIONS = _input_keys()

    async def on_key(self, event: events.Key) -> None:
        if event.is_printable:
            return  # Input inserts it itself, in order
        for key in event.aliases:
            action = self.KEY_ACTIONS.get(key)
            if action is not None:
                event.stop()
                event.prevent_default()
                await self.run_action(action)
                return


class StableWidthInput(InOrderInput):
    """``Input`` sets its ``virtual_size`` (a layout reactive) on every keystroke, so each key
    reflowed the whole screen (~9 ms at 120×40 on a 2-core VM) before the new rows could paint.
    For a one-row input of fixed width only its horizontal scroll depends on that size. Setting it
    first without a layout makes ``Input``'s own assignment a no-op; everything else ``Input`` does
    on a new value (validation, ``Changed``, the cursor) is unchanged.
    """

    def _watch_value(self, value: str) -> None:
        self.set_reactive(Widget.virtual_size, Size(self.content_width, 1))
        super()._watch_value(value)


# -- ScrollView ----------------------------------------------------------------------------------


def update_scrollbars(view: ScrollView, size: Size) -> None:
    """Give ``view`` a new virtual size without re-laying out the screen.

    ``view.virtual_size = size`` (a layout reactive) re-lays out the whole screen (~9 ms at
    120×40). Only the scrollbars depend on it: they are updated here (``_scroll_update``); a
    scrollbar that appears or goes away still asks for a layout itself (``show_vertical_scrollbar``).
    """
    if size != view.virtual_size:
        view.set_reactive(ScrollView.virtual_size, size)
        view._scroll_update(size)


# -- keys ----------------------------------------------------------------------------------------


def character_to_key(char: str) -> str:
    """Textual's key name for one printable character (``"?"`` -> ``"question_mark"``)."""
    from textual.keys import _character_to_key

    return _character_to_key(char)


# -- kept screens --------------------------------------------------------------------------------


def keep_styles_on_resume(screen: Screen[Any], event: events.ScreenResume) -> None:
    """Skip the restyle of a kept screen's every widget on ``ScreenResume`` when the stylesheet did
    not change while it was away (see ``KeptStylesScreen``). Call it from the screen's own
    ``_on_screen_resume``: Textual then runs ``Screen._on_screen_resume`` itself (it calls the
    handler of each class of the screen's MRO), with ``refresh_styles`` as set here."""
    current = screen.app._css_update_count
    if screen._css_update_count == current:
        event.refresh_styles = False
    # First shown, or the CSS changed while it was away (a theme): restyled now by Textual's
    # handler, so it counts as current from here (without this, a screen that ``switch_mode``
    # does not refresh, a pushed one, was restyled at every resume after a theme change, and a
    # mode's screen re-parsed and re-applied the whole app's CSS on its second visit).
    screen._css_update_count = current


class KeptStylesScreen(Screen[None]):
    """A screen kept mounted between switches (issue #20) that does not restyle itself on resume.

    On every ``ScreenResume`` Textual re-applies the stylesheet to each of the screen's widgets
    (~20-50 ms for a board of ``OptionList`` columns: each list's component classes are matched
    again), in case the CSS changed while it was hidden. ``App.switch_mode`` already refreshes
    the whole CSS when it did (a theme change: the app's CSS counter moved past the screen's);
    otherwise nothing the rules depend on changed while the screen was away (its focus, classes
    and pseudo-classes are its own), so the restyle is skipped.
    """

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        keep_styles_on_resume(self, event)


def styled_as_built(screen: Screen[Any], app: App[Any]) -> Screen[Any]:
    """Mark a screen built for a new mode as styled with the app's current stylesheet.

    A new ``Screen`` starts with a CSS counter of -1, so ``App.switch_mode`` refreshes the whole
    CSS twice on its first switch (once as the mode is built, once as it becomes current): each
    refresh re-parses every source into a fresh stylesheet (its parse cache empty) and re-applies
    it to every widget of the app (~150-220 ms at the first visit of a board). Nothing needs it:
    the screen's widgets are styled from the current stylesheet as they mount, and a theme change
    later moves the app's counter past the screen's, which refreshes it then as before.
    """
    screen._css_update_count = app._css_update_count
    return screen


def on_a_stack(app: App[Any], screen: Screen[Any]) -> bool:
    """``screen`` is on some mode's stack (``App.screen_stack`` is only the current mode's)."""
    return any(screen in stack for stack in app._screen_stacks.values())


# -- option lists --------------------------------------------------------------------------------


class LinesKeptOptionList(OptionList):
    """An ``OptionList`` that measures its options again only when its width changed.

    Textual's throws its measured lines and rendered options away on every ``Resize``. A list's
    first ``Resize`` comes after its first frame, with the size that frame was drawn at: each
    column of a board was measured and drawn twice on a first visit (the second time ~5 ms a
    column, in the frame that completes the screen).

    It also draws the empty lines under its last option once per frame, not once per line: each
    cost ~0.1 ms (the line table, the region and the style looked up again), and the columns of a
    board are empty until their cards arrive, ~35 lines each at 120x40.
    """

    _lines_width: int | None = None
    _blank: Strip | None = None  # an empty line of this frame, once drawn

    def render_lines(self, crop: Region) -> list[Strip]:
        self._blank = None  # the width or the style may have changed since the last frame
        try:
            return super().render_lines(crop)
        finally:
            self._blank = None

    def render_line(self, y: int) -> Strip:
        if self.scroll_offset.y + y < len(self._line_cache.lines):  # measured by render_lines
            return super().render_line(y)
        if self._blank is None:  # what OptionList draws under its last option
            self._blank = Strip.blank(
                self.scrollable_content_region.width,
                self.get_visual_style("option-list--option").rich_style,
            )
        return self._blank

    def _update_lines(self) -> None:
        measuring = not self._line_cache.lines  # from scratch: at the width the list has now
        super()._update_lines()
        if measuring and self._line_cache.lines:
            self._lines_width = self.scrollable_content_region.width

    def _on_resize(self, event: events.Resize) -> None:  # type: ignore[override]
        # Textual calls each class's handler in turn: stopping here skips ``OptionList``'s.
        if self.scrollable_content_region.width == self._lines_width:
            event.prevent_default()


# -- screens under an opaque one -----------------------------------------------------------------


class NothingBelowOpaque(App[None]):
    """Nothing under an opaque screen is drawn.

    Textual counts the screen right under the top one as visible (``_background_screens``, hence
    ``Screen.is_current``) even when the top one is opaque: the list under the log form was laid
    out and rendered in full on every change of it (11 ms of the form's 40 ms opening), and
    composited under the form for nothing. A top screen whose background is opaque hides every
    screen under it; a see-through one (a dialog, the log form over a customer's detail) does not.
    """

    @property
    def _background_screens(self) -> list[Screen]:
        stack = self._screen_stack
        if stack and stack[-1].styles.background.a == 1:
            return []
        return super()._background_screens


# -- mode switches ------------------------------------------------------------------------------


class ShownAtOnceModes(App[None]):
    """A mode switch reaches the terminal at once (issue #20).

    ``App.switch_mode`` masks every switch: ``delay_update()`` holds all frames back for 50 ms, in
    case the new mode's screen is not composed yet. The frame of a kept screen, rendered 3-8 ms
    after the key, waited for the timer; a first visit rendered its first frame inside the mask,
    for nothing, and again after it.

    Nothing needs the mask: a screen handles its first ``ScreenResume`` (which lays it out and
    draws its first frame) only after its compose, and a kept screen is composed already: it is
    drawn whole by the switch itself.
    """

    _switch_unmasked = False

    def delay_update(self, delay: float = 0.05) -> None:
        if not self._switch_unmasked:
            super().delay_update(delay)

    def build_mode(self, mode: str) -> Any:
        """Compose a mode's screen now, without showing it: its first visit then only lays it out
        and draws it. Awaitable, done once it is mounted. (What ``App._init_mode`` does, except
        the ``ScreenResume`` and the layout: those come with the visit.)"""
        if mode in self._screen_stacks:
            return AwaitMount(self._screen_stacks[mode][0], [])
        factory = self._modes[mode]
        screen, mounted = self._get_screen(factory() if callable(factory) else factory)
        self._screen_stacks[mode] = [screen]
        self._load_screen_css(screen)
        return mounted

    def switch_mode(self, mode: str) -> Any:
        stack = self._screen_stacks.get(mode)
        if stack and mode != self._current_mode:
            # A kept screen: the switch lays it out (``_screen_resized``), which draws only what
            # changed, and nothing did; drawn whole there, its frame does not wait for the
            # refresh after its ``ScreenResume`` (the next tick of the 60 Hz update timer).
            stack[-1]._dirty_widgets.add(stack[-1])
        self._switch_unmasked = True
        try:
            return super().switch_mode(mode)
        finally:
            self._switch_unmasked = False


# -- crashes -------------------------------------------------------------------------------------


class CrashWithoutLocals(App[None]):
    """On a crash, print the traceback without local variables: they may hold customer data.

    (Textual's default shows locals.) ``crash_note`` is printed under it.
    """

    crash_note = ""

    def _fatal_error(self) -> None:
        from rich.segment import Segments
        from rich.text import Text
        from rich.traceback import Traceback

        self.bell()
        traceback = Traceback(show_locals=False, width=None)
        self._exit_renderables.append(Segments(self.console.render(traceback, self.console.options)))
        if self.crash_note:
            self._exit_renderables.append(Text(self.crash_note))
        self._close_messages_no_wait()

    def exit_renderables(self) -> list[object]:
        """What the app prints when it stops (the crash report after a fatal error)."""
        return list(self._exit_renderables)
