"""Read-only queries through the standard library's ``sqlite3``: the fast path (issue #5).

``tuicrm due``, ``find`` and ``show`` are what a rep types over SSH many times a day. Going
through SQLModel costs half a second of imports before the first query runs; this module
answers the same questions from the same schema with nothing heavier than ``sqlite3``,
``re`` and ``datetime`` (``decimal`` and the scoring rules load only for ``due``).
SQLModel stays the one writer: nothing here writes.

The search SQL (FTS5 trigram index, partial indexes for the list order) lives here too, as
one ``CustomerSearch`` that runs either on a ``sqlite3`` connection (the CLI) or on a
SQLAlchemy session's connection (``tuicrm.store.search``, the TUI): one query plan, two
drivers. ``tests/perf/test_fastread.py`` holds this module and the store functions to the
same answers on a demo database.

Use ``connect(target)``: it returns None whenever the fast path cannot be trusted (a URL
that is not a SQLite file, a missing file, a schema that is not at the head revision and
needs the migrating ``Store``, SQLite errors), and the caller then takes the ``Store`` path.
"""

from __future__ import annotations

import os
import re
import sqlite3
from datetime import UTC, date, datetime, timedelta

from tuicrm.domain.privacy import mask_phone, phone_digits

# -- the clock, without pendulum --------------------------------------------------------


def today() -> date:
    """``tuicrm.clock.today()`` without importing pendulum (same answer; same errors via clock)."""
    pinned = os.environ.get("TUICRM_NOW")
    if pinned:
        try:
            return datetime.fromisoformat(pinned.strip()).date()
        except ValueError:
            # Forms fromisoformat does not read (or nonsense): pendulum decides, and words the error.
            from tuicrm import clock

            return clock.today()
    return datetime.now().date()


# -- schema check and connection ------------------------------------------------------------

_HEAD_RE = re.compile(r'^HEAD_REVISION\s*=\s*["\']([^"\']+)["\']', re.MULTILINE)
_head_cache: list[str] = []


def head_revision() -> str:
    """``tuicrm.db.HEAD_REVISION`` read from the source, so SQLAlchemy is not imported."""
    if _head_cache:
        return _head_cache[0]
    value = None
    try:
        from importlib.util import find_spec

        spec = find_spec("tuicrm.db")
        if spec and spec.origin and spec.origin.endswith(".py"):
            with open(spec.origin, encoding="utf-8") as fh:
                m = _HEAD_RE.search(fh.read())
            value = m.group(1) if m else None
    except OSError:
        value = None
    if value is None:  # installed without sources, or the constant moved: ask the module itself
        from tuicrm.db import HEAD_REVISION

        value = HEAD_REVISION
    _head_cache.append(value)
    return value


def resolve_target(option: str | None) -> str:
    """``tuicrm.paths.resolve_db`` without pathlib: ``--db``, else ``$TUICRM_DB``, else XDG."""
    if option:
        return option
    env = os.environ.get("TUICRM_DB")
    if env:
        return env
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "tuicrm", "crm.db")


def sqlite_file(target: str) -> str | None:
    """The file path of a ``--db`` target, or None for URLs that are not plain SQLite files."""
    if "://" in target:
        if target.startswith("sqlite:///") and not target.startswith("sqlite:///:memory:"):
            path = target[len("sqlite:///") :]
            return None if "?" in path else path
        return None
    return os.path.expanduser(target)


def connect(target: str) -> sqlite3.Connection | None:
    """A read-only connection to a current tuicrm database, or None (then use the Store)."""
    path = sqlite_file(target)
    if not path or not os.path.isfile(path) or os.path.islink(path):
        return None  # the Store explains (a missing file, a symlink: refused)
    conn = None
    for uri in (True, False):
        try:
            if uri:
                # Read-only. On a WAL database SQLite needs the -shm file (or the right to create
                # it); when that fails we fall back to a normal open, still only reading.
                quoted = path.replace("%", "%25").replace("?", "%3f").replace("#", "%23")
                conn = sqlite3.connect(
                    f"file:{quoted}?mode=ro",
                    uri=True,
                    timeout=15,
                    isolation_level=None,
                    check_same_thread=False,
                )
            else:
                conn = sqlite3.connect(path, timeout=15, isolation_level=None, check_same_thread=False)
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            if not row or row[0] != head_revision():
                conn.close()
                return None
            from tuicrm.safefiles import tighten

            tighten(path)  # a read makes the database and its -wal/-shm private too (issue #14)
            return conn
        except sqlite3.Error:
            if conn is not None:
                conn.close()
                conn = None
    return None


