"""Follow-up rows: one per (time, summary), never twice."""

from __future__ import annotations

from collections import Counter
from datetime import UTC
from typing import Any

from tuicrm import clock
from tuicrm.io.importing.cells import naive_utc
from tuicrm.io.importing.keys import name_key
from tuicrm.io.importing.lengths import cut, fit
from tuicrm.io.importing.planner.contacts import ContactPlanner
from tuicrm.io.importing.rows import Reject, Row


class FollowUpPlanner(ContactPlanner):
    """Follow-up rows."""

    def followup_row(self, row: Row) -> str:
        d = row.data
        at = d.get("at")
        if at is None:
            raise Reject("no follow-up date")
        summary = (
            d.get("summary")
            or d.get("feedback")
            or d.get("objection")
            or d.get("next_action")
            or d.get("goal")
        )
        if not summary:
            raise Reject("no summary (what was discussed)")
        summary = cut("followup", "summary", summary, row)  # before the duplicate key is taken
        cid, _created = self.customer_for_child(row, allow_scan=False)
        at_utc = at.astimezone(UTC)
        key: tuple[Any, str] = (naive_utc(at_utc), name_key(summary))
        existing = self.fu_keys.setdefault(cid, Counter())
        if existing[key] > 0:  # the same follow-up is already in the database
            existing[key] -= 1
            return "skipped"
        made = self.fu_created[cid]
        if (key, row.src) in made or (row.src is None and any(k == key for k, _s in made)):
            return "skipped"  # the same follow-up twice in this import
        made.add((key, row.src))
        contact_id = None
        feedback_lines = [d["feedback"]] if d.get("feedback") and d.get("summary") else []
        if d.get("contact_name"):
            for x in self.contacts.get(cid, []):
                if name_key(x.get("name")) == name_key(d["contact_name"]):
                    contact_id = x["id"]
                    break
            else:
                feedback_lines.append(f"Contact: {d['contact_name']}")
        opportunity_id = None
        if d.get("opportunity_name"):
            for o in self.opps.get(cid, []):
                if name_key(o["name"]) == name_key(d["opportunity_name"]):
                    opportunity_id = o["id"]
                    break
            else:
                feedback_lines.append(f"Opportunity: {d['opportunity_name']}")
        feedback_lines += row.notes
        f = {
            "id": self._alloc("followup"),
            "customer_id": cid,
            "contact_id": contact_id,
            "opportunity_id": opportunity_id,
            "at": at_utc,
            "channel": d.get("channel") or "other",
            "summary": summary,
            "feedback": "\n".join(feedback_lines) or None,
            "attitude": d.get("attitude"),
            "next_action": d.get("next_action"),
            "next_on": d.get("next_on"),
            "goal": d.get("goal"),
            "owner": d.get("owner") or self.user,
            "objection": d.get("objection"),
            "outcome": d.get("outcome"),
            "place": d.get("place"),
            "attendees": d.get("attendees"),
        }
        fit("followup", f, row, "feedback")
        self.new_rows["followup"].append(f)
        latest = self.latest_fu.get(cid)
        if latest is None or key[0] >= naive_utc(latest["at"]):
            self.latest_fu[cid] = f
        day = clock.to_local(at_utc).date()
        if cid not in self.earliest_fu or day < self.earliest_fu[cid]:
            self.earliest_fu[cid] = day
        return "created"
