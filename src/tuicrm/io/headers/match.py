"""Matching a header row: which column is which field, and what the sheet holds."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from tuicrm.io.headers.aliases import (
    ADDRESS_PARTS,
    ALIASES,
    COMPANY_FIELDS,
    FALLBACK,
    KINDS,
    MONEY_FIELDS,
    MULTI_FIELDS,
    PERSON_FIELDS,
    STRONG_FOLLOWUP,
    STRONG_OPPORTUNITY,
    UNITS,
    WEAK,
)
from tuicrm.io.headers.text import BRACKETS, DIGITS, SPLIT, normalise_header


def _build_index() -> tuple[dict[str, dict[str, tuple[str, int]]], dict[str, dict[str, tuple[str, int]]]]:
    exact: dict[str, dict[str, tuple[str, int]]] = {}
    no_digits: dict[str, dict[str, tuple[str, int]]] = {}
    for kind, fields in ALIASES.items():
        exact[kind] = {}
        no_digits[kind] = {}
        for name, aliases in fields.items():
            for rank, alias in enumerate(aliases):
                key = normalise_header(alias)
                if not key:
                    continue
                other = exact[kind].get(key)
                if other is not None and other[0] != name:
                    raise AssertionError(f"alias {alias!r} maps to both {other[0]} and {name} in {kind}")
                exact[kind].setdefault(key, (name, rank))
                no_digits[kind].setdefault(DIGITS.sub("", key), (name, rank))
    return exact, no_digits


_INDEX, _INDEX_NO_DIGITS = _build_index()


# ---------------------------------------------------------------------------


@dataclass
class HeaderMatch:
    """How one sheet's header row maps onto a kind's fields.

    ``columns``: column index -> field (several indexes may share a field only
    for MULTI_FIELDS). ``unknown``: non-empty headers that matched nothing.
    ``duplicates``: (index, header, field) for columns that matched a field a
    better column already has. ``scales``: column index -> multiplier for money
    columns whose header names a unit ("金额(万元)" -> 10000). ``score``: number
    of distinct fields matched. ``reason``: why this kind was chosen.
    """

    kind: str
    columns: dict[int, str] = field(default_factory=dict)
    unknown: list[tuple[int, str]] = field(default_factory=list)
    score: float = 0.0
    duplicates: list[tuple[int, str, str]] = field(default_factory=list)
    scales: dict[int, int] = field(default_factory=dict)
    reason: str = ""

    @property
    def fields(self) -> set[str]:
        return set(self.columns.values())

    def indexes(self, name: str) -> list[int]:
        """Column indexes mapped to ``name``, in column order."""
        return [i for i, f in self.columns.items() if f == name]

    def index(self, name: str) -> int | None:
        found = self.indexes(name)
        return found[0] if found else None

    def by_field(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for i, f in self.columns.items():
            out.setdefault(f, []).append(i)
        return out


@dataclass(frozen=True)
class _Hit:
    index: int
    header: str
    field: str
    rank: int
    key: str
    scale: int | None


def _header_text(h: object) -> str:
    if h is None:
        return ""
    return str(h).replace("\ufeff", "").strip()


def _unit_of(text: str) -> int | None:
    """The multiplier named in brackets or after a slash ("金额(万元)", "Amount/k")."""
    s = unicodedata.normalize("NFKC", text)
    parts = re.findall(r"[(\[{<【〔「『《]([^)\]}>】〕」』》]*)[)\]}>】〕」』》]", s)
    parts += SPLIT.split(s)[1:]
    for part in parts:
        key = normalise_header(part)
        if key in UNITS:
            return UNITS[key]
    return None


def _lookup(kind: str, text: str) -> tuple[str, int, str] | None:
    """(field, rank, matched key) for a header, trying looser readings in turn."""
    index = _INDEX[kind]
    key = normalise_header(text)
    if key in index:
        return (*index[key], key)
    # "联系方式(脱敏)", "评分(1-10分)", "销售阶段(线索-需求-…)": the bracket is a comment.
    bare = BRACKETS.sub("", unicodedata.normalize("NFKC", text))
    key = normalise_header(bare)
    if key in index:
        name, rank = index[key]
        return name, rank + 1000, key
    # "QQ/E-mail", "客户/项目名称": either part will do, the first that matches wins.
    for part in SPLIT.split(bare):
        key = normalise_header(part)
        if key in index:
            name, rank = index[key]
            return name, rank + 2000, key
    # "Phone 2", "E-Mail 2: Adresse", "联系人1": numbered repeats of a known column.
    key = DIGITS.sub("", normalise_header(bare))
    if key and key in _INDEX_NO_DIGITS[kind]:
        name, rank = _INDEX_NO_DIGITS[kind][key]
        return name, rank + 3000, key
    return None


def _match(headers: list[object], kind: str) -> tuple[HeaderMatch, dict[int, str]]:
    """The match, and the normalised alias key each mapped column matched on."""
    if kind not in ALIASES:
        raise ValueError(f"{kind!r} is not a sheet kind; use one of {', '.join(KINDS)}.")
    result = HeaderMatch(kind=kind)
    hits: list[_Hit] = []
    for i, raw in enumerate(headers):
        text = _header_text(raw)
        if not normalise_header(text):
            continue
        found = _lookup(kind, text)
        if found is None:
            result.unknown.append((i, text))
            continue
        name, rank, key = found
        scale = _unit_of(text) if name in MONEY_FIELDS else None
        hits.append(_Hit(i, text, name, rank, key, scale))

    taken: dict[str, int] = {}
    losers: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (h.rank, h.index)):
        if hit.field in MULTI_FIELDS or hit.field not in taken:
            taken.setdefault(hit.field, hit.index)
            result.columns[hit.index] = hit.field
        else:
            losers.append(hit)
    fallback = FALLBACK.get(kind, {})
    for hit in losers:
        alt = fallback.get(hit.field)
        if alt and alt not in taken:
            taken[alt] = hit.index
            result.columns[hit.index] = alt
        else:
            result.duplicates.append((hit.index, hit.header, hit.field))

    # Salesforce puts a JSON copy of the address beside its parts: keep the parts.
    address = [h for h in hits if result.columns.get(h.index) == "address"]
    if sum(h.key in ADDRESS_PARTS for h in address) >= 2:
        for h in address:
            if h.key not in ADDRESS_PARTS:
                del result.columns[h.index]
                result.duplicates.append((h.index, h.header, "address"))

    # A customer sheet that names only a person (B2C: 客户姓名, 姓名) uses that as the customer's name.
    if kind == "customers" and "name" not in taken and "contact_name" in taken:
        result.columns[taken["contact_name"]] = "name"

    for hit in hits:
        if hit.scale and result.columns.get(hit.index) in MONEY_FIELDS:
            result.scales[hit.index] = hit.scale
    result.columns = dict(sorted(result.columns.items()))
    result.duplicates.sort()
    result.score = float(len(result.fields))
    return result, {h.index: h.key for h in hits}


def _classify(headers: list[object]) -> tuple[str, str]:
    matched = {kind: _match(headers, kind) for kind in KINDS}
    m = {kind: pair[0] for kind, pair in matched.items()}

    fu, fu_keys = matched["followups"]
    f = fu.fields
    if "at" in f and f & {"summary", "channel", "feedback", "next_action"}:
        return "followups", "has a follow-up date and what was said or how"
    if sum(fu_keys[i] in STRONG_FOLLOWUP for i in fu.columns) >= 2:
        return "followups", "has follow-up columns (跟进方式, 沟通要点, …)"

    t = m["tiers"].fields
    if t & {"potential", "willingness"}:
        return "tiers", "has grading scores (potential/willingness)"
    if "total" in t and t & {"tier", "basis", "strategy", "assessed_on", "assessor"}:
        return "tiers", "has a score with a tier, basis or assessment date"
    if "basis" in t and t & {"tier", "assessed_on"}:
        return "tiers", "has a grading basis and a tier or assessment date"

    o, keys = matched["opportunities"]
    if any(keys.get(i) in STRONG_OPPORTUNITY for i in o.columns):
        return "opportunities", "has an opportunity name, sales stage or expected deal amount/date"
    if "stage" in o.fields and o.fields & {
        "amount",
        "expected_close_on",
        "probability",
        "closed_on",
        "competitors",
        "risks",
        "lost_reason",
    }:
        return "opportunities", "has a stage with an amount, close date or probability"

    person = len(m["contacts"].fields & PERSON_FIELDS)
    cu, cu_keys = matched["customers"]
    company = len({f for i, f in cu.columns.items() if f in COMPANY_FIELDS and cu_keys[i] not in WEAK})
    # People with at most incidental company facts (e.g. Salesforce LeadSource on a contact).
    if person and (company == 0 or person >= 2 * company + 2):
        return "contacts", f"has person fields ({person}) and few customer-level fields ({company})"
    return "customers", f"a list of customers (customer-level fields: {company}, person fields: {person})"


def classify(headers: Iterable[object]) -> str:
    """Which kind of sheet this header row is: one of KINDS."""
    return _classify(list(headers))[0]


def match_headers(headers: Iterable[object], kind: str | None = None) -> HeaderMatch:
    """Map a header row onto ``kind``'s fields; classify the sheet first if ``kind`` is None.

    Classification rules, first that applies:

    1. followups: a follow-up date (跟进日期, Date, ActivityDate) with a summary,
       channel, feedback or next action; or a summary and a channel.
    2. tiers: purchase potential / willingness scores; or a score (评分) with a
       tier (客户等级), basis, strategy, date or assessor; or basis with tier/date.
    3. opportunities: an opportunity-only header (机会名称, 销售阶段, StageName,
       Opportunity Name, Deal - Title, opportunity_id, 预计成交金额/日期, 成交概率);
       or a stage (deal_stage, Deal - Stage) together with an amount, close date,
       probability, competitors, risks or lost reason.
    4. contacts: person fields (first/last name, title, department, mobile,
       birthday, IM, role, …) and no customer-level fields (industry, size,
       source, status, tier, address, …), or at least 2×+2 as many person as
       customer-level fields.
    5. otherwise customers.
    """
    headers = list(headers)
    if kind is None:
        kind, reason = _classify(headers)
    else:
        reason = "kind given"
    result, _keys = _match(headers, kind)
    result.reason = reason
    return result