# -- small conversions --------------------------------------------------------------------


def _date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _iso_date(value) -> str | None:
    d = _date(value)
    return d.isoformat() if d is not None else None


def _iso_utc(value) -> str | None:
    """A stored naive-UTC timestamp as SQLModel hands it back: ISO 8601 with +00:00."""
    if value is None:
        return None
    if isinstance(value, datetime):
        dt = value
    else:
        dt = datetime.fromisoformat(str(value))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    else:
        dt = dt.astimezone(UTC)
    return dt.isoformat()


def money_text(cents) -> str | None:
    """Integer cents as ``str(Decimal)`` quantized to 0.01, without importing decimal."""
    if cents is None:
        return None
    cents = int(cents)
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _quoted(values) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _ids_sql(ids) -> str:
    return ", ".join(str(int(i)) for i in ids) or "NULL"


# -- customer search: one plan for the CLI and the TUI ------------------------------------

ROW_COLUMNS = (
    "id",
    "code",
    "name",
    "alias",
    "industry",
    "status",
    "tier",
    "phone",
    "email",
    "next_follow_up_on",
    "next_action",
    "owner",
)
SORT_COLUMNS = {
    "code": "code",
    "name": "name",
    "tier": "tier",
    "status": "status",
    "industry": "industry",
    "next": "next_follow_up_on",
    "owner": "owner",
}
# Indexes over live customers in each sort order (migration 0003; "next" uses ix_customer_due).
LIVE_INDEX = {
    "code": "ix_customer_live_code",
    "name": "ix_customer_live_name",
    "tier": "ix_customer_live_tier",
    "status": "ix_customer_live_status",
    "industry": "ix_customer_live_industry",
    "owner": "ix_customer_live_owner",
    "next": "ix_customer_due",
}
# Up to this many text matches, a window is cut from the sorted matches; above it, the list
# walks the sort index and checks each row's text (stops as soon as the window is full).
SORT_MATCHES_UP_TO = 4000
# With more matches, a window ending within the first WALK_WINDOW_UP_TO rows is first looked for
# among the first WALK_BUDGET rows of the sort order (cheap when matches are dense there).
WALK_WINDOW_UP_TO = 1000
WALK_BUDGET = 3000
NOT_NULL_SORT = ("name", "code", "tier", "status")  # row-value bounds need non-NULL keys
# 1-2 character text goes through the index when at most this many trigrams start with it.
PREFIX_TERMS_UP_TO = 64
_FILTER_FIELDS = ("text", "tier", "status", "industry", "tag", "owner", "due_by", "include_archived")


class Filter:
    """The fields of ``tuicrm.store.search.CustomerFilter``, for callers without dataclasses."""

    __slots__ = _FILTER_FIELDS

    def __init__(
        self,
        text: str = "",
        tier=None,
        status=None,
        industry=None,
        tag=None,
        owner=None,
        due_by: date | None = None,
        include_archived: bool = False,
    ):
        self.text, self.tier, self.status, self.industry = text, tier, status, industry
        self.tag, self.owner, self.due_by, self.include_archived = tag, owner, due_by, include_archived


def text_terms(text: str | None) -> list[str]:
    """What a search looks for: the lower-cased text, and its digits when it reads like a phone."""
    text = (text or "").strip().lower()
    if not text:
        return []
    terms = [text]
    digits = phone_digits(text)
    if digits and digits != text and len(digits) >= 3:
        terms.append(digits)
    return terms


