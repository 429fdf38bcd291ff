"""Everything out: .json (all of it), .csv (one kind), .xlsx (one sheet per kind), .vcf
(contacts), .ics (pending follow-ups, planned activities, receivables due, complaint deadlines).

The .csv and .xlsx headers are ones the importer recognises (``tuicrm.io.headers``
labels, English or Chinese; the activity plan and lead sheet under the templates' own
headers), so ``export x.xlsx`` then ``import x.xlsx`` into an empty database gives the same
customers, contacts, follow-ups, tier assessments and opportunities (exported ``--unmasked``;
masked phones cannot come back).

Every format streams (issue #20): rows go from one SQL cursor per table straight into the file
(``rows``, then ``tabular`` for .csv/.json, ``xlsx``, ``cards`` for .vcf/.ics), so time grows
with the rows and memory stays flat. The .json rows' text is made by SQLite (``json_rows``) and
written as its bytes; .ics and .vcf items are written as text
(``tuicrm.io.ics_text``, ``tuicrm.io.vcard_text``: icalendar's and vobject's bytes). Phones are masked unless ``unmasked``. Files are created
mode 0600 (the rep's customers are private), written to a temporary name and renamed into place
(``sink``), so a failed export never leaves half a file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tuicrm import clock
from tuicrm.io.export.common import (
    FORMATS,
    FORMULA_STARTS,
    KINDS,
    SHEET_TITLES,
    ExportError,
    ExportReport,
    Progress,
    cell,
    columns,
    guard,
    label,
)

# Sheets that join a whole workbook only when they hold rows.
PLANS = ("activities", "leads", "receivables", "payments", "complaints")
# The .csv/.xlsx columns per kind.
COLUMNS = {kind: columns(kind) for kind in KINDS}
# What a JSON export's report counts (its sections, named as the other formats name them).
JSON_COUNTS = {
    "customers": "customers",
    "contacts": "contacts",
    "followups": "followups",
    "tier_assessments": "tiers",
    "opportunities": "opportunities",
    "stage_changes": "stage_changes",
    "activities": "activities",
    "leads": "leads",
    "receivables": "receivables",
    "payments": "payments",
    "complaints": "complaints",
    "complaint_steps": "complaint_steps",
}


def _check(p: Path, fmt: str, kind: str | None, lang: str, vcard_version: str) -> None:
    if fmt not in FORMATS:
        raise ExportError(f"cannot export to '{p.suffix or p.name}'; use one of {', '.join(FORMATS)}.")
    if kind is not None and kind not in KINDS:
        raise ExportError(f"'{kind}' is not a kind; use one of: {', '.join(KINDS)}.")
    if kind is not None and fmt not in (".csv", ".xlsx"):
        raise ExportError(f"--kind applies to .csv and .xlsx exports, not {fmt}.")
    if lang not in ("en", "zh"):
        raise ExportError("the header language is en or zh.")
    if vcard_version not in ("3.0", "4.0"):
        raise ExportError("the vCard version is 3.0 or 4.0.")


def export_file(
    store: Any,
    path: str | Path,
    *,
    kind: str | None = None,
    unmasked: bool = False,
    lang: str = "en",
    events: bool = False,
    vcard_version: str = "3.0",
    include_archived: bool = True,
    force: bool = False,
    progress: Progress | None = None,
) -> ExportReport:
    """Write the export named by ``path``'s suffix. Raises ExportError with one sentence.

    An existing ``path`` is kept unless ``force``; the live database (and its -wal/-shm/-journal)
    is never a destination. ``progress`` hears the total rows, then every few thousand written."""
    from tuicrm import safefiles
    from tuicrm.io.export.rows import JSON_SECTIONS, Source
    from tuicrm.io.export.sink import private_file

    p = Path(path).expanduser()
    fmt = p.suffix.lower()
    _check(p, fmt, kind, lang, vcard_version)
    database = getattr(store, "path", None)
    try:  # refused before any work: the live database, an existing file without force
        safefiles.refuse_live_destination(p, database)
        safefiles.check_destination(p, force=force)
    except safefiles.FileRefused as exc:
        raise ExportError(str(exc)) from None
    report = ExportReport(path=str(p), format=fmt.lstrip("."), masked=not unmasked)
    with store.read() as session, private_file(p, force=force, database=database) as fh:
        source = Source(session, include_archived=include_archived)
        if fmt == ".json":
            from tuicrm.io.export.json_rows import section_rows
            from tuicrm.io.export.tabular import write_json

            if progress:
                progress.start(sum(source.count(key) for key, _table in JSON_SECTIONS))
            head = {
                "format": "tuicrm-export",
                "version": 1,
                "exported_at": clock.utcnow().isoformat(),
                "phones_masked": not unmasked,
            }
            sections = ((k, section_rows(source, t, unmasked=unmasked)) for k, t in JSON_SECTIONS)
            written = write_json(fh, head, sections, progress)
            report.counts = {JSON_COUNTS[k]: n for k, n in written.items() if k in JSON_COUNTS}
        elif fmt == ".csv":
            from tuicrm.io.export.tabular import write_csv

            k = kind or "customers"
            if progress:
                progress.start(source.count(k))
            report.counts = {k: write_csv(fh, k, source.records(k, unmasked=unmasked), lang, progress)}
        elif fmt == ".xlsx":
            # The plan sheets (activity plan, leads) join a whole workbook when they hold rows.
            kinds = (kind,) if kind else tuple(k for k in KINDS if k not in PLANS or source.count(k))
            report.counts = _write_xlsx(fh, source, kinds, lang, unmasked, progress)
        elif fmt == ".vcf":
            from tuicrm.io.export.cards import count_vcards, write_vcf

            if progress:
                progress.start(count_vcards(source))
            n = write_vcf(fh, source, unmasked=unmasked, version=vcard_version, progress=progress)
            report.counts = {"contacts": n}
        else:
            from tuicrm.io.export.cards import count_pending, write_ics_file
            from tuicrm.io.ics_activities import iter_planned_activities

            activities = iter_planned_activities(session, store.config, unmasked=unmasked)
            care: dict[str, int] = {}  # the activities written, then the care items
            if progress:
                progress.start(count_pending(source))
            n = write_ics_file(
                fh,
                source,
                unmasked=unmasked,
                events=events,
                activities=activities,
                reminder_hours=store.config.agenda.reminder_hours,
                now=clock.utcnow(),
                progress=progress,
                currency=store.config.currency,
                counts=care,
            )
            report.counts = {"pending follow-ups": n}
            report.counts.update(care)
    return report


def _write_xlsx(
    fh: Any, source: Any, kinds: tuple[str, ...], lang: str, unmasked: bool, progress: Progress | None
) -> dict[str, int]:
    from tuicrm.io.export.common import counted
    from tuicrm.io.export.xlsx import write_workbook

    if progress:
        progress.start(sum(source.count(k) for k in kinds))
    counts: dict[str, int] = {}

    def rows(kind: str) -> Any:
        cols = COLUMNS[kind]
        counts[kind] = 0
        for r in counted(source.records(kind, unmasked=unmasked), progress):
            counts[kind] += 1
            yield [cell(guard(r.get(c)), for_csv=False) for c in cols]

    sheets = ((SHEET_TITLES[lang][k], [label(k, c, lang) for c in COLUMNS[k]], rows(k)) for k in kinds)
    write_workbook(fh, sheets)
    return counts


__all__ = [
    "COLUMNS",
    "FORMATS",
    "FORMULA_STARTS",
    "KINDS",
    "SHEET_TITLES",
    "ExportError",
    "ExportReport",
    "Progress",
    "export_file",
    "guard",
    "label",
]
