"""The lead report's query (``tuicrm.domain.reports.leads`` shapes it): one grouped pass over the
lead table, each converted lead's opportunity joined by its id."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

from tuicrm.domain.reports.leads import LeadReport, lead_report
from tuicrm.domain.reports.weeks import local_midnight
from tuicrm.query.dialect import timestamp_param


def lead_sources(
    conn: sqlite3.Connection, *, start: date | None = None, end: date | None = None
) -> LeadReport:
    """Live leads created from ``start`` to ``end`` (local days, inclusive, either open), by source."""
    from tuicrm.query.reports_sql import local_tz

    tz = local_tz()
    sql = (
        "SELECT l.source, count(*), coalesce(sum(l.status = 'converted'), 0), "
        "coalesce(sum(l.status = 'converted' AND o.stage = 'won' AND o.archived_at IS NULL), 0), "
        "coalesce(sum(l.contacted_at IS NOT NULL AND l.respond_by IS NOT NULL "
        "AND l.contacted_at <= l.respond_by), 0) "
        "FROM lead l LEFT JOIN opportunity o ON o.id = l.opportunity_id WHERE l.archived_at IS NULL"
    )
    params: list[str] = []
    if start:
        sql += " AND l.created_at >= ?"
        params.append(timestamp_param(local_midnight(start, tz)))
    if end:
        sql += " AND l.created_at < ?"
        params.append(timestamp_param(local_midnight(end + timedelta(days=1), tz)))
    rows = [
        (s, int(n), int(c), int(w), int(t))
        for s, n, c, w, t in conn.execute(sql + " GROUP BY l.source", params)
    ]
    return lead_report(rows, start=start, end=end)
