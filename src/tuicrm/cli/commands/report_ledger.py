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


class _Words(dict[Any, str]):
    """A collection rating -> its words in the rep's language ("" for none), each looked up once."""

    def __missing__(self, value: Any) -> str:
        from tuicrm.i18n.names import display

        words = self[value] = display("collection_rating", value) if value else ""
        return words


class _Grouped(dict[int, str]):
    """Cents -> ``receivables._grouped``'s text, each made once."""

    def __missing__(self, cents: int) -> str:
        from tuicrm.domain.reports.receivables import _grouped

        text = self[cents] = _grouped(cents)
        return text


def receivables_document(report: Any, today: Any) -> Document:
    from tuicrm.domain.reports.receivables import _grouped, report_head

    head, totals, *_rest = report_head(report, today)
    doc = Document(head)
    doc.para(totals)
    doc.table(
        [_("not due") if k == "not-due" else k for k in report.labels],
        [[_grouped(v) for v in report.ageing]],
        "r" * len(report.labels),
    )
    words = _Words()  # a rating's display words, looked up once per rating
    grouped = _Grouped()  # each amount's text, made once
    # (a row per customer owing or in credit: tens of thousands; no call per cell)
    rows = [
        ["!" if overdue > 0 else "", code, name, grouped[left], str(days) if overdue > 0 else "", words[rate]]
        for _cid, code, name, _amount, _received, left, overdue, credit, days, rate, _ageing in report.customers
        if left > 0 or credit > 0
    ]
    if rows:
        doc.heading(_("Customers owing"))
        doc.table(
            ["", _("Code"), _("Customer"), _("Outstanding"), _("Days overdue"), _("Rating")], rows, "lllrrl"
        )
    return doc
