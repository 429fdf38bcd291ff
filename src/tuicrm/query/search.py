"""Customer search and the list's windows: the FTS5 trigram index (exempt from portability).

Text search uses ``customer_fts``, an FTS5 trigram index of the live customers' ``search_text``
kept in step by triggers (migration 0003): a substring of 3+ characters is an index lookup.
Shorter text goes through the index's vocabulary or scans its narrow text copy. List windows
page through partial indexes on the sort column (``INDEXED BY``), so a window deep in the list
costs an index walk, never a sort of every customer. Without the FTS table (SQLite < 3.34) the
same questions fall back to ``LIKE`` over ``customer.search_text``. Descending sorts reverse the
whole order (ties by id descending too), so they walk the index backwards instead of sorting.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date

from tuicrm.domain.pinyin import has_hanzi, split_hanzi
from tuicrm.domain.privacy import phone_digits
from tuicrm.query.dialect import escape_like
from tuicrm.query.dialect import id_list as _ids_sql
from tuicrm.query.filters import SORT_COLUMNS, CustomerFilter
from tuicrm.query.values import Frozen, as_date

TYPE_CHECKING = False  # not ``typing``'s: this module is on the CLI's start-up path
if TYPE_CHECKING:
    from typing import Any


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


class CustomerRow(Frozen):
    """One row of the customer list (the columns of ``ROW_COLUMNS``)."""

    __slots__ = ROW_COLUMNS

    id: int
    code: str
    name: str
    alias: str | None
    industry: str | None
    status: str
    tier: str
    phone: str | None
    email: str | None
    next_follow_up_on: date | None
    next_action: str | None
    owner: str | None


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


Terms = tuple[tuple[str, ...], ...]  # every group must match; any alternative in a group will do


def text_terms(text: str | None) -> Terms:
    """What a search looks for: every word of the lower-cased text must match the same customer.

    One group per word; a group matches when any of its alternatives is in the customer's text:
    the word itself, or its digits when it reads like a phone (``138-1234-5678``). So
    ``acme 2024`` finds the customers whose text holds both ``acme`` and ``2024``.

    A word mixing Chinese characters and pinyin (``北京hx``) is cut where they meet, each part
    its own group: the characters match the name, the pinyin its indexed spellings (initials
    ``bjhx…``, full ``beijinghuaxin…``). Pinyin alone needs nothing here: the index holds it.
    """
    text = (text or "").strip().lower()
    if not text:
        return ()
    groups: dict[tuple[str, ...], None] = {}
    words = [part for word in text.split() for part in (split_hanzi(word) if has_hanzi(word) else (word,))]
    for word in words:
        digits = phone_digits(word)
        if digits and digits != word and len(digits) >= 3:
            groups[(word, digits)] = None
        else:
            groups[(word,)] = None
    return tuple(groups)


def no_contact_since(days: int, today: date | None = None) -> str:
    """The stored-UTC instant a customer must have been followed up since not to be "going cold"
    after ``days`` days: the start of the rep's local day ``days`` days ago."""
    from datetime import datetime, time, timedelta

    from tuicrm.query.dialect import timestamp_param
    from tuicrm.query.values import local_to_utc

    if today is None:
        from tuicrm.query.connect import today as light_today

        today = light_today()
    return timestamp_param(local_to_utc(datetime.combine(today - timedelta(days=days), time())))


def _flat(terms: Terms) -> list[str]:
    return [t for group in terms for t in group]


