"""``tuicrm find --all TEXT``: customers by name, code, contact or phone first, then by their notes,
follow-ups and opportunities, each saying where it matched (``tuicrm.query.search_all``).

Light at import, like ``readviews``: the fast path runs it without building Typer.
"""

from __future__ import annotations

from tuicrm.cli import reads
from tuicrm.cli.context import open_store, state
from tuicrm.cli.output import EXIT_NOT_FOUND, out, plain, print_json, table
from tuicrm.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def hit_json(hit: Any) -> dict[str, Any]:
    """``find --json``'s item plus ``matched``: where it was found (kind, date, opportunity, snippet)."""
    from tuicrm.cli.readviews import find_item_json

    data = find_item_json(hit.customer)
    data["matched"] = {
        "kind": hit.kind,
        "on": hit.on.isoformat() if hit.on else None,
        "opportunity": hit.title,
        "snippet": hit.snippet or None,
    }
    return data


def find_all_output(query: str, as_json: bool, limit: int) -> int:
    from tuicrm.domain.privacy import redact
    from tuicrm.domain.snippets import hit_where
    from tuicrm.i18n.names import display

    hits = reads.find_everywhere(state.db, open_store, query, limit)
    if as_json:
        print_json([hit_json(h) for h in hits])
        return 0
    if not hits:
        out(redact(_("No customer, note or follow-up matches '{query}'.").format(query=plain(query))))
        return EXIT_NOT_FOUND
    cells = [
        [
            h.customer.code,
            plain(h.customer.name),
            h.customer.tier,
            display("status", h.customer.status),
            plain(hit_where(h, query)),
        ]
        for h in hits
    ]
    headers = [_("code"), _("name"), _("tier"), _("status"), _("found in")]
    out("\n".join(table(headers, cells, flexible=(1, 4))))
    return 0
