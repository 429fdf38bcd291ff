"""Issue #20's interaction figures: a key → the new screen drawn with its data, for every screen,
against a two-screen Textual app switching in the same harness; opening the log form; saving a
follow-up → the panel and the list updated.

One child process (``SWITCH``) runs the real program headless, as the rep starts it, and posts
keys the way the terminal driver does (no Pilot waiting for idle). "Drawn with its data": the
new screen is the active one, none of its workers is pending or running (the data it loads at
switch time arrived), and the frame after that has been painted.
"""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

from tuicrm.bench.figures import SIZE, Figure
from tuicrm.bench.steps import Log, Target, tui_available, until_ready

SWITCH = r'''
import asyncio, importlib, json, os, sys, time
mode, db, width, height, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
textual_app = importlib.import_module("textual.app")
events = importlib.import_module("textual.events")
worker_state = importlib.import_module("textual.worker").WorkerState
BUSY = (worker_state.PENDING, worker_state.RUNNING)

async def painted(app):
    done = asyncio.Event()
    app.call_after_refresh(done.set)
    await done.wait()

def send(app, key):
    """A key as the terminal driver delivers it."""
    event = events.Key(key, key if len(key) == 1 else None)
    event.set_sender(app)
    app.post_message(event)

def on_screen(node, screen):
    while node is not None:
        if node is screen:
            return True
        node = node.parent
    return False

async def on_terminal(app):
    """The next frame painted and handed to the terminal. Textual holds frames back while the app
    is in a batch (``App.switch_mode`` masks a switch for 50 ms): wait for the frame after it."""
    await painted(app)
    if app._batch_count:
        while app._batch_count:
            await asyncio.sleep(0.0005)
        await painted(app)

async def loaded(app, screen, timeout=60.0):
    """The screen's own workers done, then one more frame on the terminal."""
    await on_terminal(app)
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        if not any(w.state in BUSY and on_screen(w.node, screen) for w in app.workers):
            await on_terminal(app)
            return
        await asyncio.sleep(0.001)
    raise TimeoutError(f"{type(screen).__name__} did not load")

FRAMES = []  # (time, screen) of each frame the app hands to the terminal
_display = textual_app.App._display

def display(self, screen, renderable):
    if renderable is not None and not self._batch_count:
        FRAMES.append((time.perf_counter(), screen))
    return _display(self, screen, renderable)

textual_app.App._display = display

async def switch(app, key):
    before = app.screen
    await asyncio.sleep(0.1)  # keys a rep presses, not a burst
    FRAMES.clear()
    start = time.perf_counter()
    send(app, key)
    while app.screen is before:
        await asyncio.sleep(0.0005)
    await on_terminal(app)
    drawn = time.perf_counter() - start  # its layout (and what it had) on the terminal
    screen = app.screen
    end = time.perf_counter() + 5
    while not any(shown is screen for _t, shown in FRAMES) and time.perf_counter() < end:
        await asyncio.sleep(0.0005)
    first = next(t - start for t, shown in FRAMES if shown is screen)  # its first frame
    await loaded(app, screen)
    return type(screen).__name__, drawn, time.perf_counter() - start, first

async def pilot(p):
    app = p.app
    out = {"switch": {}, "drawn": {}, "first_frame": {}, "log_form": [], "save": [], "errors": [], "cpu": {}}
    try:
        await painted(app)
        end = time.perf_counter() + 120
        while time.perf_counter() < end and any(w.state in BUSY for w in app.workers):
            await asyncio.sleep(0.01)  # startup work (store, counts) first: switching is measured
        await p.pause(0.3)
        keys = ["2", "3", "4", "5", "6", "7", "8", "9", "1"] if mode == "app" else ["b", "a"]
        cpu = time.process_time()
        for _ in range(rounds):
            for key in keys:
                name, drawn, elapsed, first = await switch(app, key)
                out["switch"].setdefault(name, []).append(elapsed)
                out["drawn"].setdefault(name, []).append(drawn)
                out["first_frame"].setdefault(name, []).append(first)
        out["cpu"]["switch"] = time.process_time() - cpu
        if mode == "app":
            from tuicrm.ui.widgets.followup_form import FollowUpForm
            # The morning routine: the panel's follow-ups (t: one kind), the most urgent one
            # logged, then the next one.
            app.screen.panel.list.focus()
            await painted(app)
            send(app, "t")
            await loaded(app, app.screen)
            cpu = time.process_time()
            for n in range(rounds):
                screen = app.screen
                screen.panel.list.focus()
                screen.panel.list.highlighted = 0
                await painted(app)
                await asyncio.sleep(0.1)
                start = time.perf_counter()
                send(app, "l")
                while not isinstance(app.screen, FollowUpForm):
                    await asyncio.sleep(0.0005)
                await on_terminal(app)
                out["log_form"].append(time.perf_counter() - start)
                form = app.screen
                while not getattr(form, "complete", True):  # fields mounted after the first frame
                    await asyncio.sleep(0.0005)
                await on_terminal(app)
                out.setdefault("log_form_complete", []).append(time.perf_counter() - start)
                form.field("summary").control.load_text(f"bench call {n}")
                panel = screen.panel
                data = panel.data
                await painted(app)
                await asyncio.sleep(0.1)
                start = time.perf_counter()
                send(app, "ctrl+s")
                while app.screen is form or panel.data is data:
                    await asyncio.sleep(0.0005)
                await on_terminal(app)
                out["save"].append(time.perf_counter() - start)  # the panel shows the change
                await loaded(app, app.screen)
                out.setdefault("save_reread", []).append(time.perf_counter() - start)
            out["cpu"]["log"] = time.process_time() - cpu
    except Exception as exc:  # reported: the parent prints "not available" with the reason
        out["errors"].append(f"{type(exc).__name__}: {exc}")
    sys.stdout.write("READY " + json.dumps(out) + "\n")
    sys.stdout.flush()
    os._exit(0)

original_run = textual_app.App.run

def run(self, **_kw):
    return original_run(self, headless=True, size=(width, height), auto_pilot=pilot)

textual_app.App.run = run
if mode == "empty":
    widgets = importlib.import_module("textual.widgets")
    screen_mod = importlib.import_module("textual.screen")

    class Page(screen_mod.Screen):
        def __init__(self, text):
            super().__init__()
            self.text = text

        def compose(self):
            yield widgets.Static(self.text)
            yield widgets.Footer()

    class TwoScreens(textual_app.App):
        BINDINGS = [("a", "go('a')", "A"), ("b", "go('b')", "B")]

        def on_mount(self):
            self.install_screen(Page("screen a"), "a")
            self.install_screen(Page("screen b"), "b")
            self.push_screen("a")

        def action_go(self, name):
            self.switch_screen(name)

    TwoScreens().run()
else:
    sys.argv = ["tuicrm", "--db", db]  # exactly what the rep types
    from tuicrm.cli import main
    main()
'''

