"""Step 4: the plan. Decides, row by row, what to create, merge or skip, in memory: one class
put together from one part per responsibility (state → identity → contacts → the other kinds)."""

from __future__ import annotations

from collections import Counter

from tuicrm.io.importing.headers import SheetPlan
from tuicrm.io.importing.planner.assessments import AssessmentPlanner
from tuicrm.io.importing.planner.customers import CustomerPlanner
from tuicrm.io.importing.planner.followups import FollowUpPlanner
from tuicrm.io.importing.planner.opportunities import OpportunityPlanner
from tuicrm.io.importing.report import KIND_ORDER, Issue
from tuicrm.io.importing.rows import Reject, Row


class Planner(CustomerPlanner, OpportunityPlanner, FollowUpPlanner, AssessmentPlanner):
    """Decides, row by row, what to create, merge or skip; ``write.apply`` then writes it all at once."""

    def run(self, plans: list[SheetPlan], rows: dict[int, list[Row]]) -> None:
        handlers = {
            "customers": self.customer_row,
            "contacts": self.contact_row,
            "opportunities": self.opportunity_row,
            "followups": self.followup_row,
            "tiers": self.tier_row,
        }
        for kind in KIND_ORDER:
            for p_index, plan in enumerate(plans):
                if plan.kind != kind or plan.result.not_imported:
                    continue
                self._prefetch_for(plan, rows[p_index])
                handler = handlers[kind]
                res = plan.result
                # Let each row go once planned: its parsed cells live on in what it created,
                # the rest is freed for the rows still to come (a large file's peak memory).
                pending = rows[p_index]
                rows[p_index] = []
                pending.reverse()
                while pending:
                    row = pending.pop()
                    if row.error:
                        outcome = "rejected"
                        self.report.issues.append(Issue(res.source, res.sheet, row.number, row.error))
                    else:
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
        self._search_texts()

    def count(self) -> None:
        r = self.report
        r.created["customer"] = len(self.new_customers)
        for table in ("contact", "opportunity", "stagechange", "followup", "tierassessment"):
            r.created[table] = len(self.new_rows[table])
        updated = Counter(table for table, _id in self.changed)
        for table, n in updated.items():
            r.updated[table] = n
        r.created = Counter({k: v for k, v in r.created.items() if v})
