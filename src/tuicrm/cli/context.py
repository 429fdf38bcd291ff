"""What every command shares: the ``--db`` choice, opening the store, dates, references, writes.

Light at import: the store and SQLModel load inside the functions that need them.
Public (also used by ``tuicrm.bench``): ``state``, ``open_store``.
"""

from __future__ import annotations

import sys

from tuicrm.cli import reads
from tuicrm.cli.output import EXIT_BAD_INPUT, EXIT_NOT_FOUND, ambiguous, fail
from tuicrm.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date
    from typing import Any, TypeVar

    from tuicrm.config import Config
    from tuicrm.store import Store

    T = TypeVar("T")


class State:
    """The run's choices made on the root command (``--db``)."""

    db: str | None = None
    # Whether the command may create a missing database: ``demo``, ``add``, ``import`` and the
    # TUI without ``--db``. Every other command says the database does not exist (issue #14).
    creates: bool = False


state = State()


def config_file() -> str:
    """Where ``tuicrm.config.load_config`` looks (``$TUICRM_CONFIG``, else the XDG config dir), by
    ``os.path`` alone: most reps have no config file, and then no TOML parser or pathlib loads."""
    import os

    named = os.environ.get("TUICRM_CONFIG")
    if named:
        return named
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return os.path.join(base, "tuicrm", "config.toml")


def load_config() -> Config:
    import os

    from tuicrm.config import DEFAULT, ConfigError
    from tuicrm.config import load_config as load

    if not os.path.exists(config_file()):
        return DEFAULT

    try:
        return load()
    except ConfigError as exc:  # names the key and the file
        fail(str(exc))
    except (ValueError, OSError) as exc:
        fail(_("cannot read the config file: {error}").format(error=exc))


def open_store() -> Store:
    """The migrating Store on the ``--db`` target (else $TUICRM_DB, else XDG).

    Refused in one sentence, exit 1, with nothing created or changed: a missing database (unless
    the command creates one, ``state.creates``), a file that is not a tuicrm database, one made
    by a newer tuicrm. A database the rep may not write opens read-only (``tuicrm.db``).
    """
    from tuicrm.db import DatabaseError
    from tuicrm.paths import resolve_db
    from tuicrm.store import Store

    config = load_config()
    try:
        from tuicrm.db import make_engine

        return Store(make_engine(resolve_db(state.db), create=state.creates), config)
    except DatabaseError as exc:
        fail(str(exc), EXIT_NOT_FOUND)


def today() -> date:
    try:
        return reads.today()
    except ValueError as exc:
        fail(str(exc))


def parse_date(value: str) -> date | str:
    """A date the rep typed (+3d, fri, 2026-12-01), or ``"auto"`` (the cadence rule)."""
    from tuicrm.domain.dates import DateInputError, parse_date_input

    try:
        return parse_date_input(value, today(), allow_auto=True)
    except DateInputError as exc:
        fail(str(exc))


def parse_day(value: str) -> date:
    """A date the rep typed; ``auto`` is refused here."""
    from tuicrm.domain.dates import DateInputError, parse_date_input

    try:
        day = parse_date_input(value, today(), allow_auto=False)
    except DateInputError as exc:
        fail(str(exc))
    assert not isinstance(day, str)  # allow_auto=False: always a date
    return day


# SQLite's largest row id: a longer number names no row (and would overflow the query).
MAX_ID = 2**63 - 1


def impossible_id(ref: str) -> bool:
    """True when ``ref`` is all digits but no row id: too large, or digits ``int()`` refuses (``²``)."""
    ref = (ref or "").strip()
    if not ref.isdigit():
        return False
    return not ref.isascii() or len(ref) > 19 or int(ref) > MAX_ID


def customer_not_found(ref: str) -> str:
    from tuicrm.cli.output import plain

    return _("No customer matches '{ref}'.").format(ref=plain(ref.strip()))


def resolve(session: Any, ref: str) -> Any:
    """The customer ``ref`` names; ambiguous exits 2 listing the candidates, not found exits 1."""
    import typer

    if impossible_id(ref):
        fail(customer_not_found(ref), EXIT_NOT_FOUND)
    try:
        return reads.resolve_customer(session, ref)
    except reads.Ambiguous as exc:
        ambiguous(str(exc), exc.candidates)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except reads.NotFound as exc:
        fail(str(exc), EXIT_NOT_FOUND)


def run_write(store: Store, label: str, fn: Callable[[Any], T]) -> T:
    """Run ``fn(session)`` in one write transaction, turning rule violations into one sentence."""
    from tuicrm.store import DatabaseBusy
    from tuicrm.store.errors import CannotWrite, StoreError

    try:
        with store.write(label) as session:
            return fn(session)
    except (DatabaseBusy, CannotWrite) as exc:  # not the rep's input: busy, read-only, disk full
        fail(str(exc), EXIT_NOT_FOUND)
    except StoreError as exc:
        fail(str(exc))


def check_lengths(table: str, fields: dict[str, object], labels: dict[str, str] | None = None) -> None:
    """Every text in ``fields`` within its one limit (``tuicrm.domain.limits``), else one sentence
    naming the option (``--notes is 10001 characters; at most 8000 fit.``), exit 2."""
    from tuicrm.domain.limits import LengthError, check_fields

    names = {k: f"--{k.replace('_', '-')}" for k in fields}
    names.update(labels or {})
    try:
        check_fields(table, fields, names)
    except LengthError as exc:
        fail(str(exc))


def read_text(value: str) -> str:
    """``-`` reads the text from stdin, so private notes need not sit in argv."""
    if value == "-":
        return sys.stdin.read().strip()
    return value


def read_text_arg(value: str | None) -> str | None:
    """``read_text`` for an optional value."""
    return None if value is None else read_text(value)


__all__ = [
    "State",
    "state",
    "open_store",
    "load_config",
    "today",
    "parse_date",
    "parse_day",
    "resolve",
    "run_write",
    "impossible_id",
    "check_lengths",
    "customer_not_found",
]
