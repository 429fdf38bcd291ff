"""The issue #5 benchmark: ``python -m tuicrm.bench`` (``--small`` for a quick check).

Builds one large demo database (``tuicrm demo``, timed), then measures, each as the median
of several runs and against a baseline measured in the same run:

1. TUI: process start → first paint with the overdue panel filled and the customer list
   showing (headless, 120×40), against an empty Textual app's first paint;
2. ``tuicrm due``, ``tuicrm find <fragment>``, ``tuicrm show <code>``: whole-process wall
   time, against a Python process that runs the same SQL (captured from the fast path)
   through ``sqlite3``;
3. search-as-you-type: keystroke → updated customer list, and one page of scrolling (Pilot);
4. ``tuicrm import`` of a 100 000-row CSV (when the import command exists);
5. peak RSS of the TUI on the large database;
6. idle CPU: the TUI's CPU time (every thread) over 20 s of doing nothing, as % of one core,
   against an empty Textual app's (the TUI watches the database once a second; ``idle``).

Everything runs in child processes with the pinned ``TUICRM_NOW`` and bytecode caching on
(a warm-up run compiles it), so the figures are what a rep's second command costs. It prints
a table of median, baseline, ratio, target and pass/fail. Nothing here is imported by the
application.

The code measured is the one the children import: ``--python`` picks the interpreter (a
virtual environment's ``bin/python``), ``--src`` a source tree (a checkout; its ``src/`` goes
first on ``PYTHONPATH``), so runs of the old and the new code can be alternated with one bench.

Modules: ``figures`` (what is measured, the table), ``children`` (the child programs),
``steps`` (build and time), ``idle`` (the idle-CPU figure), ``run`` (the command line),
``outputs`` (reports, exports, plan reads), ``floors`` (the least one process can do for
``report value --json`` and ``report receivables --json``: their baseline).
"""

from __future__ import annotations

from tuicrm.bench.figures import FIGURES, FULL, NOW, SIZE, SMALL, TYPED, Figure, fmt, machine, render
from tuicrm.bench.run import main
from tuicrm.bench.steps import Target

__all__ = [
    "FIGURES",
    "FULL",
    "NOW",
    "SIZE",
    "SMALL",
    "TYPED",
    "Figure",
    "Target",
    "fmt",
    "machine",
    "main",
    "render",
]
