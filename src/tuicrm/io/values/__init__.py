"""Cell value parsers for imports (SPEC §9). Pure: no database, no Textual.

Every parser returns ``None`` for an empty cell and raises ``ValueError`` with a
short plain-English reason for a bad one, so the importer can report
"row 12: 2024-13-45 is not a valid date" and go on with the next row.

By topic: :mod:`.text` (clean text, phone digits), :mod:`.dates`, :mod:`.numbers`
(amounts, percentages, scores), :mod:`.words` (word lists → SPEC values, tables in
:mod:`.word_tables`), :mod:`.encoding` (bytes → text).
"""

from __future__ import annotations

from tuicrm.io.values.dates import guess_day_first, parse_date, parse_datetime
from tuicrm.io.values.encoding import decode_bytes
from tuicrm.io.values.numbers import (
    AmbiguousAmount,
    currency_of,
    decimal_from_headers,
    decimal_mark,
    parse_amount,
    parse_amount_range,
    parse_int,
    parse_money,
    parse_percent,
    parse_tier_scores,
)
from tuicrm.io.values.text import clean_text, parse_phone_digits
from tuicrm.io.values.words import (
    map_attitude,
    map_channel,
    map_kind,
    map_prefers,
    map_relationship,
    map_role,
    map_stage,
    map_status,
    map_tier,
)

__all__ = [
    "AmbiguousAmount",
    "currency_of",
    "decimal_from_headers",
    "decimal_mark",
    "parse_money",
    "clean_text",
    "decode_bytes",
    "guess_day_first",
    "map_attitude",
    "map_channel",
    "map_kind",
    "map_prefers",
    "map_relationship",
    "map_role",
    "map_stage",
    "map_status",
    "map_tier",
    "parse_amount",
    "parse_amount_range",
    "parse_date",
    "parse_datetime",
    "parse_int",
    "parse_percent",
    "parse_phone_digits",
    "parse_tier_scores",
]
