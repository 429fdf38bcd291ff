"""Step 4's memory: the plan's state (ids, customers read so far, rows to write, before-states for
undo) and the two ways a plan changes a row (set one value; fill the empty fields)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa

from tuicrm import clock
from tuicrm.config import Config
from tuicrm.io.importing.cells import as_date, naive_utc
from tuicrm.io.importing.fields import CONTACT_VALUES, CUSTOMER_VALUES, DEFAULTS, OPP_VALUES
from tuicrm.io.importing.keys import OUR_CODE, email_key, name_key, phone_key, same, text_contains
from tuicrm.io.importing.lengths import room_for
from tuicrm.io.importing.report import ImportReport, ProgressFn


class Record(dict[str, Any]):
    """A new row's values: a field never set reads as None. Holding only the fields a file
    gives (a dozen of a customer's thirty-odd) halves a large import's memory."""

    def __missing__(self, key: str) -> None:
        return None


class NameIndex(dict[str, Any]):
    """Customer ids by name key: one id as itself, several as a list (a list per name was 9 MB
    of a 100 000-row import). ``get`` always answers a list."""

    def get(self, key: str, default: Any = None) -> Any:
        ids = dict.get(self, key)
        if ids is None:
            return default
        return [ids] if type(ids) is int else ids

    def add(self, key: str, cid: int) -> None:
        ids = dict.get(self, key)
        if ids is None:
            self[key] = cid
        elif type(ids) is int:
            if ids != cid:
                self[key] = [ids, cid]
        elif cid not in ids:
            ids.append(cid)


class NewIds:
    """The customers this import creates: every id from the first free one up (``_alloc``), so
    a comparison rather than a set of 100 000 ids."""

    def __init__(self, first: int):
        self.first = first

    def __contains__(self, cid: object) -> bool:
        return isinstance(cid, int) and cid >= self.first

    def add(self, cid: int) -> None:
        assert cid >= self.first  # allocated by ``_alloc``


class CustomerCache(dict[int, dict[str, Any]]):
    """Customers by id, as dicts: the new ones, and the existing ones read so far. An existing
    customer not read yet is read on first use (``load`` reads many at once); ``names`` holds
    every existing customer's name, read up front with the keys duplicates are found by.
    Reading every row whole made a small import into a database of 100 000 customers take
    ten seconds."""

    def __init__(self, read_rows: Callable[[list[int]], None]):
        super().__init__()
        self._read_rows = read_rows
        self.names: dict[int, str] = {}

    def load(self, ids: list[int]) -> None:
        if ids:
            self._read_rows(ids)

    def __missing__(self, cid: int) -> dict[str, Any]:
        if cid not in self.names:
            raise KeyError(cid)
        self.load([cid])
        return dict.__getitem__(self, cid)

    def __contains__(self, cid: object) -> bool:
        return dict.__contains__(self, cid) or cid in self.names

    def has_row(self, cid: int) -> bool:
        return dict.__contains__(self, cid)

    def all_names(self) -> Iterable[tuple[int, str]]:
        yield from self.names.items()
        for cid, c in self.items():
            if cid not in self.names:
                yield cid, c["name"]


class PlannerState:
    """What the plan holds, and the two ways it changes a row."""

    def __init__(self, session: Any, config: Config, report: ImportReport, progress: ProgressFn | None):
        from sqlmodel import SQLModel

        import tuicrm.models  # noqa: F401  (the tables are defined there)
        from tuicrm.store.customers import current_user

        self.session = session
        self.conn = conn = session.connection()
        self.config = config
        self.report = report
        self.progress = progress
        self.now = clock.utcnow()
        self.today = clock.today()
        self.user = current_user()
        tables = SQLModel.metadata.tables
        self.T = SimpleNamespace(
            **{
                name: tables[name]
                for name in (
                    "customer",
                    "contact",
                    "followup",
                    "opportunity",
                    "stagechange",
                    "tierassessment",
                )
            }
        )
        self.next_id = {
            name: (conn.execute(sa.select(sa.func.max(t.c.id))).scalar() or 0) + 1
            for name, t in vars(self.T).items()
        }
        # Customers as plain dicts: new ones, and the existing ones this import looks at (loaded
        # on first use; only the fields duplicates are found by are read for all of them).
        self._customer_cols = [
            self.T.customer.c[k] for k in ("id", "code", "search_text", "updated_at") + CUSTOMER_VALUES
        ]
        self.customers = CustomerCache(self._load_customers)
        self.new_customers: list[int] = []
        self.before: dict[
            tuple[str, int], dict[str, Any]
        ] = {}  # (table, id) -> original values of changed columns
        self.by_code: dict[str, int] = {}
        self.by_name = NameIndex()
        self.by_phone: dict[str, int] = {}
        self.by_email: dict[str, int] = {}
        max_code = 0
        names = self.customers.names
        for cid, code, name, phone, email in conn.exec_driver_sql(
            "SELECT id, code, name, phone, email FROM customer ORDER BY id"
        ):
            names[cid] = name
            self._index(cid, code, name, phone, email)
            m = OUR_CODE.match(code or "")
            if m:
                max_code = max(max_code, int(m[1]))
        self.code_counter = max_code
        # table -> id -> src of the row that matched it (one dict per table: no key tuple per row)
        self.claims: dict[str, dict[int, str | None]] = defaultdict(dict)
        self.registry: dict[str, tuple[str, int, int]] = {}  # source-system id -> (table, id, customer id)
        self.explicit: dict[int, AbstractSet[str]] = defaultdict(
            set
        )  # new customer -> fields given by its sheet
        # Children of existing customers, loaded on demand.
        self.contacts: dict[int, list[dict[str, Any]]] = {}
        self.opps: dict[int, list[dict[str, Any]]] = {}
        self.opp_by_name: dict[int, dict[str, list[dict[str, Any]]]] = {}
        self.fu_keys: dict[int, Counter[Any]] = {}  # existing follow-ups not yet matched, by (at, summary)
        self.fu_latest: dict[int, datetime | None] = {}
        self.ta_keys: dict[int, list[tuple[Any, ...]]] = {}
        self.ta_latest: dict[int, date | None] = {}
        self.new_rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.changed: dict[
            tuple[str, int], dict[str, Any]
        ] = {}  # (table, id) -> new values for existing rows
        self.search_dirty: set[int] = set()
        # Per-customer effects gathered from child rows, applied at the end.
        self.latest_fu: dict[int, dict[str, Any]] = {}
        self.earliest_fu: dict[int, date] = {}
        self.won: dict[int, list[dict[str, Any]]] = defaultdict(list)
        self.latest_ta: dict[int, dict[str, Any]] = {}
        self._name_scan: dict[str, list[int]] | None = None
        self.placeholder: int | None = None
        self._shared: tuple[int, str] | None = None
        self._dupe: tuple[int, str] | None = None  # a same-named customer another identifier tells apart
        self._id_index: dict[str, int] | None = None  # "Header: id" note lines -> customer
        self.file_codes: set[str] = set()  # our codes the file's customer rows carry
        self.masked_sheets: set[str] = set()  # sheets where masked phones were met
        self.file_companies: set[str] = set()  # name keys of the customer rows without a parent
        self.named_companies: set[str] = set()  # name keys a contact sheet's company cells give
        self.became_contacts: Counter[tuple[str, str]] = Counter()  # (file, sheet) -> rows
        self._new_ids = NewIds(self.next_id["customer"])
        self.loaded: set[int] = set()  # customers whose children are in memory
        self.had_customers = bool(names)
        self.fu_created: dict[int, set[Any]] = defaultdict(set)  # follow-up keys created in this import

    # -- indexes ------------------------------------------------------------

    def _index_customer(self, c: dict[str, Any]) -> None:
        self._index(c["id"], c.get("code"), c.get("name"), c.get("phone"), c.get("email"))

    def _index(
        self, cid: int, code: str | None, name: str | None, phone: str | None, email: str | None
    ) -> None:
        """Make a customer findable by its code, and by the keys of its name, phone and e-mail."""
        if code:
            self.by_code[code] = cid
        k = name_key(name)
        if k:
            self.by_name.add(k, cid)
        pk = phone_key(phone)
        if pk:
            self.by_phone.setdefault(pk, cid)
        ek = email_key(email)
        if ek:
            self.by_email.setdefault(ek, cid)

    def release_lookups(self) -> None:
        """Every row is planned: the indexes rows were matched by go, and the key caches are
        emptied, so the search text and the writes that follow reuse their memory (a large
        import's peak is its end, when every new row waits to be written)."""
        from tuicrm.io.importing.keys import name_key, phone_key

        self.by_code, self.by_phone, self.by_email = {}, {}, {}
        self.by_name = NameIndex()
        self.registry = {}
        self.claims = defaultdict(dict)
        self.explicit = defaultdict(set)
        self._id_index = self._name_scan = None
        self.file_codes, self.file_companies, self.named_companies = set(), set(), set()
        name_key.cache_clear()
        phone_key.cache_clear()

    def _alloc(self, table: str) -> int:
        n = self.next_id[table]
        self.next_id[table] = n + 1
        return n

    def _load_customers(self, ids: list[int]) -> None:
        """Read whole rows of existing customers into ``self.customers``, in chunks."""
        cols = self._customer_cols
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            for r in self.conn.execute(sa.select(*cols).where(self.T.customer.c.id.in_(chunk))).mappings():
                dict.__setitem__(self.customers, r["id"], dict(r))

    def prefetch(self, customer_ids: Iterable[int]) -> None:
        """Load the children of existing customers this import touches (and their own rows), in chunks."""
        # A new customer (``_new_ids``) has no children in the database.
        ids = [
            cid
            for cid in set(customer_ids)
            if cid not in self.loaded and cid not in self._new_ids and cid in self.customers
        ]
        self.loaded.update(ids)
        self.customers.load([cid for cid in ids if not self.customers.has_row(cid)])
        for cid in ids:
            self.contacts[cid] = []
            self.opps[cid] = []
            self.fu_keys[cid] = Counter()
            self.fu_latest[cid] = None
            self.ta_keys[cid] = []
            self.ta_latest[cid] = None
        T = self.T
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            for r in self.conn.execute(
                sa.select(
                    *[T.contact.c[k] for k in ("id", "customer_id", "updated_at") + CONTACT_VALUES]
                ).where(T.contact.c.customer_id.in_(chunk))
            ).mappings():
                self.contacts[r["customer_id"]].append(dict(r))
            for r in self.conn.execute(
                sa.select(
                    *[T.opportunity.c[k] for k in ("id", "customer_id", "updated_at") + OPP_VALUES]
                ).where(T.opportunity.c.customer_id.in_(chunk))
            ).mappings():
                self.opps[r["customer_id"]].append(dict(r))
            for cid, at_raw, summary in self.conn.execute(
                sa.select(T.followup.c.customer_id, T.followup.c.at, T.followup.c.summary).where(
                    T.followup.c.customer_id.in_(chunk)
                )
            ):
                at: Any = naive_utc(at_raw)
                self.fu_keys[cid][(at, name_key(summary))] += 1
                if self.fu_latest[cid] is None or at > self.fu_latest[cid]:
                    self.fu_latest[cid] = at
            for cid, pot, wil, basis, on_raw in self.conn.execute(
                sa.select(
                    T.tierassessment.c.customer_id,
                    T.tierassessment.c.potential,
                    T.tierassessment.c.willingness,
                    T.tierassessment.c.basis,
                    T.tierassessment.c.assessed_on,
                ).where(T.tierassessment.c.customer_id.in_(chunk))
            ):
                on: Any = as_date(on_raw)
                self.ta_keys[cid].append((pot, wil, name_key(basis), on))
                if self.ta_latest[cid] is None or on > self.ta_latest[cid]:
                    self.ta_latest[cid] = on

    # -- changes to rows ----------------------------------------------------

    def _set(self, table: str, row: dict[str, Any], key: str, value: Any, *, new: bool) -> None:
        """Change one value of a row; for existing rows remember the before-state for undo."""
        if not new:
            ident = (table, row["id"])
            before = self.before.setdefault(ident, {"updated_at": row.get("updated_at")})
            if key not in before:
                before[key] = row.get(key)
            self.changed.setdefault(ident, {})[key] = value
        row[key] = value

    def _fill(
        self,
        table: str,
        row: dict[str, Any],
        values: dict[str, Any],
        *,
        new: bool,
        append_notes: str | None = None,
    ) -> tuple[list[str], list[str]]:
        """Fill the row's empty fields from ``values``; return (filled, conflicts) field names."""
        filled, conflicts = [], []
        for key, value in values.items():
            if value is None:
                continue
            current = row.get(key)
            empty = (
                current is None
                or current == ""
                or (key in DEFAULTS and current == DEFAULTS[key] and table == "customer")
            )
            if empty:
                if key in DEFAULTS and value == DEFAULTS[key]:
                    continue
                self._set(table, row, key, value, new=new)
                filled.append(key)
            elif key == append_notes and isinstance(value, str):
                if text_contains(current, value):
                    continue
                if not room_for(table, key, str(current), value):
                    conflicts.append(f"{key} (no room for {len(value):,} more characters)")
                    continue
                self._set(table, row, key, f"{current}\n{value}", new=new)
                filled.append(key)
            elif not same(key, current, value):
                conflicts.append(key)
        return filled, conflicts

    def _differing_to_notes(
        self,
        table: str,
        row_values: dict[str, Any],
        values: dict[str, Any],
        conflicts: list[str],
        row: Any,
        *,
        new: bool,
    ) -> list[str]:
        """A merge never discards: each value the file gives that differs from the stored one
        goes to the record's notes as ``Header: value``. Returns the headers it added."""
        from tuicrm.io.importing.rows import header_of

        lines, heads = [], []
        for key in conflicts:
            value = values.get(key)
            if key == "notes" or value is None or " " in key or DEFAULTS.get(key) == value:
                continue
            head = header_of(row, key)
            if head == key and row.plan.kind == "customers" and table == "contact":
                head = header_of(row, f"contact_{key}")
            shown = value.isoformat() if isinstance(value, (date, datetime)) else str(value)
            line = f"{head}: {shown}"
            if not text_contains(row_values.get("notes"), line):
                lines.append(line)
                heads.append(head)
        if not lines:
            return []
        current = row_values.get("notes")
        addition = "\n".join(lines)
        if current and not room_for(table, "notes", str(current), addition):
            return []
        self._set(table, row_values, "notes", f"{current}\n{addition}" if current else addition, new=new)
        return heads

    # -- customers ----------------------------------------------------------

    def _claim_ok(self, table: str, ident: int, src: str | None) -> bool:
        claim = self.claims[table].get(ident, "\0unclaimed")
        return claim == "\0unclaimed" or src is None or claim is None or claim == src