class CustomerSearch:
    """Count and page the customer list. ``run(sql, params)`` returns a list of row tuples.

    One instance per read transaction: it remembers the text matches it has counted, so the
    count and the first window of a keystroke share one scan.
    """

    def __init__(self, run, version=None):
        self.run = run
        self.version = version or (lambda: 0)  # changes when this connection writes: forget matches
        self.dbapi = None
        self._fts: bool | None = None
        self._vocab: bool | None = None
        self._sources: dict[tuple, tuple[str, list]] = {}
        self._matches: dict[tuple, tuple[int, list[int] | None]] = {}

    @property
    def fts(self) -> bool:
        if self._fts is None:
            self._fts = bool(
                self.run("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'customer_fts'", ())
            )
        return self._fts

    # -- pieces -----------------------------------------------------------------------

    @staticmethod
    def _conditions(f, *, live_text: bool) -> tuple[list[str], list]:
        """WHERE terms on ``customer c`` except the text (unless it is searched by LIKE)."""
        conds: list[str] = []
        params: list = []
        if not f.include_archived:
            conds.append("c.archived_at IS NULL")
        for key in ("tier", "status", "industry", "owner"):
            value = getattr(f, key)
            if value:
                conds.append(f"c.{key} = ?")
                params.append(value)
        if f.tag:
            conds.append("lower(',' || replace(c.tags, ' ', '') || ',') LIKE ? ESCAPE '\\'")
            params.append(f"%,{escape_like(f.tag.strip().lower())},%")
        if f.due_by:
            conds.append("c.next_follow_up_on <= ?")
            params.append(f.due_by.isoformat())
        terms = text_terms(f.text)
        if terms and not live_text:
            conds.append("(" + " OR ".join("c.search_text LIKE ? ESCAPE '\\'" for _ in terms) + ")")
            params += [f"%{escape_like(t)}%" for t in terms]
        return conds, params

    @staticmethod
    def _has_other_filters(f) -> bool:
        return any(getattr(f, k) for k in ("tier", "status", "industry", "tag", "owner", "due_by"))

    def _use_index(self, f) -> bool:
        """Text matches come from ``customer_fts`` (live customers only)."""
        return bool(text_terms(f.text)) and not f.include_archived and self.fts

    @staticmethod
    def _match_query(terms: list[str]) -> str:
        return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)

    @staticmethod
    def _like_terms(terms: list[str]) -> tuple[str, list]:
        return (" OR ".join("t.c0 LIKE ? ESCAPE '\\'" for _ in terms), [f"%{escape_like(t)}%" for t in terms])

    @property
    def vocab(self) -> bool:
        """``customer_fts_vocab`` and the tail indexes: short text through the index too."""
        if self._vocab is None:
            self._vocab = (
                self.fts
                and len(
                    self.run(
                        "SELECT name FROM sqlite_master WHERE name IN ('customer_fts_vocab', 'ix_customer_live_tail1', "
                        "'ix_customer_live_tail2')",
                        (),
                    )
                )
                == 3
            )
        return self._vocab

    def _short_source(self, text: str) -> tuple[str, list] | None:
        """Ids of live customers containing a 1- or 2-character ``text``, through the index.

        The trigram index has no 1- or 2-character tokens, but every occurrence of ``text``
        is the start of an indexed trigram, unless it sits in the text's last two characters.
        So: the trigrams that start with ``text`` (from the FTS5 vocabulary, a range lookup),
        united with the customers whose text ends that way (two small expression indexes).
        None when too many trigrams start with it (a lone common letter): scanning is cheaper.
        """
        if not self.vocab:
            return None
        upper = text[:-1] + chr(ord(text[-1]) + 1)
        prefix = [
            r[0]
            for r in self.run(
                "SELECT term FROM customer_fts_vocab WHERE term >= ? AND term < ? LIMIT ?",
                (text, upper, PREFIX_TERMS_UP_TO + 1),
            )
        ]
        if len(prefix) > PREFIX_TERMS_UP_TO:
            return None
        parts: list[str] = []
        params: list = []
        if prefix:
            parts.append("SELECT rowid AS id FROM customer_fts WHERE customer_fts MATCH ?")
            params.append(self._match_query(prefix))
        live = "c.archived_at IS NULL"
        if len(text) == 2:
            parts.append(
                f"SELECT c.id AS id FROM customer c INDEXED BY ix_customer_live_tail2 WHERE {live} "
                "AND substr(c.search_text, -2) = ?"
            )
            params.append(text)
        else:
            parts.append(
                f"SELECT c.id AS id FROM customer c INDEXED BY ix_customer_live_tail2 WHERE {live} "
                "AND substr(c.search_text, -2) >= ? AND substr(c.search_text, -2) < ?"
            )
            parts.append(
                f"SELECT c.id AS id FROM customer c INDEXED BY ix_customer_live_tail1 WHERE {live} "
                "AND substr(c.search_text, -1) = ?"
            )
            params += [text, upper, text]
        return " UNION ".join(parts), params

    def _text_matches(self, terms: list[str]) -> tuple[int, list[int] | None]:
        """(number of live customers whose text matches, their ids when few) — remembered."""
        key = (tuple(terms), self.version())
        known = self._matches.get(key)
        if known is not None:
            return known
        if all(len(t) >= 3 for t in terms):
            n = self.run(
                "SELECT count(*) FROM customer_fts WHERE customer_fts MATCH ?", (self._match_query(terms),)
            )[0][0]
            result: tuple[int, list[int] | None] = (n, None)
        else:
            # Fewer than 3 characters (one term: a phone-digits alternative has 3 or more).
            short = self._short_source(terms[0])
            if short is not None:
                source, params = short
                self._sources[key] = short
            else:
                # Scan the index's narrow text copy (the FTS5 content table), not the wide rows.
                where, params = self._like_terms(terms)
                source = f"SELECT t.id AS id FROM customer_fts_content t WHERE {where}"
            # The ids when they are few (one pass); when they are many, a count(*) that stays in
            # SQLite (no Python objects for 100 000 ids, and the GIL stays free for the UI).
            rows = self.run(f"SELECT id FROM ({source}) LIMIT ?", (*params, SORT_MATCHES_UP_TO + 1))
            if len(rows) <= SORT_MATCHES_UP_TO:
                result = (len(rows), [r[0] for r in rows])
            else:
                result = (self.run(f"SELECT count(*) FROM ({source})", tuple(params))[0][0], None)
        self._matches[key] = result
        return result

    def assume_count(self, text: str, n: int) -> None:
        """Take ``n`` (a count known from before) as the number of live customers whose text
        matches ``text``, so paging need not count them. Only for many matches (above
        ``SORT_MATCHES_UP_TO``): paging few matches uses their ids, which counting reads.
        The rows stay exact whatever ``n`` is; only the shortcut taken to find them depends on it.
        """
        terms = text_terms(text)
        if terms and n > SORT_MATCHES_UP_TO:
            self._matches[(tuple(terms), self.version())] = (n, None)

    def _match_source(self, terms: list[str]) -> tuple[str, list]:
        """SQL for ``c.id IN (...)``: the ids of live customers whose text matches."""
        _n, ids = self._text_matches(terms)
        if ids is not None:  # the short-text scan already found them
            return _ids_sql(ids), []
        if all(len(t) >= 3 for t in terms):
            return "SELECT rowid AS id FROM customer_fts WHERE customer_fts MATCH ?", [
                self._match_query(terms)
            ]
        short = self._sources.get((tuple(terms), self.version()))
        if short is not None:
            return short[0], list(short[1])
        where, params = self._like_terms(terms)
        return f"SELECT t.id AS id FROM customer_fts_content t WHERE {where}", params

    def _from_matches(self, terms: list[str]) -> tuple[str, list]:
        """FROM clause that starts at the matches (few of them) and looks up each customer."""
        source, params = self._match_source(terms)
        _n, ids = self._text_matches(terms)
        if ids is not None:
            return f"customer c NOT INDEXED WHERE c.id IN ({source})", params
        return f"({source}) m CROSS JOIN customer c ON c.id = m.id", params

    # -- the two questions ------------------------------------------------------------------

    def count(self, f) -> int:
        terms = text_terms(f.text)
        if not terms or not self._use_index(f):
            conds, params = self._conditions(f, live_text=False)
            where = " AND ".join(conds) or "1"
            hint = " NOT INDEXED" if terms else ""  # a LIKE over every row: a plain scan is cheapest
            return self.run(f"SELECT count(*) FROM customer c{hint} WHERE {where}", tuple(params))[0][0]
        n, _ids = self._text_matches(terms)
        if not self._has_other_filters(f) or n == 0:
            return n
        source, sparams = self._from_matches(terms)
        conds, params = self._conditions(f, live_text=True)
        joiner = " AND " if " WHERE " in source else " WHERE "
        return self.run(f"SELECT count(*) FROM {source}{joiner}{' AND '.join(conds)}", (*sparams, *params))[
            0
        ][0]

    def page_ids(
        self, f, offset: int = 0, limit: int = 100, sort: str = "name", descending: bool = False
    ) -> list[int]:
        column = SORT_COLUMNS.get(sort, "name")
        direction = "DESC" if descending else "ASC"
        order = f"c.{column} {direction}, c.id {direction}"
        terms = text_terms(f.text)
        hint = f" INDEXED BY {LIVE_INDEX.get(sort, LIVE_INDEX['name'])}" if not f.include_archived else ""
        window = (max(0, int(limit)), max(0, int(offset)))
        if not terms or not self._use_index(f):
            conds, params = self._conditions(f, live_text=False)
            where = " AND ".join(conds) or "1"
            rows = self.run(
                f"SELECT c.id FROM customer c{hint} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
                (*params, *window),
            )
            return [r[0] for r in rows]
        n, _ids = self._text_matches(terms)
        if n == 0 or not window[0]:
            return []
        conds, params = self._conditions(f, live_text=True)
        where = " AND ".join(conds)
        if n <= SORT_MATCHES_UP_TO:  # few matches: look each up and sort them
            source, sparams = self._from_matches(terms)
            joiner = " AND " if " WHERE " in source else " WHERE "
            rows = self.run(
                f"SELECT c.id FROM {source}{joiner}{where} ORDER BY {order} LIMIT ? OFFSET ?",
                (*sparams, *params, *window),
            )
            return [r[0] for r in rows]
        if column in NOT_NULL_SORT and sum(window) <= WALK_WINDOW_UP_TO:
            # Many matches, near the top: walk the first WALK_BUDGET rows of the sort order and
            # check each row's text. Dense matches fill the window after a few rows.
            edge = self.run(
                f"SELECT c.{column}, c.id FROM customer c{hint} WHERE {where} ORDER BY {order} "
                "LIMIT 1 OFFSET ?",
                (*params, WALK_BUDGET - 1),
            )
            like, lparams = self._like_terms(terms)
            bound = ""
            bparams: tuple = ()
            if edge:
                bound = f" AND (c.{column}, c.id) {'>=' if descending else '<='} (?, ?)"
                bparams = tuple(edge[0])
            rows = self.run(
                f"SELECT c.id FROM customer c{hint} WHERE {where}{bound} AND EXISTS (SELECT 1 FROM "
                f"customer_fts_content t WHERE t.id = c.id AND ({like})) ORDER BY {order} LIMIT ? OFFSET ?",
                (*params, *bparams, *lparams, *window),
            )
            if len(rows) == window[0] or not edge:
                return [r[0] for r in rows]
        # Many matches, sparse along this order or deep in the list: walk the sort index against
        # the set of matching ids.
        source, sparams = self._match_source(terms)
        rows = self.run(
            f"SELECT c.id FROM customer c{hint} WHERE {where} AND c.id IN ({source}) "
            f"ORDER BY {order} LIMIT ? OFFSET ?",
            (*params, *sparams, *window),
        )
        return [r[0] for r in rows]

    def rows(self, ids: list[int]) -> list[tuple]:
        """The list columns (``ROW_COLUMNS``) of these customers, in the order given."""
        if not ids:
            return []
        found = {
            r[0]: r
            for r in self.run(
                f"SELECT {', '.join(ROW_COLUMNS)} FROM customer WHERE id IN ({_ids_sql(ids)})", ()
            )
        }
        out = []
        for i in ids:
            r = found.get(i)
            if r is not None:
                out.append(r[:9] + (_date(r[9]),) + r[10:])
        return out

    def page(
        self, f, offset: int = 0, limit: int = 100, sort: str = "name", descending: bool = False
    ) -> list[tuple]:
        return self.rows(self.page_ids(f, offset, limit, sort, descending))


