"""The complaints and receivables reports as documents (Markdown / HTML, ``report_document``);
their text form is the domain's own lines (``to_lines`` / ``report_lines``)."""

from __future__ import annotations

from typing import Any

from tuicrm.cli.commands.report_document import Document
from tuicrm.i18n import _


def complaints_document(report: Any) -> Document:
    from tuicrm.domain.reports.complaints import to_lines

    head, summary, *_rest = to_lines(report)
    doc = Document(head)
    doc.para(summary)
    if report.satisfaction_avg is not None:
        doc.para(_("average satisfaction {avg} / 5").format(avg=report.satisfaction_avg))
    if report.by_cause:
        doc.heading(_("By cause"))
        doc.table([_("Cause"), _("Complaints")], [[cause, str(n)] for cause, n in report.by_cause], "lr")
    return doc


def receivables_document(report: Any, today: Any) -> Document:
    from tuicrm.domain.reports.receivables import _grouped, grouped_texts, report_head
    from tuicrm.i18n.names import display

    head, totals, *_rest = report_head(report, today)
    doc = Document(head)
    doc.para(totals)
    doc.table(
        [_("not due") if k == "not-due" else k for k in report.labels],
        [[_grouped(v) for v in report.ageing]],
        "r" * len(report.labels),
    )
    words: dict[str, str] = {}  # a rating's display words, looked up once per rating

    def rating(value: str | None) -> str:
        if not value:
            return ""
        if value not in words:
            words[value] = display("collection_rating", value)
        return words[value]

    grouped = grouped_texts()
    rows = [
        [
            "!" if b.overdue > 0 else "",
            b.code,
            b.name,
            grouped(b.outstanding),
            str(b.days_overdue) if b.overdue > 0 else "",
            rating(b.rating),
        ]
        for b in report.customers
        if b.outstanding > 0 or b.credit > 0
    ]
    if rows:
        doc.heading(_("Customers owing"))
        doc.table(
            ["", _("Code"), _("Customer"), _("Outstanding"), _("Days overdue"), _("Rating")], rows, "lllrrl"
        )
    return doc
