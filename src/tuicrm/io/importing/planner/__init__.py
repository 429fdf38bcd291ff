"""Step 4: the plan. Decides, row by row, what to create, merge or skip, in memory: one class
put together from one part per responsibility (state → identity → contacts → the other kinds)."""

from __future__ import annotations

from collections import Counter

from tuicrm.io.headers.tables import SIDE_KINDS
from tuicrm.io.importing.headers import SheetPlan
from tuicrm.io.importing.keys import OUR_CODE, is_masked
from tuicrm.io.importing.planner.assessments import AssessmentPlanner
from tuicrm.io.importing.planner.care import CarePlanner
from tuicrm.io.importing.planner.customers import CustomerPlanner
from tuicrm.io.importing.planner.followups import FollowUpPlanner
from tuicrm.io.importing.planner.opportunities import OpportunityPlanner
from tuicrm.io.importing.report import KIND_ORDER, Issue
from tuicrm.io.importing.rows import Reject, Row

MASKABLE = ("phone", "mobile", "contact_phone")


class Planner(CustomerPlanner, OpportunityPlanner, FollowUpPlanner, AssessmentPlanner, CarePlanner):
    """Decides, row by row, what to create, merge or skip; ``write.apply`` then writes it all at once."""

    def run(self, plans: list[SheetPlan], rows: dict[int, list[Row]]) -> None:
        handlers = {
            "customers": self.customer_row,
            "contacts": self.contact_or_company_row,
            "opportunities": self.opportunity_row,
            "followups": self.followup_row,
            "tiers": self.tier_row,
            "activities": self.activity_row,
            "leads": self.lead_row,
            "receivables": self.receivable_row,
            "complaints": self.complaint_row,
        }
        for p_index, plan in enumerate(plans):
            if plan.kind == "contacts":
                self.collect_named(rows[p_index])
            if plan.kind == "customers" and plan.has("parent_name"):
                self.collect_companies(rows[p_index])
            if plan.kind == "customers":
                for row in rows[p_index]:
                    m = OUR_CODE.match(row.data.get("code") or "")
                    if m:
                        self.file_codes.add(f"C{int(m[1]):06d}")
        for kind in (*KIND_ORDER, *SIDE_KINDS):
            for p_index, plan in enumerate(plans):
                if plan.kind != kind or plan.result.not_imported:
                    continue
                self._prefetch_for(plan, rows[p_index])
                handler = handlers[kind]
                res = plan.result
                # Let each row go once planned: its parsed cells live on in what it created,
                # the rest is freed for the rows still to come (a large file's peak memory).
                pending = rows[p_index]
                if kind == "customers":
                    pending = self.order_by_parent(pending)
                elif kind == "contacts":
                    pending = self.order_companies_first(pending)
                rows[p_index] = []
                pending.reverse()
                while pending:
                    row = pending.pop()
                    if row.error:
                        outcome = "rejected"
                        self.report.issues.append(Issue(res.source, res.sheet, row.number, row.error))
                    else:
                        self._drop_masked(row)
                        try:
                            outcome = handler(row)
                        except Reject as exc:
                            outcome = "rejected"
                            self.report.issues.append(Issue(res.source, res.sheet, row.number, str(exc)))
                    setattr(res, outcome, getattr(res, outcome) + 1)
                    for w in row.warnings:
                        self.report.issues.append(Issue(res.source, res.sheet, row.number, w, "warning"))
                    for w in row.notices:
                        self.report.issues.append(Issue(res.source, res.sheet, row.number, w, "note"))
                    if self.progress:
                        self.progress(1)
        self._finish_customers()
        self.release_lookups()
        self._search_texts()
        self.report_parents()

    def _drop_masked(self, row: Row) -> None:
        """A masked phone (``155****8818``, a masked export) is no phone: never stored, never
        replacing one; the sheet gets one warning."""
        masked = [k for k in MASKABLE if is_masked(row.data.get(k))]
        if not masked:
            return
        for k in masked:
            del row.data[k]
        res = row.plan.result
        if res.sheet not in self.masked_sheets:
            self.masked_sheets.add(res.sheet)
            self.report.issues.append(
                Issue(
                    res.source,
                    res.sheet,
                    None,
                    "its phone numbers are masked (like 138****5678): they were not imported; "
                    "an export made with --unmasked, or a backup, carries the full numbers",
                    "warning",
                )
            )

    def count(self) -> None:
        r = self.report
        r.created["customer"] = len(self.new_customers)
        for table in ("contact", "opportunity", "stagechange", "followup", "tierassessment"):
            r.created[table] = len(self.new_rows[table])
        updated = Counter(table for table, _id in self.changed)
        for table, n in updated.items():
            r.updated[table] = n
        self.count_side()
        r.created = Counter({k: v for k, v in r.created.items() if v})