def runner(conn: sqlite3.Connection):
    """``CustomerSearch(runner(conn))``: run its SQL on a sqlite3 connection."""
    return lambda sql, params: conn.execute(sql, params).fetchall()


def dbapi(session) -> sqlite3.Connection:
    """The sqlite3 connection under a SQLAlchemy session, inside the session's transaction.

    For readers that hold a ``Store.read()`` session and want this module's queries (the TUI's
    overdue panel: ``due_counts`` + ``due_top`` instead of scoring every due customer).
    """
    return session.connection().connection.dbapi_connection


class FoundRow:
    """One ``find`` result (the attributes of ``tuicrm.store.search.CustomerRow``)."""

    __slots__ = ROW_COLUMNS

    def __init__(self, values: tuple):
        for key, value in zip(ROW_COLUMNS, values, strict=True):
            setattr(self, key, value)


def find(conn: sqlite3.Connection, query: str, limit: int = 50) -> list[FoundRow]:
    """``tuicrm.store.search.find``: customers whose text contains ``query``, by name."""
    if not (query or "").strip():
        return []
    search = CustomerSearch(runner(conn))
    return [FoundRow(r) for r in search.page(Filter(text=query), limit=limit, sort="name")]


# -- the due list --------------------------------------------------------------------------

_DUE_COLUMNS = "c.id, c.code, c.name, c.tier, c.status, c.next_follow_up_on, c.next_action"