class CustomerSearch:
    """Count and page the customer list on one DB-API connection.

    One instance per read transaction: it remembers the text matches it has counted, so the
    count and the first window of a keystroke share one scan.
    """

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._fts: bool | None = None
        self._vocab: bool | None = None
        self._sources: dict[tuple[Terms, int], tuple[str, list[Any]]] = {}
        self._matches: dict[tuple[Terms, int], tuple[int, list[int] | None]] = {}

    def run(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        return self.conn.execute(sql, tuple(params)).fetchall()

    def version(self) -> int:
        """Changes when this connection writes: the remembered matches are then forgotten."""
        return self.conn.total_changes

    @property
    def fts(self) -> bool:
        if self._fts is None:
            self._fts = bool(
                self.run("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'customer_fts'", ())
            )
        return self._fts

    # -- pieces -----------------------------------------------------------------------

    @staticmethod
    def _conditions(f: CustomerFilter, *, live_text: bool) -> tuple[list[str], list[Any]]:
        """WHERE terms on ``customer c`` except the text (unless it is searched by LIKE)."""
        conds: list[str] = []
        params: list[Any] = []
        if not f.include_archived:
            conds.append("c.archived_at IS NULL")
        for key, value in (
            ("tier", f.tier),
            ("status", f.status),
            ("industry", f.industry),
            ("owner", f.owner),
        ):
            if value:
                conds.append(f"c.{key} = ?")
                params.append(value)
        if f.tag:
            conds.append("lower(',' || replace(c.tags, ' ', '') || ',') LIKE ? ESCAPE '\\'")
            params.append(f"%,{escape_like(f.tag.strip().lower())},%")
        if f.due_by:
            conds.append("c.next_follow_up_on <= ?")
            params.append(f.due_by.isoformat())
        if f.collection:
            from tuicrm.config import DEFAULT
            from tuicrm.query.connect import today
            from tuicrm.query.receivables import collection_condition

            sql, more = collection_condition(f.collection, today(), DEFAULT.collection)
            conds.append(sql)
            params += more
        if f.reassess_before:
            conds.append(
                "c.id IN (SELECT customer_id FROM tierassessment GROUP BY customer_id HAVING max(assessed_on) < ?)"
            )
            params.append(f.reassess_before.isoformat())
        if f.no_contact_days is not None:
            conds.append("NOT EXISTS (SELECT 1 FROM followup fu WHERE fu.customer_id = c.id AND fu.at >= ?)")
            params.append(no_contact_since(f.no_contact_days))
        terms = text_terms(f.text)
        if terms and not live_text:
            for group in terms:
                conds.append("(" + " OR ".join("c.search_text LIKE ? ESCAPE '\\'" for _ in group) + ")")
                params += [f"%{escape_like(t)}%" for t in group]
        return conds, params

    def _use_index(self, f: CustomerFilter) -> bool:
        """Text matches come from ``customer_fts`` (live customers only)."""
        return bool(text_terms(f.text)) and not f.include_archived and self.fts

    @staticmethod
    def match_query(alternatives: list[str]) -> str:
        """An FTS5 query matching any of ``alternatives`` (each a quoted substring)."""
        return " OR ".join('"' + t.replace('"', '""') + '"' for t in alternatives)

    @classmethod
    def match_all(cls, terms: Terms) -> str:
        """An FTS5 query matching every group of ``terms`` (any alternative of each)."""
        if len(terms) == 1:
            return cls.match_query(list(terms[0]))
        return " AND ".join("(" + cls.match_query(list(group)) + ")" for group in terms)

    @staticmethod
    def _like_terms(terms: Terms) -> tuple[str, list[Any]]:
        where = " AND ".join(
            "(" + " OR ".join("t.c0 LIKE ? ESCAPE '\\'" for _ in group) + ")" for group in terms
        )
        return where, [f"%{escape_like(t)}%" for t in _flat(terms)]

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

    def _short_source(self, text: str) -> tuple[str, list[Any]] | None:
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
        params: list[Any] = []
        if prefix:
            parts.append("SELECT rowid AS id FROM customer_fts WHERE customer_fts MATCH ?")
            params.append(self.match_query(prefix))
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

    def _narrowed_source(self, terms: Terms) -> tuple[str, list[Any]] | None:
        """Ids for several words, some short (``北京hx`` is ``北京`` + ``hx``): the words of 3+
        characters through the index (or else one short word through its vocabulary, Chinese
        first: fewer trigrams start with it), the rest checked on those few texts only. None
        when no word narrows the search: then the texts are scanned."""
        long = tuple(g for g in terms if all(len(t) >= 3 for t in g))
        rest = [g for g in terms if g not in long]
        if long:
            inner = "SELECT rowid FROM customer_fts WHERE customer_fts MATCH ?"
            iparams: list[Any] = [self.match_all(long)]
        else:
            for group in sorted(rest, key=lambda g: (not has_hanzi(g[0]), -len(g[0]))):
                found = self._short_source(group[0]) if len(group) == 1 else None
                if found is not None:
                    inner, iparams = found
                    rest.remove(group)
                    break
            else:
                return None
        where, params = self._like_terms(tuple(rest))
        return f"SELECT t.id AS id FROM customer_fts_content t WHERE t.id IN ({inner}) AND {where}", [
            *iparams,
            *params,
        ]

    def _text_matches(self, terms: Terms) -> tuple[int, list[int] | None]:
        """(number of live customers whose text matches, their ids when few) — remembered."""
        key = (terms, self.version())
        known = self._matches.get(key)
        if known is not None:
            return known
        if all(len(t) >= 3 for t in _flat(terms)):
            n = self.run(
                "SELECT count(*) FROM customer_fts WHERE customer_fts MATCH ?", (self.match_all(terms),)
            )[0][0]
            result: tuple[int, list[int] | None] = (n, None)
        else:
            # Fewer than 3 characters. One short word (a phone-digits alternative has 3 or more)
            # goes through the index's vocabulary; several words scan the index's text copy.
            short = self._short_source(terms[0][0]) if len(terms) == 1 else self._narrowed_source(terms)
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
            self._matches[(terms, self.version())] = (n, None)

    def _match_source(self, terms: Terms) -> tuple[str, list[Any]]:
        """SQL for ``c.id IN (...)``: the ids of live customers whose text matches."""
        _n, ids = self._text_matches(terms)
        if ids is not None:  # the short-text scan already found them
            return _ids_sql(ids), []
        if all(len(t) >= 3 for t in _flat(terms)):
            return "SELECT rowid AS id FROM customer_fts WHERE customer_fts MATCH ?", [self.match_all(terms)]
        short = self._sources.get((terms, self.version()))
        if short is not None:
            return short[0], list(short[1])
        where, params = self._like_terms(terms)
        return f"SELECT t.id AS id FROM customer_fts_content t WHERE {where}", params

    def _from_matches(self, terms: Terms) -> tuple[str, list[Any]]:
        """FROM clause that starts at the matches (few of them) and looks up each customer."""
        source, params = self._match_source(terms)
        _n, ids = self._text_matches(terms)
        if ids is not None:
            return f"customer c NOT INDEXED WHERE c.id IN ({source})", params
        return f"({source}) m CROSS JOIN customer c ON c.id = m.id", params

    # -- the two questions ------------------------------------------------------------------

    def count(self, f: CustomerFilter) -> int:
        terms = text_terms(f.text)
        if not terms or not self._use_index(f):
            conds, params = self._conditions(f, live_text=False)
            where = " AND ".join(conds) or "1"
            hint = " NOT INDEXED" if terms else ""  # a LIKE over every row: a plain scan is cheapest
            return int(self.run(f"SELECT count(*) FROM customer c{hint} WHERE {where}", tuple(params))[0][0])
        n, _ids = self._text_matches(terms)
        if not f.has_other_filters or n == 0:
            return n
        source, sparams = self._from_matches(terms)
        conds, params = self._conditions(f, live_text=True)
        joiner = " AND " if " WHERE " in source else " WHERE "
        sql = f"SELECT count(*) FROM {source}{joiner}{' AND '.join(conds)}"
        return int(self.run(sql, (*sparams, *params))[0][0])

    def page_ids(
        self,
        f: CustomerFilter,
        offset: int = 0,
        limit: int = 100,
        sort: str = "name",
        descending: bool = False,
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
            bparams: tuple[Any, ...] = ()
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

    def rows(self, ids: list[int]) -> list[CustomerRow]:
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
                out.append(
                    CustomerRow(
                        r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], as_date(r[9]), r[10], r[11]
                    )
                )
        return out
