"""Every read, as plain SQL in one function taking a DB-API connection (issue #13).

Run by the lean paths (stdlib ``sqlite3`` from ``connect``: the CLI's ``due``/``find``/``show``,
the TUI's first paint through ``tuicrm.store.deferred.DeferredStore``) and by the store
(``Store.reading()``: its SQLModel session's DB-API connection). One function per question; no
SQLModel, no ``tuicrm.store``, no ``tuicrm.io`` here (an import-linter contract). Results are
plain read-only data (``values.Frozen`` classes, dataclasses, ``cards.Record``), never ORM rows.

- ``connect``: the lean connection (schema check against ``revision.HEAD_REVISION``), ``today()``.
- ``errors``: ``NotFound``/``Ambiguous`` (``DataError`` is the store's ``StoreError``).
- ``filters``: ``CustomerFilter``, the one filter type of the CLI, the store and the UI.
- ``dialect``: the SQL that differs between SQLite and PostgreSQL (dates, ``greatest``, hints).
- ``search``: the FTS5 trigram customer search (SQLite only; exempt from portability).
- ``customers``: resolve a reference, find, the list's count and windows, filter choices, briefs.
- ``cards``: the customer card (``show``, the detail screen).
- ``followups``: the due list, its counts, the overdue panel, the timeline, last activity.
- ``pipeline``/``boards``: the pipeline board, stage totals, staleness, forecast inputs; tiers.
- ``reports``: the reports' queries (``tuicrm.domain.reports`` does the arithmetic).

The modules on the CLI's start-up path (connect, search, customers, cards) import neither
``typing`` nor ``dataclasses`` at run time: ~40 ms on the shared server.
"""