def _open_stages_sql() -> str:
    from tuicrm.config import OPEN_STAGES

    return _quoted(OPEN_STAGES)


def _pipeline_sql() -> str:
    # Literal stages so the partial index ix_opportunity_open applies (bound parameters would not).
    return (
        "(SELECT sum(o.amount) FROM opportunity o WHERE o.customer_id = c.id "
        f"AND o.stage IN ({_open_stages_sql()}) AND o.archived_at IS NULL)"
    )


class DueEntry:
    """One due customer (the attributes of ``tuicrm.store.followups.DueItem``)."""

    __slots__ = (
        "customer_id",
        "code",
        "name",
        "tier",
        "status",
        "next_on",
        "next_action",
        "days_overdue",
        "open_pipeline",
        "priority",
    )

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


def _due_entries(rows: list[tuple], today_: date, config) -> list[DueEntry]:
    """Rows of (_DUE_COLUMNS, open pipeline cents) scored exactly as the store scores them."""
    from decimal import Decimal

    from tuicrm.domain.scoring import call_next_priority

    out = []
    for cid, code, name, tier, status, next_on, action, cents in rows:
        item = DueEntry()
        item.customer_id, item.code, item.name, item.tier, item.status = cid, code, name, tier, status
        item.next_on = _date(next_on)
        item.next_action = action
        item.days_overdue = max(0, (today_ - item.next_on).days)
        item.open_pipeline = Decimal(int(cents or 0)) / 100
        item.priority = call_next_priority(item.next_on, tier, item.open_pipeline, today_, config)
        out.append(item)
    return out


