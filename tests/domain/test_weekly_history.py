"""The pending follow-up at an instant, from follow-up and snooze history (issue #16)."""

from __future__ import annotations

from datetime import date

import pytest

from tuicrm.domain.reports import Pending, decode_before, pending_at, stored_form

ENTERED = Pending(date(2026, 11, 25), "entered action")
FU = ("2026-11-24 10:00:00.000000", date(2026, 12, 1), "run the demo")
SN_LATER = ("2026-11-25 10:00:00.000000", date(2026, 12, 9))
SN_EARLIER = ("2026-11-20 10:00:00.000000", date(2026, 11, 22))


@pytest.mark.parametrize(
    ("follow_up", "snooze", "expected"),
    [
        (None, None, ENTERED),  # never worked before the instant: the date it was entered with
        (FU, None, Pending(date(2026, 12, 1), "run the demo")),
        (FU, SN_LATER, Pending(date(2026, 12, 9), "run the demo")),  # a snooze moves the date only
        (FU, SN_EARLIER, Pending(date(2026, 12, 1), "run the demo")),  # the later follow-up wins
        (None, SN_EARLIER, Pending(date(2026, 11, 22), "entered action")),
    ],
)
def test_pending_at(follow_up, snooze, expected):
    assert pending_at(follow_up, snooze, ENTERED) == expected


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ({"d": "2026-11-25"}, "2026-11-25"),
        ({"dt": "2026-11-25T10:00:00+08:00"}, "2026-11-25 02:00:00.000000"),
        ({"dt": "2026-11-25T02:00:00"}, "2026-11-25 02:00:00.000000"),
        ({"dec": "50000.5"}, 5000050),
        (True, 1),
        ("won", "won"),
        (None, None),
    ],
)
def test_before_values_read_as_stored(value, stored):
    assert stored_form(value) == stored


def test_decode_before_keeps_only_the_wanted_columns():
    text = '{"stage": "won", "amount": {"dec": "10.00"}, "name": "x"}'
    assert decode_before(text, ("stage", "amount", "closed_on")) == {"stage": "won", "amount": 1000}
    assert decode_before(None, ("stage",)) == {}
