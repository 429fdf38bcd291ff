"""The programs the benchmark runs in child processes (``python -c``), under the interpreter and
source tree being measured (``--python``, ``--src``).

They reach the code under test only through what a rep runs (``tuicrm.cli.main``, the Textual
screens' public state) and, for the baselines, through ``PROBE``, which knows both the query
layer (``tuicrm.query``) and the fast path it replaced (``tuicrm.fastread``): the same bench
measures the old and the new code.
"""

from __future__ import annotations

# The TUI (mode "app", what the rep types) or an empty Textual app (mode "empty"), headless;
# "READY {json}" on stdout at the first paint with the data in. With a 6th argument "idle" it
# waits for the startup workers too, reports, and stays running (idle) until the bench kills it.
PAINT = r"""
import asyncio, importlib, json, os, resource, sys, time
mode, db, width, height = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
stay = len(sys.argv) > 5 and sys.argv[5] == "idle"
textual_app = importlib.import_module("textual.app")

def report():
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sys.stdout.write("READY " + json.dumps({"rss_mb": rss, "pid": os.getpid()}) + "\n")
    sys.stdout.flush()
    if not stay:
        os._exit(0)

def ready(app):
    if mode == "empty":
        return True
    from tuicrm.ui.screens.customers import CustomersScreen
    s = app.screen
    if not isinstance(s, CustomersScreen):
        return False
    t, p = s.table, s.panel
    return (p.data is not None and (p.display or not p.data.count) and t.total is not None
            and (t.total == 0 or t.row_at(0) is not None) and not t.busy)

original_run = textual_app.App.run

def run(self, **_kw):
    # The real program, headless at a fixed size, reporting the first paint with the data in.
    async def pilot(_p):
        while not ready(self):
            await asyncio.sleep(0.002)
        if stay:  # idle: the startup work in workers (store, quick_check, counts) done first;
            # they start after the first paint, so: no worker running for a whole second
            end, quiet = time.perf_counter() + 60, 0
            while time.perf_counter() < end and quiet < 20:
                quiet = 0 if any(w.is_running for w in self.workers) else quiet + 1
                await asyncio.sleep(0.05)
        self.call_after_refresh(report)
    return original_run(self, headless=True, size=(width, height), auto_pilot=pilot)

textual_app.App.run = run
if mode == "empty":
    Static = importlib.import_module("textual.widgets").Static

    class Empty(textual_app.App):
        def compose(self):
            yield Static("tuicrm")

    Empty().run()
else:
    sys.argv = ["tuicrm", "--db", db]  # exactly what the rep types
    from tuicrm.cli import main
    main()
"""

INTERACT = r'''
import asyncio, importlib, json, os, resource, sys, time
db, width, height, pages = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
words = json.loads(sys.argv[5])
typing_gap, repeat_gap = float(sys.argv[6]), float(sys.argv[7])
textual_app = importlib.import_module("textual.app")
events = importlib.import_module("textual.events")

async def painted(app):
    done = asyncio.Event()
    app.call_after_refresh(done.set)
    await done.wait()

async def settle(app, table, text=None, timeout=30.0):
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        if (text is None or table.filter.text == text) and not table.busy and table.total is not None \
                and (table.total == 0 or table.row_at(table.cursor) is not None):
            await painted(app)
            return
        await asyncio.sleep(0.001)
    raise TimeoutError("the list did not update")

async def pilot(p):
    from tuicrm.ui.screens.customers import CustomersScreen

    app = p.app

    def send(key):
        """A key as the terminal driver delivers it, without Pilot's waiting for the app to go idle."""
        char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        app.post_message(event)

    out = {"keys": [], "pages": [], "errors": []}
    try:
        while not isinstance(app.screen, CustomersScreen) or app.screen.table.total is None:
            await asyncio.sleep(0.005)
        screen = app.screen
        table = screen.table
        await settle(app, table)
        # Startup work in workers (opening the store, quick_check, counts read ahead) finishes
        # first: a rep reads the panel before typing; this measures typing, not startup.
        end = time.perf_counter() + 60
        while time.perf_counter() < end and any(w.is_running for w in app.workers):
            await asyncio.sleep(0.01)
        await p.pause(0.3)
        for word in words:
            screen.focus_search()
            await p.pause()
            typed = ""
            for ch in word:
                typed += ch
                await asyncio.sleep(typing_gap)
                start = time.perf_counter()
                send(ch)
                await settle(app, table, typed)
                out["keys"].append(time.perf_counter() - start)
            screen.search.value = ""
            await settle(app, table, "")
        table.focus()
        await p.pause()
        for _ in range(pages):
            before = table.cursor
            await asyncio.sleep(repeat_gap)
            start = time.perf_counter()
            send("pagedown")
            while table.cursor == before:
                await asyncio.sleep(0.001)
            await settle(app, table)
            out["pages"].append(time.perf_counter() - start)
    except Exception as exc:  # reported, the parent prints "not available" with the reason
        out["errors"].append(f"{type(exc).__name__}: {exc}")
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sys.stdout.write("READY " + json.dumps(out) + "\n")
    sys.stdout.flush()
    os._exit(0)

original_run = textual_app.App.run

def run(self, **_kw):
    # The real program (as the rep starts it), headless at a fixed size, driven by the pilot.
    return original_run(self, headless=True, size=(width, height), auto_pilot=pilot)

textual_app.App.run = run
sys.argv = ["tuicrm", "--db", db]
from tuicrm.cli import main
main()
'''