def _now_sort(items: list[DueEntry]) -> list[DueEntry]:
    from tuicrm.domain.scoring import sort_key

    return sorted(items, key=lambda i: sort_key(i.priority, i.name))


def due(conn: sqlite3.Connection, config, today_: date, days: int = 0) -> list[DueEntry]:
    """``tuicrm.store.followups.due``: overdue and due today in call-next order, then ``days`` ahead."""
    horizon = today_ + timedelta(days=max(0, days))
    rows = conn.execute(
        f"SELECT {_DUE_COLUMNS}, {_pipeline_sql()} FROM customer c INDEXED BY ix_customer_due "
        "WHERE c.archived_at IS NULL AND c.next_follow_up_on IS NOT NULL AND c.next_follow_up_on <= ?",
        (horizon.isoformat(),),
    ).fetchall()
    items = _due_entries(rows, today_, config)
    now_items = _now_sort([i for i in items if i.next_on <= today_])
    later = sorted((i for i in items if i.next_on > today_), key=lambda i: (i.next_on, i.name))
    return now_items + later


def due_counts(conn: sqlite3.Connection, today_: date, days: int = 0) -> tuple[int, int, int]:
    """(overdue, due today, ahead within ``days``)."""
    t = today_.isoformat()
    row = conn.execute(
        "SELECT sum(next_follow_up_on < ?), sum(next_follow_up_on = ?), sum(next_follow_up_on > ?) "
        "FROM customer INDEXED BY ix_customer_due "
        "WHERE archived_at IS NULL AND next_follow_up_on IS NOT NULL AND next_follow_up_on <= ?",
        (t, t, t, (today_ + timedelta(days=max(0, days))).isoformat()),
    ).fetchone()
    return row[0] or 0, row[1] or 0, row[2] or 0


def due_top(conn: sqlite3.Connection, config, today_: date, days: int, limit: int) -> list[DueEntry]:
    """The first ``limit`` items of ``due(...)`` without scoring every due customer in Python.

    The call-next score is ``(days overdue + 1) × tier weight + pipeline bonus`` with the bonus
    between 0 and ``pipeline_weight_cap`` (amounts are never negative). SQLite ranks the due
    customers by the first term alone (a covering index, no pipeline sums); whoever's first
    term is more than the cap (+0.001 for the rounding to 4 places) below the ``limit``-th
    cannot reach the first ``limit``. Only the rest are scored exactly, as the store does.
    """
    t = today_.isoformat()
    weights = dict(config.tier_weights)
    case = "CASE c.tier " + " ".join("WHEN ? THEN ?" for _ in weights) + " ELSE ? END"
    case_params = [x for kv in weights.items() for x in kv] + [weights.get("D", 1.0)]
    base = (
        "SELECT c.id AS id, (max(0, julianday(?) - julianday(c.next_follow_up_on)) + 1) * ("
        + case
        + ") AS b "
        "FROM customer c INDEXED BY ix_customer_pending "
        "WHERE c.archived_at IS NULL AND c.next_follow_up_on IS NOT NULL AND c.next_follow_up_on <= ?"
    )
    margin = max(0.0, float(config.pipeline_weight_cap)) + 0.001
    candidates = conn.execute(
        f"WITH base AS ({base}) SELECT id FROM base WHERE b >= "
        "coalesce((SELECT b FROM base ORDER BY b DESC LIMIT 1 OFFSET ?), -1e300) - ?",
        (t, *case_params, t, max(0, limit - 1), margin),
    ).fetchall()
    rows = (
        conn.execute(
            f"SELECT {_DUE_COLUMNS}, {_pipeline_sql()} FROM customer c "
            f"WHERE c.id IN ({_ids_sql(r[0] for r in candidates)})"
        ).fetchall()
        if candidates
        else []
    )
    rows.sort(key=lambda r: (r[5], r[0]))  # the store's scan order, so equal keys keep the same order
    items = _now_sort(_due_entries(rows, today_, config))[:limit]
    if len(items) < limit and days > 0:
        rows = conn.execute(
            f"SELECT {_DUE_COLUMNS}, {_pipeline_sql()} FROM customer c INDEXED BY ix_customer_due "
            "WHERE c.archived_at IS NULL AND c.next_follow_up_on > ? AND c.next_follow_up_on <= ? "
            "ORDER BY c.next_follow_up_on, c.name, c.id LIMIT ?",
            (t, (today_ + timedelta(days=days)).isoformat(), limit - len(items)),
        ).fetchall()
        items += _due_entries(rows, today_, config)
    return items


