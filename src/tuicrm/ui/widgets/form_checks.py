"""The checks of tuicrm's form fields: each takes the raw control value and returns the clean value
or raises ``ValueError`` with a sentence for the rep; ``date_hint`` shows what a typed date means.
``tuicrm.ui.widgets.forms`` re-exports them (the forms import them from there).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from rich.text import Text

from tuicrm import clock
from tuicrm.domain.dates import parse_date_input, relative_label
from tuicrm.domain.limits import LengthError, field_limit, too_long_message
from tuicrm.domain.privacy import phone_digits
from tuicrm.i18n import _
from tuicrm.i18n.names import weekday
from tuicrm.store.customers import check_amount, check_email
from tuicrm.ui import text as ut

Check = Callable[[Any], Any]
Hint = Callable[[Any], "str | Text | None"]


# --- validators: take the raw control value, return the clean value or raise ValueError ----------


def required_text(label: str, max_len: int = 200) -> Check:
    """A text that must be there, at most ``max_len`` characters (a limit of
    ``tuicrm.domain.limits``: pass ``field_limit(table, field)``)."""

    def check(raw: str) -> str:
        value = ut.clean(raw).strip()
        if not value:
            raise ValueError(_("{label} is required.").format(label=label))
        if len(value) > max_len:
            raise LengthError(too_long_message(label, len(value), max_len), value, max_len)
        return value

    return check


def optional_text(max_len: int | None = None, label: str = _("This field")) -> Check:
    """A text that may be empty (None), at most ``max_len`` characters (see ``required_text``)."""

    def check(raw: str) -> str | None:
        value = (raw or "").strip()
        if max_len is not None and len(value) > max_len:
            raise LengthError(too_long_message(label, len(value), max_len), value, max_len)
        return value or None

    return check


def limited_text(table: str, field: str, label: str = _("This field")) -> Check:
    """``optional_text`` held to the one limit of ``table.field`` (``tuicrm.domain.limits``)."""
    return optional_text(field_limit(table, field), label)


def email(raw: str) -> str | None:
    checked: Callable[[str], str | None] = check_email  # (the store's check is not annotated yet)
    return checked(raw)


_PHONE_CHARS = re.compile(r"^[0-9+\-().\s/#extEXT]*$")


def phone(raw: str) -> str | None:
    value = (raw or "").strip()
    if not value:
        return None
    if not _PHONE_CHARS.match(value):
        raise ValueError(_("A phone number has digits, spaces and + - ( ) only."))
    if len(phone_digits(value)) < 3:
        raise ValueError(_("A phone number needs at least 3 digits."))
    return value


def date_input(
    *, allow_auto: bool = False, required: bool = False, label: str = _("A date"), future: bool = False
) -> Check:
    """SPEC §3 date forms (``+3d``, ``fri``, ``12-01``…), parsed against ``clock.today()``;
    ``future``: a date before today is refused (as the CLI's ``snooze``/``log --next`` refuse it)."""

    def check(raw: str) -> date | str | None:
        if not (raw or "").strip():
            if required:
                raise ValueError(_("{label} is needed.").format(label=label))
            return None
        today = clock.today()
        value = parse_date_input(raw, today, allow_auto=allow_auto)
        if future and isinstance(value, date) and value < today:
            raise ValueError(
                _("{day} is in the past: give today or a later date.").format(day=value.isoformat())
            )
        return value

    return check


def amount(*, required: bool = False, label: str = "amount") -> Check:
    def check(raw: str) -> Any:
        value = check_amount((raw or "").strip() or None, label)
        if value is None and required:
            raise ValueError(_("The {label} is required (0 is allowed).").format(label=label))
        return value

    return check


def whole_number(lo: int, hi: int, label: str, required: bool = False) -> Check:
    def check(raw: str) -> int | None:
        value = (raw or "").strip().rstrip("%").strip()
        if not value:
            if required:
                raise ValueError(_("{label} is required.").format(label=label))
            return None
        if not re.fullmatch(r"-?\d+", value):
            raise ValueError(
                _("{label} must be a whole number from {lo} to {hi}.").format(label=label, lo=lo, hi=hi)
            )
        n = int(value)
        if not lo <= n <= hi:
            raise ValueError(
                _("{label} must be from {lo} to {hi}, not {n}.").format(label=label, lo=lo, hi=hi, n=n)
            )
        return n

    return check


def date_hint(value: Any) -> str | None:
    """'→ Sun 2026-11-29 · in 7 days' for a parsed date."""
    if isinstance(value, date):
        return f"→ {weekday(value)} {value.isoformat()} · {relative_label(value, clock.today())}"
    return None
