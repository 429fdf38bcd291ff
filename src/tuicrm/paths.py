"""Where the database, config and drafts live: ``--db``, else ``$TUICRM_DB``, else XDG."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "tuicrm"


def config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "tuicrm" / "config.toml"


def state_dir() -> Path:
    """What tuicrm keeps between runs that is not data (drafts of open forms)."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "tuicrm"


def drafts_dir() -> Path:
    return state_dir() / "drafts"


def default_db_path() -> Path:
    return data_dir() / "crm.db"


def demo_db_path() -> Path:
    return data_dir() / "demo.db"


def resolve_db(option: str | None) -> str:
    """A SQLAlchemy URL or a filesystem path, as the user gave it (or the default)."""
    if option:
        return option
    env = os.environ.get("TUICRM_DB")
    if env:
        return env
    return str(default_db_path())


def to_url(target: str) -> tuple[str, Path | None]:
    """Return (SQLAlchemy URL, file path or None) for a path or URL.

    The query of a ``sqlite:///`` URL is never part of the path (``x.db?mode=ro`` is ``x.db``);
    ``tuicrm.db.parse_target`` also says whether it is read-only.
    """
    if "://" in target:
        if target.startswith("sqlite:///") and not target.startswith("sqlite:///:memory:"):
            rest = target[len("sqlite:///") :].split("?", 1)[0]
            rest = rest[len("file:") :] if rest.startswith("file:") else rest
            return target, Path(rest) if rest else None
        return target, None
    path = Path(target).expanduser()
    return f"sqlite:///{path}", path
