"""Writes off the UI thread: another program may hold the database's write lock for seconds,
and the TUI keeps drawing and taking keys meanwhile (issue #14).

``write_in_background(node, work, done, failed)`` runs ``work()`` (one ``store.write``
transaction) in a thread worker and hands its result to ``done`` — or the ``StoreError`` that
refused it (a busy database included) to ``failed`` — back on the UI thread. The forms have
``FormScreen`` saves through it too (``refused`` adds its validation errors, ``group`` names its
saves so a test can wait for them).
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
    failed: Callable[[Any], None],
    *,
    refused: tuple[type[Exception], ...] = (StoreError,),
    group: str = GROUP,
) -> Worker[None]:
    app = node.app

    def run() -> None:
        outcome: Any
        failed_with: Exception | None = None
        try:
            outcome = work()
        except refused as exc:
            failed_with = exc
        if get_current_worker().is_cancelled:
            return
        if failed_with is not None:
            app.call_from_thread(failed, failed_with)
        else:
            app.call_from_thread(done, outcome)

    return node.run_worker(run, thread=True, group=group, exit_on_error=False)
