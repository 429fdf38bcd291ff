"""Opportunity rows and their stage history."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from tuicrm.domain.limits import field_limit
from tuicrm.domain.lost import split_lost_reason
from tuicrm.io.importing.cells import aware, utc_from_local
from tuicrm.io.importing.fields import OPP_VALUES
from tuicrm.io.importing.keys import name_key
from tuicrm.io.importing.lengths import fit
from tuicrm.io.importing.planner.contacts import ContactPlanner
from tuicrm.io.importing.rows import Reject, Row, header_of
from tuicrm.io.values import currency_of
from tuicrm.io.values.numbers import ISO_CURRENCIES


def currency_code(text: str | None) -> str | None:
    """The ISO code a currency cell names: ``USD``, ``usd``, ``美元``, ``$``, ``人民币`` → CNY."""
    t = (text or "").strip()
    if not t:
        return None
    return currency_of(t) or (t.upper() if t.upper() in ISO_CURRENCIES else None)


class OpportunityPlanner(ContactPlanner):
    """Opportunity rows (with a StageChange history) and their decision makers."""

    def _row_currency(self, row: Row) -> str | None:
        """The row's currency: its currency column (币种 / Currency) wins over a sign or code in
        the amount cell; when both are there and differ, the report says so. A currency cell that
        names no currency is kept in the plan with a warning."""
        d = row.data
        from_amount = d.get("currency")
        cell = d.get("currency_code")
        if not cell:
            return from_amount
        code = currency_code(cell)
        label = header_of(row, "currency_code")
        if code is None:
            row.warnings.append(f"{label}: '{cell}' is not a currency; kept in the plan")
            row.notes.append(f"{label}: {cell}")
            return from_amount
        if from_amount and from_amount != code:
            row.warnings.append(
                f"the amount says {from_amount}, {label} says {code}: stored as {code} (the currency column wins)"
            )
        return code

    def opportunity_row(self, row: Row) -> str:
        d = row.data
        scan = not (row.plan.has("customer_name") or row.plan.has("customer_code"))
        cid, _created = self.customer_for_child(row, allow_scan=scan)
        name = d.get("name") or self.customers[cid]["name"]
        if len(name) > (most := field_limit("opportunity", "name")):
            raise Reject(f"the opportunity name is {len(name)} characters; at most {most} fit")
        stage = d.get("stage") or "lead"
        closed_on = d.get("closed_on")
        if stage in ("won", "lost") and closed_on is None and d.get("expected_close_on"):
            closed_on = d["expected_close_on"]
        currency = self._row_currency(row)
        values: dict[str, Any] = {k: d.get(k) for k in OPP_VALUES if k != "decision_maker_id"}
        values.update(name=name, closed_on=closed_on, archived_at=aware(d.get("archived_at")))
        if values.get("lost_reason") or values.get("lost_detail"):  # "价格：华为更便宜" → price + details
            values["lost_reason"], values["lost_detail"] = split_lost_reason(
                values.get("lost_reason"), values.get("lost_detail"), self.config.lost_reasons
            )
        if row.notes:
            values["plan"] = "\n".join(([values["plan"]] if values.get("plan") else []) + row.notes)
        fit("opportunity", values, row, "plan")
        src = row.src or (row.ext_ids[0] if row.ext_ids else None)
        opps = self.opps.setdefault(cid, [])
        nk = name_key(name)
        found = None
        for o in self._opp_index(cid).get(nk, []):
            if self._claim_ok("opportunity", o["id"], src):
                found = o
                break
        if d.get("contact_name"):
            values["decision_maker_id"] = self._decision_maker(cid, d["contact_name"], row)
        if found is None:
            ident = self._alloc("opportunity")
            o = {k: None for k in OPP_VALUES}
            o.update({k: v for k, v in values.items() if v is not None})
            o["id"], o["customer_id"] = ident, cid
            if currency and currency != self.config.currency:
                o["currency"] = currency  # a currency column, or a sign or code in the amount cell
            o["stage"] = stage
            if o["amount"] is None:
                o["amount"] = Decimal("0.00")
            default = self.config.stage_probability.get(stage, 0)
            if o["probability"] is None:
                o["probability"] = default
            # A probability the file gives other than the stage's default is the rep's own.
            o["probability_set"] = o["probability"] != default and stage not in ("won", "lost")
            o["owner"] = o.get("owner") or self.user
            o["_new"] = True
            o["_opened"] = d.get("opened_on")
            opps.append(o)
            self._opp_index(cid).setdefault(nk, []).append(o)
            self.new_rows["opportunity"].append(o)
            self.claims["opportunity"][ident] = src
            for e in row.ext_ids:
                self.registry.setdefault(e, ("opportunity", ident, cid))
            self._stage_history(o)
            if stage == "won":
                self.won[cid].append(o)
            return "created"
        new = bool(found.get("_new"))
        values.pop("archived_at", None)
        filled, conflicts = self._fill("opportunity", found, values, new=new, append_notes="plan")
        if conflicts:
            row.warnings.append(
                f"opportunity '{found['name']}' exists; kept its "
                + ", ".join(conflicts)
                + " (the file differs)"
            )
        self.claims["opportunity"].setdefault(found["id"], src)
        for e in row.ext_ids:
            self.registry.setdefault(e, ("opportunity", found["id"], cid))
        return "merged" if filled else "skipped"

    def _opp_index(self, cid: int) -> dict[str, list[dict[str, Any]]]:
        index = self.opp_by_name.get(cid)
        if index is None:
            index = self.opp_by_name[cid] = {}
            for o in self.opps.get(cid, []):
                index.setdefault(name_key(o["name"]), []).append(o)
        return index

    def _stage_history(self, o: dict[str, Any]) -> None:
        """StageChange rows for an imported opportunity: opened (engage/created date), then closed."""
        opened = o.get("_opened")
        stage = o["stage"]
        closed = o.get("closed_on")

        def at(day: date | None) -> datetime:
            if day is None:
                return self.now
            return utc_from_local(datetime(day.year, day.month, day.day))

        if stage in ("won", "lost") and opened is not None:
            self.new_rows["stagechange"].append(
                {
                    "opportunity_id": o["id"],
                    "from_stage": None,
                    "to_stage": "lead",
                    "at": at(opened),
                    "note": "imported",
                }
            )
            self.new_rows["stagechange"].append(
                {
                    "opportunity_id": o["id"],
                    "from_stage": "lead",
                    "to_stage": stage,
                    "at": at(closed or opened),
                    "note": "imported",
                }
            )
        else:
            self.new_rows["stagechange"].append(
                {
                    "opportunity_id": o["id"],
                    "from_stage": None,
                    "to_stage": stage,
                    "at": at(opened if opened else (closed if stage in ("won", "lost") else None)),
                    "note": "imported",
                }
            )
