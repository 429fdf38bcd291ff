"""Drafts of open forms (issue #21): what the rep typed survives a crash or a dropped SSH link.

An open form's changed fields, each with the value the form started from, and the version of the
row it edits are kept in one small JSON file per (database, form kind, table, row id or "new"),
under ``$XDG_STATE_HOME/tuicrm/drafts/`` (``tuicrm.paths.drafts_dir``). The folder is 0700, the
files 0600, written through ``tuicrm.safefiles`` (exclusive temporary file, atomic rename), so a
draft is either the previous one or the new one, never half of each.

The form removes its draft when it is saved or cancelled. A draft older than
``config.DRAFT_EXPIRE_DAYS`` is deleted when found. Two databases never share drafts: the file
name starts with a hash of the database's real path.

No Textual here: ``tuicrm.ui.widgets.form_drafts`` is the form's side.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tuicrm import clock, paths, safefiles
from tuicrm.config import DRAFT_EXPIRE_DAYS
from tuicrm.i18n import _

FORMAT = 1
SUFFIX = ".draft.json"
# A draft is a few fields of text; anything bigger is not one of ours.
MAX_BYTES = 1 << 20
_SAFE = re.compile(r"[^A-Za-z0-9_.-]")


@dataclass(frozen=True)
class DraftKey:
    """Which form's draft: its kind (class name), the table and row it edits (``row`` is the id,
    or ``new`` with what it is for: ``new-customer-12``)."""

    kind: str
    table: str
    row: str

    def file_part(self) -> str:
        text = f"{self.kind}-{self.table}-{self.row}"
        safe = _SAFE.sub("_", text)[:120]
        if safe != text:  # names, codes in other scripts: still one file per key
            safe += "-" + hashlib.sha256(text.encode()).hexdigest()[:8]
        return safe


@dataclass(frozen=True)
class FieldDraft:
    base: Any  # what the form showed when it opened
    mine: Any  # what the rep typed


@dataclass(frozen=True)
class Draft:
    key: DraftKey
    database: str
    base_version: int
    saved_at: datetime
    fields: dict[str, FieldDraft] = field(default_factory=dict)


def database_tag(database: str | Path) -> str:
    """A short hash of the database's real path (two databases, two sets of drafts)."""
    real = os.path.realpath(os.path.expanduser(str(database)))
    return hashlib.sha256(real.encode()).hexdigest()[:16]


def expired(saved_at: datetime, now: datetime) -> bool:
    return now - saved_at > timedelta(days=DRAFT_EXPIRE_DAYS)


