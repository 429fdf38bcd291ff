"""The export's reads: one SQL query per table, its links joined in, rows handed on one at a
time from the cursor (never a whole-table list), so memory stays flat as the database grows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from tuicrm.domain.privacy import mask_phone
from tuicrm.io.export.common import PHONE_FIELDS, local

CENT = Decimal("0.01")
# Stored UTC times shown as local wall-clock time in .csv/.xlsx, per kind.
LOCAL_TIMES = {
    "followups": ("at", "archived_at"),
    "activities": ("planned_start", "planned_end", "actual_start", "actual_end", "archived_at"),
    "leads": ("respond_by", "contacted_at", "converted_at", "created_at", "archived_at"),
    "complaints": ("opened_at", "deadline_at", "resolved_at", "archived_at"),
}
# The JSON export's sections: key -> table, in the file's order.
JSON_SECTIONS = (
    ("customers", "customer"),
    ("contacts", "contact"),
    ("followups", "followup"),
    ("tier_assessments", "tierassessment"),
    ("opportunities", "opportunity"),
    ("stage_changes", "stagechange"),
    ("snoozes", "snooze"),
    ("activities", "activity"),
    ("leads", "lead"),
    ("receivables", "receivable"),
    ("payments", "payment"),
    ("complaints", "complaint"),
    ("complaint_steps", "complaintstep"),
)
# Each table's rows in the file's order: by customer, then as they happened.
ORDER = {
    "contact": ("customer_id", "id"),
    "opportunity": ("customer_id", "id"),
    "followup": ("customer_id", "at", "id"),
    "tierassessment": ("customer_id", "assessed_on", "id"),
    "snooze": ("customer_id", "at", "id"),
    "activity": ("customer_id", "planned_start", "id"),
    "receivable": ("customer_id", "settled_on", "id"),
    "payment": ("customer_id", "paid_on", "id"),
    "complaint": ("customer_id", "opened_at", "id"),
}
PHONE_TABLES = {"customer", "contact", "lead"}
CODED = ("receivables", "payments", "complaints")  # their own codes tell rows apart
KIND_TABLES = {
    "customers": "customer",
    "contacts": "contact",
    "followups": "followup",
    "tiers": "tierassessment",
    "opportunities": "opportunity",
    "activities": "activity",
    "leads": "lead",
    "receivables": "receivable",
    "payments": "payment",
    "complaints": "complaint",
}
# Per receivable: the day of its last payment and that payment's method (the settlement sheet's
# 付款日期 / 付款方式); per complaint: its handling steps in order, one a line (处理过程).
_LAST_PAYMENT = (
    "(SELECT {col} FROM payment p WHERE p.receivable_id = receivable.id AND p.archived_at IS NULL"
    " ORDER BY p.paid_on DESC, p.id DESC LIMIT 1)"
)
_HANDLING = (
    "(SELECT group_concat(text, char(10)) FROM (SELECT s.text AS text FROM complaintstep s"
    " WHERE s.complaint_id = complaint.id ORDER BY s.at, s.id))"
)


def _utc(value: str) -> datetime:
    """A stored time as the aware UTC datetime the models read (SQLModel's UTCDateTime)."""
    moment = datetime.fromisoformat(value)
    return moment.replace(tzinfo=UTC) if moment.utcoffset() is None else moment.astimezone(UTC)


def _utc_text(value: str) -> str:
    """A stored time ("2026-11-22 09:00:00.000000") as ``isoformat()`` of its aware UTC datetime."""
    if len(value) == 26 and value[10] == " ":
        return value[:10] + "T" + (value[11:19] if value.endswith(".000000") else value[11:]) + "+00:00"
    return _utc(value).isoformat()


def _cents_text(value: int) -> str:
    """Integer cents as ``str(Decimal)`` of the amount gives them ("1500.00", "-0.50")."""
    whole, cents = divmod(abs(int(value)), 100)
    return f"{'-' if value < 0 else ''}{whole}.{cents:02d}"


def _cents(value: int) -> Decimal:
    return (Decimal(int(value)) / 100).quantize(CENT)


def converter(kind: Any, as_text: bool) -> Callable[[Any], Any] | None:
    """How a stored value of column type ``kind`` becomes what the export writes (the value the
    models read, or with ``as_text`` the JSON export's text for it), or None when the stored
    value is it already. A type not known here is refused, not guessed."""
    from tuicrm.models import Money

    if isinstance(kind, Money):
        return _cents_text if as_text else _cents
    if isinstance(kind, sa.types.TypeDecorator) and isinstance(kind.impl, sa.DateTime):
        return _utc_text if as_text else _utc  # SQLModel's UTCDateTime
    if isinstance(kind, sa.types.TypeDecorator) and isinstance(kind.impl, sa.String):
        return None  # SQLModel's AutoString
    if isinstance(kind, sa.DateTime):
        return (lambda v: datetime.fromisoformat(v).isoformat()) if as_text else datetime.fromisoformat
    if isinstance(kind, sa.Date):
        return None if as_text else date.fromisoformat
    if isinstance(kind, sa.Boolean):
        return bool
    if isinstance(kind, sa.Integer | sa.String | sa.Float | sa.types.NullType):
        return None
    raise TypeError(f"the export cannot read a {kind!r} column")


class Source:
    """The rows of one export, read inside the caller's session. ``include_archived=False`` leaves
    archived customers out, with everything that hangs on them."""

    def __init__(self, session: Any, *, include_archived: bool = True, conn: Any = None):
        from sqlmodel import SQLModel

        import tuicrm.models  # noqa: F401  (defines the tables)

        self.conn = conn if conn is not None else session.connection()  # or a Connection of its own
        self.t = SQLModel.metadata.tables
        self.include_archived = include_archived

    # -- shared pieces -----------------------------------------------------------------------

    def _owned(self, table: Any) -> tuple[Any, list[Any]]:
        """``table`` joined to its customer, and the filter that keeps the exported customers."""
        C = self.t["customer"]
        where = [] if self.include_archived else [C.c.archived_at.is_(None)]
        return table.join(C, C.c.id == table.c.customer_id), where

    def _query(self, table_name: str, *extra: Any) -> sa.Select[Any]:
        """Every column of ``table_name`` plus ``extra`` labelled columns, filtered and ordered."""
        t, C = self.t, self.t["customer"]
        table = t[table_name]
        if table_name == "customer":
            where = [] if self.include_archived else [C.c.archived_at.is_(None)]
            return sa.select(table, *extra).where(*where).order_by(table.c.id)
        if table_name == "lead":
            where = [] if self.include_archived else [table.c.archived_at.is_(None)]
            joined = table.outerjoin(C, C.c.id == table.c.customer_id)
            return sa.select(table, *extra).select_from(joined).where(*where).order_by(table.c.id)
        if table_name in ("stagechange", "complaintstep"):
            parent_name, key = (
                ("opportunity", "opportunity_id")
                if table_name == "stagechange"
                else ("complaint", "complaint_id")
            )
            parent = t[parent_name]
            joined, where = self._owned(parent)
            joined = table.join(joined, parent.c.id == table.c[key])
            order = [table.c[key], table.c.at, table.c.id]
            return sa.select(table, *extra).select_from(joined).where(*where).order_by(*order)
        joined, where = self._owned(table)
        order = [table.c[name] for name in ORDER[table_name]]
        return sa.select(table, *extra).select_from(joined).where(*where).order_by(*order)

    def count(self, kind: str) -> int:
        """How many rows ``kind`` (an export kind or a JSON section) will write: for progress."""
        name = KIND_TABLES.get(kind) or dict(JSON_SECTIONS)[kind]
        query = (
            self._query(name).with_only_columns(sa.func.count(), maintain_column_froms=True).order_by(None)
        )
        return int(self.conn.execute(query).scalar_one())

    def _rows(self, query: sa.Select[Any], *, as_text: bool) -> Iterator[dict[str, Any]]:
        """The rows of ``query`` as dicts, read through the DB-API cursor with one converter per
        column that needs one (SQLAlchemy's own result processing parses every stored time with
        a regular expression: most of an export's time). ``as_text``: times as ISO text."""
        sql = str(query.compile(dialect=self.conn.dialect, compile_kwargs={"literal_binds": True}))
        cols = list(query.selected_columns)
        keys = [str(c.key) for c in cols]
        convert = [(i, f) for i, c in enumerate(cols) if (f := converter(c.type, as_text))]
        cursor = self.conn.connection.dbapi_connection.cursor()
        try:
            cursor.execute(sql)
            while batch := cursor.fetchmany(500):
                for raw in batch:
                    values = list(raw)
                    for i, f in convert:
                        if values[i] is not None:
                            values[i] = f(values[i])
                    yield dict(zip(keys, values, strict=True))
        finally:
            cursor.close()

    # -- the two shapes ----------------------------------------------------------------------

    def table_query(self, table_name: str) -> sa.Select[Any]:
        """The JSON export's query of ``table_name``: every stored column but ``search_text``."""
        query = self._query(table_name)
        if "search_text" in self.t[table_name].c:  # derived (and holds phone digits): not exported
            kept = [c for c in query.selected_columns if c.key != "search_text"]
            query = query.with_only_columns(*kept, maintain_column_froms=True)
        return query

    def table_rows(
        self, table_name: str, *, unmasked: bool, query: sa.Select[Any] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every stored column of each row (the JSON export), phones masked unless ``unmasked``;
        ``query``: of those rows, the ones it selects."""
        mask = table_name in PHONE_TABLES and not unmasked
        for d in self._rows(self.table_query(table_name) if query is None else query, as_text=True):
            if mask:
                for p in PHONE_FIELDS:
                    if d.get(p):
                        d[p] = mask_phone(d[p])
            yield d

    def records(self, kind: str, *, unmasked: bool) -> Iterator[dict[str, Any]]:
        """Rows of one kind as {field: value} with the links named (the .csv/.xlsx exports)."""
        t, C = self.t, self.t["customer"]
        name = KIND_TABLES[kind]
        table = t[name]
        extra: list[Any] = []
        if kind not in ("customers", "leads"):
            extra += [C.c.code.label("customer_code"), C.c.name.label("customer_name")]
        if kind == "leads":
            extra.append(C.c.code.label("customer_code"))
        if kind == "receivables":
            extra += [
                sa.literal_column(_LAST_PAYMENT.format(col="p.paid_on"), sa.Date()).label("paid_on"),
                sa.literal_column(_LAST_PAYMENT.format(col="p.method"), sa.String()).label("method"),
            ]
        if kind == "complaints":
            extra.append(sa.literal_column(_HANDLING, sa.String()).label("handling"))
        query = self._query(name, *extra)
        if kind in ("receivables", "payments", "complaints"):  # void entries stay out of a sheet
            query = query.where(table.c.archived_at.is_(None))
        if kind == "payments":
            settles = t["receivable"].alias("settled")
            query = query.add_columns(settles.c.code.label("receivable_code")).outerjoin(
                settles, settles.c.id == table.c.receivable_id
            )
        contact = t["contact"].alias("linked_contact")
        opportunity = t["opportunity"].alias("linked_opportunity")
        link = {
            "followups": "contact_id",
            "activities": "contact_id",
            "opportunities": "decision_maker_id",
            "complaints": "contact_id",
        }
        if kind in link:
            query = query.add_columns(contact.c.name.label("contact_name")).outerjoin(
                contact, contact.c.id == table.c[link[kind]]
            )
        if kind in ("followups", "activities"):
            query = query.add_columns(opportunity.c.name.label("opportunity_name")).outerjoin(
                opportunity, opportunity.c.id == table.c.opportunity_id
            )
        times = LOCAL_TIMES.get(kind, ("archived_at",))
        prefix = kind[:3] if kind not in ("customers", "activities", "leads", *CODED) else None
        mask = not unmasked
        for rec in self._rows(query, as_text=False):
            for f in times:
                if f in rec:
                    rec[f] = local(rec[f])
            rec["ref"] = f"{prefix}-{rec['id']}" if prefix else None
            if kind == "receivables":
                rec["outstanding"] = rec["amount"] - rec["received"]
            if mask:
                for p in PHONE_FIELDS:
                    if rec.get(p):
                        rec[p] = mask_phone(rec[p])
            yield rec