SCREEN_NAMES = {
    "CustomersScreen": "customers",
    "TimelineScreen": "timeline",
    "TierBoardScreen": "tier board",
    "PipelineScreen": "pipeline",
    "ReportsScreen": "reports",
    "AgendaScreen": "agenda",
    "LeadsScreen": "leads",
    "ReceivablesScreen": "receivables",
    "ComplaintsScreen": "complaints",
}


def _merged(infos: list[dict[str, Any]]) -> dict[str, Any]:
    """The children's figures together: lists joined, CPU times summed."""
    merged: dict[str, Any] = {}
    for info in infos:
        for key, value in info.items():
            if isinstance(value, dict):
                into = merged.setdefault(key, {})
                for name, item in value.items():
                    into[name] = into.get(name, [] if isinstance(item, list) else 0) + item
            elif isinstance(value, list):
                merged[key] = merged.get(key, []) + value
    return merged


def _span(times: list[float]) -> str:
    if not times:
        return "none"
    return f"{min(times) * 1000:.0f}–{max(times) * 1000:.0f} ms"


def interaction_figures(db: Path, target: Target, rounds: int, log: Log, children: int = 3) -> list[Figure]:
    """One figure per screen (key → drawn with its data; ≤ 1.5× the two-screen baseline), the
    log form's opening (≤ 50 ms) and a saved follow-up → panel and list updated (≤ 100 ms)."""
    opening = Figure("open the log form (l)", "ms", target="≤ 50 ms", limit=50.0)
    saving = Figure("save a follow-up → panel + list updated", "ms", target="≤ 100 ms", limit=100.0)
    reason = tui_available(target)
    if reason:
        for f in (opening, saving):
            f.available, f.note = False, f"not available: {reason}"
        return [opening, saving]
    width, height = SIZE

    def child(mode: str) -> dict[str, Any]:
        cmd = target.child(SWITCH, mode, str(db), str(width), str(height), str(rounds))
        _elapsed, info = until_ready(cmd, target.env, timeout=600)
        if info.get("errors"):
            raise RuntimeError("; ".join(info["errors"]))
        return info

    try:
        base_info = child("empty")
        baseline = [t * 1000 for times in base_info["switch"].values() for t in times]
        base_frames = [t * 1000 for times in base_info.get("first_frame", {}).values() for t in times]
        # A first visit happens once per process: a few processes give its figure a median.
        infos = [child("app") for _ in range(children)]
    except Exception as exc:
        for f in (opening, saving):
            f.available, f.note = False, f"not available: {str(exc)[:200]}"
        return [opening, saving]
    info = _merged(infos)
    figures = []
    for cls, times in info["switch"].items():
        name = SCREEN_NAMES.get(cls, cls)
        firsts = [child_info["switch"][cls][0] for child_info in infos]
        later = [t for child_info in infos for t in child_info["switch"][cls][1:]]
        first_frames = [child_info["first_frame"][cls][0] for child_info in infos]
        drawn = [child_info["drawn"][cls][0] for child_info in infos]
        fig = Figure(
            f"screen switch → {name}",
            "ms",
            samples=[t * 1000 for t in times],
            baseline=list(baseline),
            target="≤ 1.5× two-screen app",
            ratio_limit=1.5,
            note="key → the screen drawn with its data (its workers done, the next frame on the terminal), "
            f"every visit; first visits {_span(firsts)}, later visits {_span(later)}; baseline: a "
            "two-screen Textual app switching in the same harness (its first frame after "
            f"{statistics.median(base_frames or [0]):.0f} ms)",
        )
        first = Figure(
            f"first visit → {name}: first frame",
            "ms",
            samples=[t * 1000 for t in first_frames],
            baseline=list(baseline),
            target="≤ 1.5× two-screen app",
            ratio_limit=1.5,
            note="the key that builds the screen → its first frame on the terminal (its layout and a "
            f"loading line, or its data), one per process ({children} processes); the next frame "
            f"after {_span(drawn)}; baseline: the two-screen app's switch",
        )
        figures += [fig, first]
        log(
            f"{fig.name}: {fig.median:.1f} ms, first visit's first frame {first.median:.1f} ms "
            f"(two screens {statistics.median(baseline):.1f} ms)"
        )
    opening.samples = [t * 1000 for t in info["log_form"]]
    saving.samples = [t * 1000 for t in info["save"]]
    complete = info.get("log_form_complete") or []
    if complete:
        opening.note = (
            "l on the panel's most urgent follow-up → the form painted with its first fields, the "
            "summary focused; every field "
            f"mounted and painted after {statistics.median(complete) * 1000:.0f} ms (median)"
        )
    reread = info.get("save_reread") or []
    saving.note = "ctrl+s in the log form → the form gone, the logged item out of the panel, painted" + (
        f"; the re-reads that follow (panel, list) done and painted after "
        f"{statistics.median(reread) * 1000:.0f} ms (median)"
        if reread
        else ""
    )
    log(f"{opening.name}: {opening.median:.1f} ms; {saving.name}: {saving.median:.1f} ms")
    cpu = info.get("cpu", {})
    if "switch" in cpu:
        log(
            f"CPU time of the {children} app children: switching {cpu['switch']:.2f} s, log form + saves {cpu.get('log', 0):.2f} s"
        )
    return [*figures, opening, saving]