# -- resolving a reference and the customer card ---------------------------------------------


class NotFound(Exception):
    """Same message as ``tuicrm.store.errors.NotFound``."""


class Ambiguous(Exception):
    """Same message as ``tuicrm.store.errors.Ambiguous``; ``candidates`` are (code, name)."""

    def __init__(self, message: str, candidates: list[tuple[str, str]]):
        super().__init__(message)
        self.candidates = candidates


def resolve(conn: sqlite3.Connection, ref: str) -> int:
    """``tuicrm.store.customers.resolve_customer`` (live customers): the customer's id."""
    ref = (ref or "").strip()
    if not ref:
        raise NotFound("Name a customer: a code like C000042, an id, or part of the name.")
    if re.fullmatch(r"[Cc]\d{1,9}", ref):
        row = conn.execute(
            "SELECT id FROM customer WHERE code = ? LIMIT 1", (f"C{int(ref[1:]):06d}",)
        ).fetchone()
        if row:
            return row[0]
    if ref.isdigit():
        row = conn.execute("SELECT id, archived_at FROM customer WHERE id = ?", (int(ref),)).fetchone()
        if row and row[1] is None:
            return row[0]
    exact = conn.execute(
        "SELECT id FROM customer WHERE archived_at IS NULL AND lower(name) = ? LIMIT 2", (ref.lower(),)
    ).fetchall()
    if len(exact) == 1:
        return exact[0][0]
    like = f"%{escape_like(ref.lower())}%"
    where = (
        "c.archived_at IS NULL AND (lower(c.name) LIKE ? ESCAPE '\\' OR lower(c.alias) LIKE ? ESCAPE '\\')"
    )
    terms = [ref.lower()]
    if len(terms[0]) >= 3 and CustomerSearch(runner(conn)).fts:
        # The trigram index narrows the candidates (name and alias are part of the search text).
        sql = (
            f"SELECT c.id, c.code, c.name FROM customer c WHERE c.id IN (SELECT rowid FROM customer_fts "
            f"WHERE customer_fts MATCH ?) AND {where} ORDER BY c.name, c.id LIMIT 21"
        )
        matches = conn.execute(sql, (CustomerSearch._match_query(terms), like, like)).fetchall()
    else:
        matches = conn.execute(
            f"SELECT c.id, c.code, c.name FROM customer c WHERE {where} ORDER BY c.name, c.id LIMIT 21",
            (like, like),
        ).fetchall()
    if not matches:
        raise NotFound(f"No customer matches '{ref}'.")
    if len(matches) > 1:
        n = len(matches) if len(matches) <= 20 else "more than 20"
        raise Ambiguous(f"'{ref}' matches {n} customers.", [(m[1], m[2]) for m in matches[:20]])
    return matches[0][0]


