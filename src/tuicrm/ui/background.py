"""Writes off the UI thread: another program may hold the database's write lock for seconds,
and the TUI keeps drawing and taking keys meanwhile (issue #14).

``write_in_background(node, work, done, failed)`` runs ``work()`` (one ``store.write``
transaction) in a thread worker and hands its result to ``done`` — or the ``StoreError`` that
refused it (a busy database included) to ``failed`` — back on the UI thread. The forms have
their own version of this in ``FormScreen`` (it also keeps the form open on failure).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.dom import DOMNode
from textual.worker import Worker, get_current_worker

from tuicrm.store.errors import StoreError

T = TypeVar("T")

GROUP = "tui-write"


def write_in_background(
    node: DOMNode,
    work: Callable[[], T],
    done: Callable[[T], None],
    failed: Callable[[StoreError], None],
) -> Worker[None]:
    app = node.app

    def run() -> None:
        outcome: Any
        try:
            outcome = work()
        except StoreError as exc:
            outcome = exc
        if get_current_worker().is_cancelled:
            return
        if isinstance(outcome, StoreError):
            app.call_from_thread(failed, outcome)
        else:
            app.call_from_thread(done, outcome)

    return node.run_worker(run, thread=True, group=GROUP, exit_on_error=False)
