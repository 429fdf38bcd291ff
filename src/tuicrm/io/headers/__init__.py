"""Spreadsheet header matching (SPEC §9): which column is which field, and what a sheet holds.

Pure: no database, no Textual. The importer reads a sheet's first row, calls
:func:`match_headers`, then parses each mapped cell with :mod:`tuicrm.io.values`.

Field names are the model's (``tuicrm.models``) plus a few link/helper fields
that have no column of their own:

- ``customer_name`` / ``customer_code``: the customer a contact, follow-up, tier
  assessment or opportunity row belongs to.
- ``contact_name``, ``contact_title``, ``contact_phone``, ``contact_email``,
  ``contact_im``: the person on a customer row; on an opportunity row
  ``contact_name`` is the key decision-maker; on a follow-up row, who we spoke to.
- ``first_name`` / ``last_name``: join them (``"first last"``, or ``last+first``
  for CJK names) when the row has no full ``name`` / ``contact_name``.
- ``budget`` (customers): one cell holding a budget or range ("15-20万"); split it
  with ``values.parse_amount_range`` into ``budget_min`` / ``budget_max``.
- ``external_id`` (customers): the source system's id (Salesforce ``Id``,
  datablist ``Customer Id``); useful to resolve ``AccountId`` within one import.
- ``opportunity_name`` (followups): the opportunity the follow-up is about.
- ``opened_on`` (opportunities): when the deal was opened/engaged (Maven
  ``engage_date``) — a first StageChange date, if the importer wants one.

Row-level rules this layer leaves to the importer: a customer row whose
``name`` cell is empty but ``contact_name`` is filled is a person (B2C, e.g. the
客户模版 template's 客户姓名 with an empty 公司名称) and uses that as the name; a
won/lost opportunity without ``closed_on`` takes ``expected_close_on``.

Several columns may map to the same field only for :data:`MULTI_FIELDS`
(address parts, notes, tags, summary, feedback): join their non-empty cells in
column order. For any other field the best alias wins and the rest are listed
in ``HeaderMatch.duplicates``.
"""

from __future__ import annotations

from tuicrm.io.headers.aliases import ALIASES, KINDS, MONEY_FIELDS, MULTI_FIELDS
from tuicrm.io.headers.labels import LABELS_EN, LABELS_ZH, TEMPLATE_FIELDS
from tuicrm.io.headers.match import HeaderMatch, classify, match_headers
from tuicrm.io.headers.text import normalise_header, to_simplified

__all__ = [
    "ALIASES",
    "KINDS",
    "LABELS_EN",
    "LABELS_ZH",
    "MONEY_FIELDS",
    "MULTI_FIELDS",
    "TEMPLATE_FIELDS",
    "HeaderMatch",
    "classify",
    "match_headers",
    "normalise_header",
    "to_simplified",
]