# Each table's fields in model order (``tests/perf/test_fastread.py`` holds them to models.py),
# with how SQLModel turns the stored value into JSON: d date, t UTC timestamp, m money, b bool.
CARD_FIELDS = {
    "customer": (
        ("id", ""),
        ("code", ""),
        ("name", ""),
        ("alias", ""),
        ("industry", ""),
        ("size", ""),
        ("kind", ""),
        ("source", ""),
        ("first_contact_on", "d"),
        ("status", ""),
        ("tier", ""),
        ("needs", ""),
        ("budget_min", "m"),
        ("budget_max", "m"),
        ("purchase_by", "d"),
        ("revenue_total", "m"),
        ("last_deal_on", "d"),
        ("address", ""),
        ("phone", ""),
        ("email", ""),
        ("tags", ""),
        ("notes", ""),
        ("owner", ""),
        ("next_follow_up_on", "d"),
        ("next_action", ""),
        ("search_text", ""),
        ("archived_at", "t"),
        ("created_at", "t"),
        ("updated_at", "t"),
    ),
    "contact": (
        ("id", ""),
        ("customer_id", ""),
        ("name", ""),
        ("title", ""),
        ("department", ""),
        ("role", ""),
        ("phone", ""),
        ("mobile", ""),
        ("email", ""),
        ("im", ""),
        ("birthday", "d"),
        ("relationship", ""),
        ("prefers", ""),
        ("interests", ""),
        ("notes", ""),
        ("is_primary", "b"),
        ("is_key_decision_maker", "b"),
        ("archived_at", "t"),
        ("created_at", "t"),
        ("updated_at", "t"),
    ),
    "followup": (
        ("id", ""),
        ("customer_id", ""),
        ("contact_id", ""),
        ("opportunity_id", ""),
        ("at", "t"),
        ("channel", ""),
        ("summary", ""),
        ("feedback", ""),
        ("attitude", ""),
        ("next_action", ""),
        ("next_on", "d"),
        ("goal", ""),
        ("owner", ""),
        ("created_at", "t"),
        ("updated_at", "t"),
    ),
    "opportunity": (
        ("id", ""),
        ("name", ""),
        ("customer_id", ""),
        ("amount", "m"),
        ("expected_close_on", "d"),
        ("stage", ""),
        ("probability", ""),
        ("decision_maker_id", ""),
        ("competitors", ""),
        ("risks", ""),
        ("plan", ""),
        ("owner", ""),
        ("lost_reason", ""),
        ("closed_on", "d"),
        ("archived_at", "t"),
        ("created_at", "t"),
        ("updated_at", "t"),
    ),
    "tierassessment": (
        ("id", ""),
        ("customer_id", ""),
        ("potential", ""),
        ("willingness", ""),
        ("total", ""),
        ("tier", ""),
        ("basis", ""),
        ("strategy", ""),
        ("assessed_on", "d"),
        ("assessor", ""),
        ("created_at", "t"),
        ("updated_at", "t"),
    ),
}
_CONVERT = {
    "": lambda v: v,
    "d": _iso_date,
    "t": _iso_utc,
    "m": money_text,
    "b": lambda v: None if v is None else bool(v),
}


def _select(
    table: str, where: str, order: str, params: tuple, conn: sqlite3.Connection, limit: str = ""
) -> list[dict]:
    fields = CARD_FIELDS[table]
    cols = ", ".join(f'"{name}"' for name, _ in fields)
    out = []
    for row in conn.execute(f"SELECT {cols} FROM {table} WHERE {where} ORDER BY {order}{limit}", params):
        out.append({name: _CONVERT[kind](value) for (name, kind), value in zip(fields, row, strict=True)})
    return out


def _public(row: dict, reveal: bool) -> dict:
    """``tuicrm.store.cards.row_to_dict``: no search_text, phones masked unless revealed."""
    row.pop("search_text", None)
    if not reveal:
        for key in ("phone", "mobile"):
            if row.get(key):
                row[key] = mask_phone(row[key])
    return row


def card(
    conn: sqlite3.Connection, customer_id: int, today_: date, reveal: bool = False, history_limit: int = 50
) -> dict:
    """``card_to_dict(customer_card(...))``: the JSON shape of ``tuicrm show``."""
    from tuicrm.domain.dates import relative_label

    found = _select("customer", "id = ?", "id", (customer_id,), conn)
    if not found:
        raise NotFound(f"No customer with id {customer_id}.")
    customer = _public(found[0], reveal)
    next_on = _date(customer["next_follow_up_on"])
    customer["next_label"] = relative_label(next_on, today_)
    customer["overdue"] = next_on is not None and next_on < today_
    return {
        "customer": customer,
        "contacts": [
            _public(r, reveal)
            for r in _select(
                "contact",
                "customer_id = ? AND archived_at IS NULL",
                "is_primary DESC, name",
                (customer_id,),
                conn,
            )
        ],
        "follow_ups": [
            _public(r, reveal)
            for r in _select(
                "followup",
                "customer_id = ?",
                "at DESC, id DESC",
                (customer_id,),
                conn,
                f" LIMIT {int(history_limit)}" if history_limit else "",
            )
        ],
        "opportunities": [
            _public(r, reveal)
            for r in _select(
                "opportunity",
                "customer_id = ? AND archived_at IS NULL",
                "expected_close_on, id",
                (customer_id,),
                conn,
            )
        ],
        "assessments": [
            _public(r, reveal)
            for r in _select(
                "tierassessment", "customer_id = ?", "assessed_on DESC, id DESC", (customer_id,), conn
            )
        ],
    }
