"""Tier assessment rows: scores checked by the domain's rules; the latest one sets the tier."""

from __future__ import annotations

from tuicrm.domain.tiers import ScoreError, assess
from tuicrm.io import values as V
from tuicrm.io.importing.keys import name_key
from tuicrm.io.importing.lengths import fit
from tuicrm.io.importing.planner.contacts import ContactPlanner
from tuicrm.io.importing.rows import Reject, Row


class AssessmentPlanner(ContactPlanner):
    """Tier assessment rows."""

    def tier_row(self, row: Row) -> str:
        d = row.data
        pot, wil = d.get("potential"), d.get("willingness")
        if (pot is None or wil is None) and d.get("basis"):
            try:
                p2, w2 = V.parse_tier_scores(d["basis"])
            except ValueError:
                p2 = w2 = None
            pot = pot if pot is not None else p2
            wil = wil if wil is not None else w2
        if pot is None or wil is None:
            raise Reject("needs both scores: potential and willingness (e.g. 采购潜力8分/合作意愿9分)")
        try:
            total, tier, suggested = assess(pot, wil, self.config)
        except ScoreError as exc:
            raise Reject(str(exc).rstrip(".")) from None
        if d.get("total") is not None and d["total"] != total:
            row.warnings.append(f"the file's total {d['total']} is not {pot}+{wil}; stored {total}")
        if d.get("tier") and d["tier"] != tier:
            row.warnings.append(
                f"the file's tier {d['tier']} does not match {pot}+{wil}={total}; stored {tier}"
            )
        cid, _created = self.customer_for_child(row, allow_scan=False)
        basis = d.get("basis")
        if row.notes:
            basis = "\n".join(([basis] if basis else []) + row.notes)
        texts = {
            "basis": basis,
            "strategy": d.get("strategy") or suggested,
            "assessor": d.get("assessor") or self.user,
        }
        fit("tierassessment", texts, row, "basis")  # before the duplicate key is taken
        basis = texts["basis"]
        on = d.get("assessed_on")
        keys = self.ta_keys.setdefault(cid, [])
        bk = name_key(basis)
        for kp, kw, kb, kon in keys:
            if (kp, kw, kb) == (pot, wil, bk) and (on is None or kon == on):
                return "skipped"
        on = on or self.today
        keys.append((pot, wil, bk, on))
        t = {
            "id": self._alloc("tierassessment"),
            "customer_id": cid,
            "potential": pot,
            "willingness": wil,
            "total": total,
            "tier": tier,
            "basis": basis,
            "strategy": texts["strategy"],
            "assessed_on": on,
            "assessor": texts["assessor"],
        }
        self.new_rows["tierassessment"].append(t)
        latest = self.latest_ta.get(cid)
        if latest is None or on >= latest["assessed_on"]:
            self.latest_ta[cid] = t
        return "created"

    # -- the run ------------------------------------------------------------
