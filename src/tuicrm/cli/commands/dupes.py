"""``tuicrm dupes`` (possible duplicates) and ``tuicrm merge A B`` (one undoable change)."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from tuicrm.cli.context import open_store, resolve, run_write, state
from tuicrm.cli.output import fail, out, plain, print_json
from tuicrm.i18n import _


def reason_label(reason: str) -> str:
    if reason == "phone":
        return _("phone")
    if reason == "email":
        return _("e-mail")
    return _("name")


def dupes(
    as_json: Annotated[
        bool, typer.Option("--json", help=_("Machine-readable output (see docs/cli.md)."))
    ] = False,
) -> None:
    """Live customers that may be the same: the same normalised name, phone or e-mail."""
    from tuicrm.cli import reads

    pairs = reads.duplicate_pairs(state.db, open_store)
    if as_json:
        print_json([p.to_dict() for p in pairs])
        return
    if not pairs:
        out(_("No possible duplicates."))
        return
    for p in pairs:
        same = ", ".join(reason_label(r) for r in p.same)
        out(
            _("{a_code} {a_name}  ~  {b_code} {b_name}  (same {same})").format(
                a_code=p.keep.code,
                a_name=plain(p.keep.name),
                b_code=p.other.code,
                b_name=plain(p.other.name),
                same=same,
            )
        )
    out(_("tuicrm merge A B moves B into A (one undo reverses it)."))


def merge(
    keep: Annotated[str, typer.Argument(metavar="A", help=_("The customer that stays (code, id or name)."))],
    other: Annotated[str, typer.Argument(metavar="B", help=_("The customer merged into A, then archived."))],
    yes: Annotated[bool, typer.Option("--yes", "-y", help=_("Do not ask; merge at once."))] = False,
    as_json: Annotated[bool, typer.Option("--json", help=_("Report what moved as JSON."))] = False,
) -> None:
    """Merge B into A: B's contacts, follow-ups, deals and history move to A; B is archived."""
    from tuicrm.store.merge import merge_customers

    store = open_store()
    with store.read() as session:
        a, b = resolve(session, keep), resolve(session, other)
        a_id, b_id = a.id, b.id
        question = _("Merge {b_code} {b_name} into {a_code} {a_name}? {b_code} will be archived.").format(
            a_code=a.code, a_name=plain(a.name), b_code=b.code, b_name=plain(b.name)
        )
    if a_id == b_id:
        fail(_("A and B are the same customer."))
    if not yes:
        if not sys.stdin.isatty():
            fail(_("add --yes to merge without a question."))
        if not typer.confirm(question):
            out(_("Nothing changed."))
            return

    def write(session: Any) -> Any:
        return merge_customers(session, a_id, b_id)

    result = run_write(store, f"merge {keep} {other}", write)
    if as_json:
        print_json(result.to_dict())
        return
    moved = ", ".join(f"{n} {table}" for table, n in result.moved.items()) or _("nothing")
    out(
        _("Merged {merged} into {keep}: moved {moved}.").format(
            merged=plain(result.merged), keep=plain(result.keep), moved=moved
        )
    )
    if result.noted:
        out(_("Kept in its notes: {labels}.").format(labels=", ".join(result.noted)))
    out(_("tuicrm undo reverses it."))


__all__ = ["dupes", "merge"]
