"""The commands that change customers: ``add customer``, ``add contact``, ``edit``, ``log``,
``snooze``, ``assess``. Each change is one write transaction (one ``undo`` reverses it)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tuicrm.cli import writes
from tuicrm.cli.context import check_lengths, open_store, read_text_arg, resolve, run_write
from tuicrm.cli.output import fail, out, plain
from tuicrm.i18n import _

CUSTOMER_HELP = _("Code, id, or part of the customer's name.")
NEXT_HELP = _("Next follow-up: +3d, fri, 2026-12-01, or auto (cadence).")
STDIN_HELP = _("Text, or - to read it from stdin.")
STATUS_HELP = _("potential, intent, won or lost.")
AT_HELP = _("When it happened, local time: yesterday 15:00, 2026-12-01 09:30, -2d (default now).")
OUTCOME_HELP = _("Did it reach its goal: done, partly, not-done (已完成, 部分完成, 未完成).")


def add_customer(
    name: Annotated[str, typer.Argument(help=_("Full legal name."))],
    alias: Annotated[str | None, typer.Option("--alias")] = None,
    industry: Annotated[str | None, typer.Option("--industry")] = None,
    tier: Annotated[str | None, typer.Option("--tier", help=_("A, B, C or D."))] = None,
    status: Annotated[str | None, typer.Option("--status", help=STATUS_HELP)] = None,
    phone: Annotated[str | None, typer.Option("--phone")] = None,
    email: Annotated[str | None, typer.Option("--email")] = None,
    source: Annotated[str | None, typer.Option("--source")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help=_("B2B or B2C."))] = None,
    tags: Annotated[str | None, typer.Option("--tags", help=_("Comma-separated."))] = None,
    notes: Annotated[str | None, typer.Option("--notes", help=STDIN_HELP)] = None,
    next_: Annotated[
        str | None, typer.Option("--next", help=_("First follow-up date (+3d, fri, 2026-12-01)."))
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    writes.add_customer_command(
        name, alias, industry, tier, status, phone, email, source, kind, tags, notes, next_, as_json
    )


def edit(
    customers: Annotated[
        list[str], typer.Argument(help=_("One or more customers: code, id, or part of the name."))
    ],
    name: Annotated[str | None, typer.Option("--name", help=_("New name (one customer only)."))] = None,
    alias: Annotated[str | None, typer.Option("--alias")] = None,
    industry: Annotated[str | None, typer.Option("--industry")] = None,
    tier: Annotated[
        str | None, typer.Option("--tier", help=_("A, B, C or D (use assess to grade with scores)."))
    ] = None,
    status: Annotated[str | None, typer.Option("--status", help=STATUS_HELP)] = None,
    phone: Annotated[str | None, typer.Option("--phone")] = None,
    email: Annotated[str | None, typer.Option("--email")] = None,
    source: Annotated[str | None, typer.Option("--source")] = None,
    owner: Annotated[str | None, typer.Option("--owner")] = None,
    tags: Annotated[str | None, typer.Option("--tags", help=_("Replace the tags (comma-separated)."))] = None,
    add_tag: Annotated[str | None, typer.Option("--add-tag", help=_("Add one tag, keep the others."))] = None,
    notes: Annotated[str | None, typer.Option("--notes", help=STDIN_HELP)] = None,
) -> None:
    given = dict(
        name=name,
        alias=alias,
        industry=industry,
        tier=tier,
        status=status,
        phone=phone,
        email=email,
        source=source,
        owner=owner,
        tags=tags,
        notes=read_text_arg(notes),
    )
    fields = {k: v for k, v in given.items() if v is not None}
    if not fields and not add_tag:
        fail(_("say what to change, e.g. --tier A or --add-tag vip (see tuicrm edit --help)."))
    if name is not None and len(customers) > 1:
        fail(_("--name changes one customer at a time."))
    check_lengths(
        "customer", {**fields, **({"tags": add_tag} if add_tag else {})}, {"tags": "--tags/--add-tag"}
    )
    store = open_store()
    from tuicrm.store.customers import update_customer

    def write(session: Any) -> list[Any]:
        targets: list[Any] = []
        for ref in customers:
            target = resolve(session, ref)
            if target.id not in {t.id for t in targets}:
                targets.append(target)
        for target in targets:
            changes = dict(fields)
            if add_tag:
                tags_now = [
                    t.strip() for t in (changes.get("tags", target.tags) or "").split(",") if t.strip()
                ]
                if add_tag.strip() and add_tag.strip() not in tags_now:
                    tags_now.append(add_tag.strip())
                changes["tags"] = ",".join(tags_now)
            update_customer(session, target, **changes)
        return targets

    label = f"edit {len(customers)} customers" if len(customers) > 1 else f"edit {customers[0]}"
    targets = run_write(store, label, write)
    changed = ", ".join(sorted(set(fields) | ({"tags"} if add_tag else set())))
    if len(targets) == 1:
        out(
            _("Changed {fields} of {code} {name}.").format(
                fields=changed, code=targets[0].code, name=plain(targets[0].name)
            )
        )
    else:
        out(
            _("Changed {fields} of {count} customers: {codes}. tuicrm undo reverses all of them.").format(
                fields=changed, count=len(targets), codes=", ".join(t.code for t in targets)
            )
        )


def add_contact(
    customer: Annotated[str, typer.Argument(help=CUSTOMER_HELP)],
    name: Annotated[str, typer.Argument(help=_("The contact's name."))],
    title: Annotated[str | None, typer.Option("--title")] = None,
    role: Annotated[
        str | None,
        typer.Option("--role", help=_("decision-maker, influencer, user, technical-evaluator, other.")),
    ] = None,
    phone: Annotated[str | None, typer.Option("--phone")] = None,
    mobile: Annotated[str | None, typer.Option("--mobile")] = None,
    email: Annotated[str | None, typer.Option("--email")] = None,
    primary: Annotated[bool, typer.Option("--primary", help=_("Make this the primary contact."))] = False,
) -> None:
    from tuicrm.store.customers import create_contact

    given = dict(title=title, role=role, phone=phone, mobile=mobile, email=email)
    fields: dict[str, object] = {k: v for k, v in given.items() if v}
    check_lengths("contact", {"name": name, **fields}, {"name": "NAME"})
    if primary:
        fields["is_primary"] = True
    store = open_store()

    def write(session: Any) -> tuple[Any, Any]:
        target = resolve(session, customer)
        return target, create_contact(session, target, name, **fields)

    target, contact = run_write(store, f"add contact {name}", write)
    out(
        _("Added {contact} to {code} {name}.").format(
            contact=plain(contact.name), code=target.code, name=plain(target.name)
        )
    )


def log(
    customer: Annotated[str, typer.Argument(help=CUSTOMER_HELP)],
    summary: Annotated[str, typer.Argument(help=_("What was discussed, or - to read it from stdin."))],
    channel: Annotated[
        str, typer.Option("--channel", help=_("phone, email, meeting, visit, video, im, demo, other."))
    ] = "phone",
    feedback: Annotated[str | None, typer.Option("--feedback", help=_("What the customer said."))] = None,
    attitude: Annotated[
        str | None, typer.Option("--attitude", help=_("positive, neutral, negative."))
    ] = None,
    next_: Annotated[str, typer.Option("--next", help=NEXT_HELP)] = "auto",
    action: Annotated[str | None, typer.Option("--action", help=_("The next step."))] = None,
    at: Annotated[str | None, typer.Option("--at", help=AT_HELP)] = None,
    contact: Annotated[
        str | None, typer.Option("--contact", help=_("The contact spoken to: id or name (this customer's)."))
    ] = None,
    opp: Annotated[
        str | None, typer.Option("--opp", help=_("The deal discussed: id or name (this customer's)."))
    ] = None,
    goal: Annotated[str | None, typer.Option("--goal", help=_("What this follow-up set out to do."))] = None,
    place: Annotated[str | None, typer.Option("--place", help=_("Where it took place."))] = None,
    attendees: Annotated[str | None, typer.Option("--attendees", help=_("Who of us took part."))] = None,
    objection: Annotated[
        str | None, typer.Option("--objection", help=_("The customer's objections."))
    ] = None,
    outcome: Annotated[str | None, typer.Option("--outcome", help=OUTCOME_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    writes.log_command(
        customer,
        summary,
        channel,
        feedback,
        attitude,
        next_,
        action,
        at,
        contact,
        opp,
        goal,
        place,
        attendees,
        objection,
        outcome,
        as_json,
    )


def snooze(
    customer: Annotated[str, typer.Argument(help=CUSTOMER_HELP)],
    date_: Annotated[str, typer.Argument(metavar="DATE", help=_("+1d, +3d, +1w, fri, 2026-12-01."))],
    reason: Annotated[str | None, typer.Option("--reason")] = None,
) -> None:
    writes.snooze_command(customer, date_, reason)


def assess(
    customer: Annotated[str, typer.Argument(help=CUSTOMER_HELP)],
    potential: Annotated[int, typer.Option("--potential", help=_("Purchase potential, 1-10."))],
    willingness: Annotated[int, typer.Option("--willingness", help=_("Willingness to cooperate, 1-10."))],
    basis: Annotated[str | None, typer.Option("--basis", help=_("Why."))] = None,
    strategy: Annotated[str | None, typer.Option("--strategy")] = None,
) -> None:
    writes.assess_command(customer, potential, willingness, basis, strategy)
