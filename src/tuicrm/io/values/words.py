"""Word cells → SPEC values through the tables of :mod:`.word_tables`."""

from __future__ import annotations

import re

from tuicrm.io.values.text import clean_text, word_key
from tuicrm.io.values.word_tables import (
    ATTITUDE,
    CHANNEL,
    CHANNEL_HINTS,
    KIND,
    PREFERENCE,
    RELATIONSHIP,
    ROLE,
    STAGE,
    STATUS,
    TIER,
)


def lookup_word(
    v: object, table: dict[str, str], strip: tuple[str, ...] = ()
) -> tuple[str | None, str | None]:
    """(mapped value, key) — mapped is None when the word is unknown; key None when empty."""
    key = word_key(v)
    if key is None:
        return None, None
    key = re.sub(r"^\d+\s*", "", key) or key  # "1 初步接洽" (numbered option lists)
    key = re.sub(r"[(（][^)）]*[)）]", "", key).strip() or key  # "A (战略客户)"
    candidates = [key, key.replace(" ", "")]
    for suffix in strip:
        for c in list(candidates):
            if c.endswith(suffix) and len(c) > len(suffix):
                candidates.append(c[: -len(suffix)].strip())
    for c in candidates:
        if c in table:
            return table[c], key
    return None, key


def map_status(v: object) -> str | None:
    """潜在/意向/成交/流失 (any script) or English synonyms → potential/intent/won/lost."""
    value, key = lookup_word(v, STATUS, strip=("客户", "状态"))
    if key is None:
        return None
    if value is None:
        raise ValueError(
            f"{clean_text(v)} is not a status; use potential, intent, won or lost (潜在/意向/成交/流失)"
        )
    return value


def map_stage(v: object) -> str | None:
    """线索/需求确认/方案/谈判/成交/流失 (any script), Salesforce, Pipedrive and Maven stage names."""
    value, key = lookup_word(v, STAGE, strip=("阶段",))
    if key is None:
        return None
    if value is None:
        raise ValueError(
            f"{clean_text(v)} is not a stage; use lead, need, proposal, negotiation, won or lost "
            "(线索/需求确认/方案/谈判/成交/流失)"
        )
    return value


def map_channel(v: object) -> str | None:
    """电话→phone, 线上会议/视频→video, 邮件→email, 拜访/上门→visit, 会议/面谈→meeting,
    微信/IM→im, 演示→demo; anything else → other (never an error: it is free text in the sheets)."""
    value, key = lookup_word(v, CHANNEL, strip=("沟通", "跟进", "联系"))
    if key is None:
        return None
    if value is not None:
        return value
    for hint, channel in CHANNEL_HINTS:
        if hint in key:
            return channel
    return "other"


def map_attitude(v: object) -> str | None:
    """积极/中性/消极 and synonyms → positive/neutral/negative."""
    value, key = lookup_word(v, ATTITUDE, strip=("态度",))
    if key is None:
        return None
    if value is None:
        raise ValueError(
            f"{clean_text(v)} is not an attitude; use positive, neutral or negative (积极/中性/消极)"
        )
    return value


def map_kind(v: object) -> str | None:
    """B2B/B2C, 企业→B2B, 个人→B2C."""
    value, key = lookup_word(v, KIND)
    if key is None:
        return None
    if value is None:
        raise ValueError(f"{clean_text(v)} is not a customer kind; use B2B or B2C (企业/个人)")
    return value


def map_tier(v: object) -> str | None:
    """A/B/C/D, A类, A级, A级客户, "A (战略客户)"; Salesforce ratings Hot/Warm/Cold → A/B/C."""
    value, key = lookup_word(v, TIER, strip=("客户",))
    if key is None:
        return None
    if value is None:
        raise ValueError(f"{clean_text(v)} is not a tier; use A, B, C or D")
    return value


def map_role(v: object) -> str | None:
    """决策者/影响者/使用者/技术评估者 and synonyms → decision-maker/influencer/user/technical-evaluator/other."""
    value, key = lookup_word(v, ROLE)
    if key is None:
        return None
    if value is None:
        raise ValueError(
            f"{clean_text(v)} is not a contact role; use decision-maker, influencer, user, "
            "technical-evaluator or other (决策者/影响者/使用者/技术评估者/其他)"
        )
    return value


def map_relationship(v: object) -> str | None:
    """陌生/认识/熟悉/信任/伙伴 → stranger/acquaintance/familiar/trusted/partner."""
    value, key = lookup_word(v, RELATIONSHIP, strip=("关系",))
    if key is None:
        return None
    if value is None:
        raise ValueError(
            f"{clean_text(v)} is not a relationship level; use stranger, acquaintance, familiar, trusted "
            "or partner (陌生/认识/熟悉/信任/伙伴)"
        )
    return value


def map_prefers(v: object) -> str | None:
    """电话/邮件/面谈/微信 → phone/email/meeting/im."""
    value, key = lookup_word(v, PREFERENCE)
    if key is None:
        return None
    if value is None:
        raise ValueError(f"{clean_text(v)} is not a contact preference; use phone, email, meeting or im")
    return value