SQL = r"""
import json, sqlite3, sys
conn = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
for statement in json.load(open(sys.argv[2], encoding="utf-8")):
    conn.execute(statement).fetchall()
"""

# What the baselines need from the code under test: the SQL a command's reads run (captured with
# their values inlined), and the list's own count + first window per typed prefix, timed in process.
PROBE = r'''
import importlib, json, statistics, sys, time
what, db, arg = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])


def due_shown():
    for name in ("tuicrm.cli.readviews", "tuicrm.cli"):
        try:
            return getattr(importlib.import_module(name), "DUE_SHOWN")
        except (ImportError, AttributeError):
            continue
    return 30


def capture(command):
    statements = []
    try:  # the query layer (issue #13)
        from tuicrm.query import cards, customers, followups
        from tuicrm.query.connect import connect, today

        def run(conn, day):
            if command[0] == "due":
                from tuicrm.config import load_config

                followups.due_counts(conn, day, 0)
                followups.due_top(conn, load_config(), day, 0, due_shown())
            elif command[0] == "find":
                customers.find(conn, command[1], 50)
            else:
                cards.card(conn, customers.resolve(conn, command[1]), day)
    except ImportError:  # the fast path before it
        from tuicrm import fastread
        from tuicrm.fastread import connect, today

        def run(conn, day):
            if command[0] == "due":
                from tuicrm.config import load_config

                fastread.due_counts(conn, day, 0)
                fastread.due_top(conn, load_config(), day, 0, due_shown())
            elif command[0] == "find":
                fastread.find(conn, command[1], 50)
            else:
                fastread.card(conn, fastread.resolve(conn, command[1]), day)

    conn = connect(db)
    if conn is None:
        raise SystemExit("the fast path cannot read the benchmark database")
    conn.set_trace_callback(statements.append)
    try:
        run(conn, today())
    finally:
        conn.close()
    return [s for s in statements if not s.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK"))]


def search(words, runs):
    """Milliseconds of the list's own queries (count + a 120-row window) for each typed prefix."""
    try:
        from tuicrm.query.connect import connect
        from tuicrm.query.customers import list_window
        from tuicrm.query.filters import CustomerFilter

        def once(conn, text):
            list_window(conn, CustomerFilter(text=text), offset=0, limit=120)
    except ImportError:
        from tuicrm import fastread
        from tuicrm.fastread import connect

        def once(conn, text):
            s = fastread.CustomerSearch(fastread.runner(conn))
            f = fastread.Filter(text=text)
            s.count(f)
            s.page(f, 0, 120)

    conn = connect(db)
    if conn is None:
        return []
    out = []
    try:
        for word in words:
            for n in range(1, len(word) + 1):
                times = []
                for _ in range(runs):
                    start = time.perf_counter()
                    once(conn, word[:n])
                    times.append((time.perf_counter() - start) * 1000)
                out.append(statistics.median(times))
    finally:
        conn.close()
    return out


if what == "code":
    import tuicrm

    result = tuicrm.__file__
elif what == "missing":
    from importlib.util import find_spec

    result = [name for name in arg if find_spec(name) is None]
elif what == "capture":
    result = capture(arg)
else:
    result = search(arg["words"], arg["runs"])
print(json.dumps(result, ensure_ascii=False))
'''
