"""Every read, as plain SQL in one function taking a DB-API connection (issue #13).

Run by the lean paths (stdlib ``sqlite3``: the CLI, the TUI's first paint) and by the store
(its SQLModel session's DB-API connection). One function per question; no SQLModel here.
"""