class Drafts:
    """The drafts of one database, in ``directory`` (default ``tuicrm.paths.drafts_dir()``)."""

    def __init__(self, database: str | Path, directory: Path | None = None) -> None:
        self.database = os.path.realpath(os.path.expanduser(str(database)))
        self.directory = directory if directory is not None else paths.drafts_dir()
        self.tag = database_tag(self.database)

    def path(self, key: DraftKey) -> Path:
        return self.directory / f"{self.tag}-{key.file_part()}{SUFFIX}"

    # -- writing ------------------------------------------------------------------------------

    def _private_directory(self) -> None:
        """The drafts folder exists, is ours and is 0700 (created so; tightened if it was looser)."""
        safefiles.make_private_dirs(self.directory)
        st = os.lstat(self.directory)
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid():
            raise safefiles.FileRefused(
                _("{folder} is not a folder of this user; drafts are not kept there.").format(
                    folder=self.directory
                )
            )
        if stat.S_IMODE(st.st_mode) != 0o700:
            os.chmod(self.directory, 0o700)

    def save(
        self,
        key: DraftKey,
        changes: dict[str, FieldDraft],
        base_version: int = 0,
        now: datetime | None = None,
    ) -> Path:
        """Keep ``changes`` as the draft of ``key`` (replacing the previous one atomically)."""
        self._private_directory()
        saved_at = now or clock.utcnow()
        body = {
            "format": FORMAT,
            "database": self.database,
            "kind": key.kind,
            "table": key.table,
            "row": key.row,
            "base_version": base_version,
            "saved_at": saved_at.astimezone(UTC).isoformat(),
            "fields": {name: {"base": f.base, "mine": f.mine} for name, f in changes.items()},
        }
        data = json.dumps(body, ensure_ascii=False, default=str, indent=1).encode("utf-8")
        target = self.path(key)
        # No fsync: a draft is for the process dying (a kill, a dropped link), not the machine;
        # two fsyncs per half second of typing cost 15-35 ms of the UI thread on a busy disk.
        safefiles.write_bytes(target, data, force=True, durable=False)
        return target

    def remove(self, key: DraftKey) -> bool:
        """Delete the draft of ``key`` (a regular file of ours only). True if there was one."""
        return _remove_ours(self.path(key))

    # -- reading ------------------------------------------------------------------------------

    def load(self, key: DraftKey, now: datetime | None = None) -> Draft | None:
        """The draft of ``key``, or None. An expired, damaged or foreign draft is deleted (if it
        is ours) and not offered; expired drafts of other forms go at the same time."""
        now = now or clock.utcnow()
        self.sweep(now)
        target = self.path(key)
        body = _read_json(target)
        if body is None:
            _remove_ours(target)
            return None
        draft = _parse(body, key)
        if draft is None or draft.database != self.database or expired(draft.saved_at, now):
            _remove_ours(target)
            return None
        return draft

    def sweep(self, now: datetime | None = None) -> int:
        """Delete every expired draft in the folder (any database's). Returns how many went."""
        now = now or clock.utcnow()
        try:
            names = [n for n in os.listdir(self.directory) if n.endswith(SUFFIX)]
        except OSError:
            return 0
        gone = 0
        for name in names:
            p = self.directory / name
            body = _read_json(p)
            saved = _saved_at(body) if body is not None else None
            if saved is None:  # unreadable: judged by the file's own age
                try:
                    saved = datetime.fromtimestamp(os.lstat(p).st_mtime, UTC)
                except OSError:
                    continue
            if expired(saved, now) and _remove_ours(p):
                gone += 1
        return gone


def _remove_ours(p: Path) -> bool:
    try:
        st = os.lstat(p)
    except OSError:
        return False
    if not safefiles.ours(st):
        return False
    try:
        p.unlink()
    except OSError:
        return False
    return True


def _read_json(p: Path) -> dict[str, Any] | None:
    """The JSON object in ``p``, read without following a symlink; None if missing or not one."""
    try:
        fd = os.open(p, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not safefiles.ours(st) or st.st_size > MAX_BYTES:
            return None
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    try:
        body = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return body if isinstance(body, dict) else None


def _saved_at(body: dict[str, Any]) -> datetime | None:
    try:
        saved = datetime.fromisoformat(str(body["saved_at"]))
    except (KeyError, ValueError):
        return None
    return saved if saved.tzinfo is not None else saved.replace(tzinfo=UTC)


def _parse(body: dict[str, Any], key: DraftKey) -> Draft | None:
    saved_at = _saved_at(body)
    fields = body.get("fields")
    version = body.get("base_version", 0)
    if (
        body.get("format") != FORMAT
        or saved_at is None
        or not isinstance(fields, dict)
        or not isinstance(version, int)
        or (body.get("kind"), body.get("table"), body.get("row")) != (key.kind, key.table, key.row)
    ):
        return None
    changes = {}
    for name, value in fields.items():
        if not isinstance(value, dict) or "mine" not in value:
            return None
        changes[str(name)] = FieldDraft(value.get("base"), value["mine"])
    return Draft(key, str(body.get("database", "")), version, saved_at, changes)


__all__ = ["Draft", "DraftKey", "Drafts", "FieldDraft", "database_tag", "expired"]
