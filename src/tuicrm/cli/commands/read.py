"""``tuicrm due``, ``find``, ``show``: the Typer side (the output is in ``tuicrm.cli.readviews``,
shared with the fast path)."""

from __future__ import annotations

from typing import Annotated

import typer

from tuicrm.cli.output import fail
from tuicrm.cli.readviews import (
    DUE_SHOWN,
    MAX_DAYS,
    MAX_LIMIT,
    due_output,
    filters_output,
    find_output,
    show_output,
)
from tuicrm.i18n import _

JSON_HELP = _("Machine-readable output.")


def exit_with(code: int) -> None:
    if code:
        raise typer.Exit(code)


def due(
    days: Annotated[
        int, typer.Option("--days", min=0, max=MAX_DAYS, help=_("Also list the next N days."))
    ] = 0,
    as_json: Annotated[
        bool, typer.Option("--json", help=_("Machine-readable output, every item (see docs/cli.md)."))
    ] = False,
    show_all: Annotated[
        bool, typer.Option("--all", help=_("List every item, not only the first --limit."))
    ] = False,
    shown: Annotated[
        int, typer.Option("--limit", min=1, max=MAX_LIMIT, help=_("How many to list (the rest are counted)."))
    ] = DUE_SHOWN,
    count: Annotated[
        bool, typer.Option("--count", help=_("Only the number of overdue and due-today items, every kind."))
    ] = False,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help=_(
                "Only items of this kind: follow-up, lead, activity, receivable, complaint, birthday, renewal."
            ),
        ),
    ] = None,
) -> None:
    """The morning queue: overdue lead responses, today's timed items, then follow-ups in call-next
    order (+ the next N days)."""
    exit_with(due_output(days, as_json, show_all, shown, count, kind))


def find(
    query: Annotated[str, typer.Argument(help=_("Part of a name, alias, code, contact, phone or email."))],
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, max=MAX_LIMIT)] = 50,
    everywhere: Annotated[
        bool,
        typer.Option(
            "--all", help=_("Also search notes, follow-ups and opportunities (listed after name matches).")
        ),
    ] = False,
    saved: Annotated[
        bool,
        typer.Option(
            "--filter",
            help=_("QUERY is the name of a saved filter: list the customers it keeps (see tuicrm filters)."),
        ),
    ] = False,
) -> None:
    """Find customers by name, alias, code, contact name, phone or email (--all: notes and follow-ups too)."""
    if everywhere and saved:
        fail(_("--all searches text and --filter names a saved filter: use one of them."))
    if everywhere:
        from tuicrm.cli.findall import find_all_output

        exit_with(find_all_output(query, as_json, limit))
        return
    exit_with(find_output(query, as_json, limit, saved))


def filters(as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False) -> None:
    """The saved filters: their keys, names and what each keeps (tuicrm find --filter NAME lists one)."""
    exit_with(filters_output(as_json))


def show(
    customer: Annotated[str, typer.Argument(help=_("Code (C000042), id, or part of the name."))],
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
    reveal: Annotated[bool, typer.Option("--reveal", help=_("Show phone numbers unmasked."))] = False,
) -> None:
    """The customer card: fields, contacts, follow-ups, opportunities, tier history."""
    exit_with(show_output(customer, as_json, reveal))


__all__ = ["due", "filters", "find", "show"]
