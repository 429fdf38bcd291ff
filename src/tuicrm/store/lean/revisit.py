"""The first revisit after a win (template 004: 成交后3天内电话回访), on the write path both the
CLI and the TUI take (``tuicrm.store.lean.writes.move_opportunity``)."""

from __future__ import annotations

import sqlite3
from datetime import date

from tuicrm.config import Config
from tuicrm.domain.workdays import add_working_days
from tuicrm.i18n import _
from tuicrm.store.lean import rows
from tuicrm.store.lean.clock import today
from tuicrm.store.lean.undolog import UndoLog


def first_revisit_on(won_on: date, config: Config) -> date:
    return add_working_days(won_on, config.care.revisit_working_days)


def schedule_first_revisit(
    conn: sqlite3.Connection, log: UndoLog, config: Config, customer_id: int, deal: str
) -> date | None:
    """The customer's next follow-up becomes the first revisit, within
    ``config.care.revisit_working_days`` working days of today, unless an earlier (or the same)
    one is already set. The day set, or None when the earlier one stays."""
    customer = rows.read(conn, "customer", customer_id)
    if customer is None:
        return None
    due = first_revisit_on(today(), config)
    current = customer["next_follow_up_on"]
    if current is not None and current <= due:
        return None
    action = _("First revisit after the win: {deal}").format(deal=deal)
    rows.update(conn, log, "customer", customer, {"next_follow_up_on": due, "next_action": action})
    return due
