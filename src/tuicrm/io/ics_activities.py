"""The planned activities of ``export agenda.ics`` (issue #17): rows from
``tuicrm.query.activities.calendar_rows`` as ``tuicrm.io.ics.PlannedActivity`` items, with aware
times and the phone to call (the activity's contact's, else the customer's), masked unless
``unmasked``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from tuicrm.config import Config
from tuicrm.domain.agenda import Slot, end_of
from tuicrm.domain.privacy import mask_phone
from tuicrm.io.ics import PlannedActivity


def _aware(value: datetime) -> datetime:
    import pendulum
    from pendulum.tz import local_timezone

    local = pendulum.instance(value, tz=local_timezone())
    return datetime.fromtimestamp(local.timestamp(), UTC)  # UTC: no VTIMEZONE needed


CHUNK = 5000  # ids per IN (...) list: far below SQLite's limit on bound values


def _chunked(look_up: Any, conn: Any, ids: set[int]) -> dict[int, str | None]:
    found: dict[int, str | None] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        found.update(look_up(conn, ordered[start : start + CHUNK]))
    return found


def planned_activities(session: Any, config: Config, *, unmasked: bool) -> list[PlannedActivity]:
    return list(iter_planned_activities(session, config, unmasked=unmasked))


def iter_planned_activities(session: Any, config: Config, *, unmasked: bool) -> Iterator[PlannedActivity]:
    """``planned_activities`` one at a time: the phones looked up a chunk of rows at a time, no
    list of every item (the .ics export streams, issue #20)."""
    from itertools import islice

    from tuicrm.query.activities import contact_phones, customer_phones, iter_calendar_rows
    from tuicrm.store import dbapi

    conn = dbapi(session)
    rows = iter_calendar_rows(conn)
    while chunk := list(islice(rows, CHUNK)):
        by_contact = contact_phones(conn, sorted({r.contact_id for r in chunk if r.contact_id is not None}))
        by_customer = customer_phones(conn, sorted({r.customer_id for r in chunk}))
        for r in chunk:
            phone = (by_contact.get(r.contact_id) if r.contact_id is not None else None) or by_customer.get(
                r.customer_id
            )
            if phone and not unmasked:
                phone = mask_phone(phone)
            end = end_of(Slot(r.id, r.start, r.end, r.status, r.kind), config.agenda)
            yield PlannedActivity(
                r.code,
                r.name,
                r.kind,
                r.status,
                r.customer_code,
                r.customer_name,
                _aware(r.start),
                _aware(end),
                r.place,
                r.goal,
                r.contact_name,
                phone or None,
            )
