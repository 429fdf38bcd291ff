"""The planned activities of ``export agenda.ics`` (issue #17): rows from
``tuicrm.query.activities.iter_calendar_rows_with_phones`` as ``tuicrm.io.ics.PlannedActivity`` items, with aware
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


def planned_activities(session: Any, config: Config, *, unmasked: bool) -> list[PlannedActivity]:
    return list(iter_planned_activities(session, config, unmasked=unmasked))


def iter_planned_activities(session: Any, config: Config, *, unmasked: bool) -> Iterator[PlannedActivity]:
    """``planned_activities`` one at a time from one cursor, each row with its phone (the .ics
    export streams, issue #20: no list of rows, so memory stays flat as the activities grow)."""
    from tuicrm.query.activities import iter_calendar_rows_with_phones
    from tuicrm.store import dbapi

    for r, phone in iter_calendar_rows_with_phones(dbapi(session)):
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
