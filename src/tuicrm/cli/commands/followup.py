"""``tuicrm followup list|edit|delete``: see a customer's logged follow-ups with their ids, correct
one (only the options given are written), remove one (``tuicrm undo`` brings it back). The
customer's pending follow-up stays the newest follow-up's next step throughout."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tuicrm.cli import writes
from tuicrm.cli.commands.write import AT_HELP, OUTCOME_HELP
from tuicrm.cli.context import check_lengths, open_store, parse_day, read_text_arg, state
from tuicrm.cli.output import EXIT_BAD_INPUT, EXIT_NOT_FOUND, ambiguous, fail, out, plain, print_json, table
from tuicrm.cli.writes import Named
from tuicrm.i18n import _, ngettext
from tuicrm.i18n.names import display

ID_HELP = _("The follow-up's id (tuicrm followup list CUSTOMER shows them).")
# SQLite's largest integer: a longer id is "out of range" (exit 2), never an overflow inside a read.
ROW_ID_MAX = 2**63 - 1
CLEAR = ("", "none", "-")


def followup_list(
    customer: Annotated[str, typer.Argument(help=_("Code, id, or part of the customer's name."))],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    from tuicrm.cli.reads import follow_up_list
    from tuicrm.store.errors import Ambiguous, NotFound

    try:
        (customer_id, code, name), items, entries = follow_up_list(state.db, open_store, customer)
    except Ambiguous as exc:
        ambiguous(str(exc), exc.candidates)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except NotFound as exc:
        fail(str(exc), EXIT_NOT_FOUND)
    target = Named(customer_id, code, name)
    if as_json:
        print_json(
            {
                "customer": {"id": target.id, "code": target.code, "name": target.name},
                "follow_ups": items,
            }
        )
        return
    out(
        ngettext(
            "{code} {name}: {count} follow-up",
            "{code} {name}: {count} follow-ups, newest first",
            len(entries),
        ).format(code=target.code, name=plain(target.name), count=len(entries))
    )
    if not entries:
        return
    from tuicrm.clock import to_local

    rows = []
    for e in entries:
        about = " · ".join(plain(v) for v in (e.contact_name, e.opportunity_name, e.place) if v)
        what = plain(e.summary) + (f" [{e.outcome}]" if e.outcome else "")
        rows.append(
            [
                f"#{e.id}",
                f"{to_local(e.at):%Y-%m-%d %H:%M}",
                display("channel", e.channel),
                plain(e.owner or ""),
                about,
                what,
            ]
        )
    headers = [_("id"), _("when"), _("channel"), _("who"), _("with / deal / place"), _("what")]
    out("\n".join(table(headers, rows, flexible=(4, 5))))


def followup_edit(
    follow_up: Annotated[int, typer.Argument(metavar="ID", min=1, max=ROW_ID_MAX, help=ID_HELP)],
    summary: Annotated[
        str | None, typer.Option("--summary", help=_("Text, or - to read it from stdin."))
    ] = None,
    channel: Annotated[str | None, typer.Option("--channel")] = None,
    feedback: Annotated[str | None, typer.Option("--feedback")] = None,
    attitude: Annotated[
        str | None, typer.Option("--attitude", help=_("positive, neutral, negative."))
    ] = None,
    next_action: Annotated[str | None, typer.Option("--next-action")] = None,
    next_: Annotated[str | None, typer.Option("--next", help=_("Next follow-up date, or none."))] = None,
    at: Annotated[str | None, typer.Option("--at", help=AT_HELP)] = None,
    contact: Annotated[str | None, typer.Option("--contact", help=_("Id or name; none unlinks."))] = None,
    opp: Annotated[str | None, typer.Option("--opp", help=_("Id or name; none unlinks."))] = None,
    goal: Annotated[str | None, typer.Option("--goal")] = None,
    place: Annotated[str | None, typer.Option("--place")] = None,
    attendees: Annotated[str | None, typer.Option("--attendees")] = None,
    objection: Annotated[str | None, typer.Option("--objection")] = None,
    outcome: Annotated[str | None, typer.Option("--outcome", help=OUTCOME_HELP)] = None,
) -> None:
    texts = dict(
        summary=read_text_arg(summary),
        channel=channel,
        feedback=feedback,
        attitude=attitude,
        next_action=next_action,
        goal=goal,
        place=place,
        attendees=attendees,
        objection=objection,
        outcome=outcome,
    )
    changes: dict[str, Any] = {k: v for k, v in texts.items() if v is not None}
    if next_ is not None:
        changes["next_on"] = None if next_.strip().lower() in CLEAR else parse_day(next_)
    if at is not None:
        changes["at"] = writes.parse_at(at)
    if not changes and contact is None and opp is None:
        fail(_("say what to change, e.g. --summary or --outcome done (see tuicrm followup edit --help)."))
    check_lengths("followup", {k: v for k, v in changes.items() if isinstance(v, str)})

    from tuicrm.store.lean import followups as lean

    def write(conn: Any, undo: Any, _config: Any) -> tuple[int, dict[str, Any]]:
        row = _follow_up(conn, follow_up)
        customer_id = int(row["customer_id"])
        links: dict[str, int | None] = {}
        for key, ref in (("contact_id", contact), ("opportunity_id", opp)):
            if ref is not None and ref.strip().lower() in CLEAR:
                links[key] = None
        found = writes.link_refs(
            conn,
            customer_id,
            None if contact is None or "contact_id" in links else contact,
            None if opp is None or "opportunity_id" in links else opp,
        )
        return customer_id, lean.update_follow_up(conn, undo, follow_up, {**changes, **links, **found})

    _customer_id, now = writes.run(f"edit follow-up #{follow_up}", write)
    names = sorted(
        set(changes) | {k for k, r in (("contact_id", contact), ("opportunity_id", opp)) if r is not None}
    )
    out(_("Changed {fields} of follow-up #{id}.").format(fields=", ".join(names), id=now["id"]))


def followup_delete(
    follow_up: Annotated[int, typer.Argument(metavar="ID", min=1, max=ROW_ID_MAX, help=ID_HELP)],
) -> None:
    from tuicrm.store.lean import followups as lean

    def write(conn: Any, undo: Any, _config: Any) -> dict[str, Any]:
        _follow_up(conn, follow_up)
        return lean.delete_follow_up(conn, undo, follow_up)

    row = writes.run(f"delete follow-up #{follow_up}", write)
    out(
        _("Deleted follow-up #{id} ({summary}); tuicrm undo brings it back.").format(
            id=row["id"], summary=plain(row["summary"])[:60]
        )
    )


def _follow_up(conn: Any, follow_up_id: int) -> dict[str, Any]:
    from tuicrm.store.errors import NotFound
    from tuicrm.store.lean import followups as lean

    try:
        return lean.follow_up(conn, follow_up_id)
    except NotFound as exc:
        fail(str(exc), EXIT_NOT_FOUND)
