"""``tuicrm contact add|edit|list|archive``: a customer's contacts, every field of the contact card
(``tuicrm add contact`` is the same command as ``contact add``). Each change is one write
transaction: one ``undo`` reverses it."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tuicrm.cli.context import (
    check_lengths,
    open_store,
    parse_day,
    read_text,
    resolve,
    run_write,
    state,
)
from tuicrm.cli.output import EXIT_BAD_INPUT, EXIT_NOT_FOUND, ambiguous, err, error_line, fail, out, plain
from tuicrm.i18n import _
from tuicrm.i18n.names import display

CUSTOMER_HELP = _("Code, id, or part of the customer's name.")
CONTACT_HELP = _("The contact's id, or part of its name (with --customer to look in one customer).")

Title = Annotated[str | None, typer.Option("--title", help=_("Job title (职位)."))]
Department = Annotated[str | None, typer.Option("--department", help=_("Department (部门)."))]
Role = Annotated[
    str | None,
    typer.Option("--role", help=_("decision-maker, influencer, user, technical-evaluator, other.")),
]
Phone = Annotated[str | None, typer.Option("--phone")]
Mobile = Annotated[str | None, typer.Option("--mobile")]
Email = Annotated[str | None, typer.Option("--email")]
Im = Annotated[str | None, typer.Option("--im", help=_("WeChat or other IM handle (微信)."))]
Birthday = Annotated[str | None, typer.Option("--birthday", help=_("Birthday (生日), e.g. 1980-03-14."))]
Anniversary = Annotated[
    str | None,
    typer.Option(
        "--anniversary", help=_("A date remembered each year (纪念日), e.g. 2015-06-01; empty clears it.")
    ),
]
Relationship = Annotated[
    str | None,
    typer.Option(
        "--relationship", help=_("How close (关系程度): stranger, acquaintance, familiar, trusted, partner.")
    ),
]
Prefers = Annotated[
    str | None,
    typer.Option("--prefers", help=_("Preferred channel (沟通偏好): phone, email, meeting, im.")),
]
Interests = Annotated[str | None, typer.Option("--interests", help=_("Interests (爱好)."))]
Gender = Annotated[str | None, typer.Option("--gender", help=_("Gender (性别)."))]
Education = Annotated[str | None, typer.Option("--education", help=_("Education (教育背景)."))]
WorkHistory = Annotated[str | None, typer.Option("--work-history", help=_("Work history (工作经历)."))]
Notes = Annotated[str | None, typer.Option("--notes", help=_("Text, or - to read it from stdin."))]

# option parameter -> Contact field
FIELD_OF = {"decision_maker": "is_key_decision_maker", "primary": "is_primary"}


def _fields(given: dict[str, Any], name_label: str) -> dict[str, Any]:
    """The fields given (None: not given); ``--birthday``/``--anniversary`` parsed (empty clears it), ``--notes -``
    read from stdin, every text held to its limit (``tuicrm.domain.limits``)."""
    fields: dict[str, Any] = {}
    for option, value in given.items():
        if value is None:
            continue
        if option == "notes" and isinstance(value, str):
            value = read_text(value)
        if option in ("birthday", "anniversary") and isinstance(value, str):
            value = parse_day(value) if value.strip() else None
        fields[FIELD_OF.get(option, option)] = value
    texts: dict[str, object] = {k: v for k, v in fields.items() if isinstance(v, str)}
    check_lengths("contact", texts, {"name": name_label})
    return fields


def _contact(session: Any, ref: str, customer: str | None) -> Any:
    """The live contact ``ref`` names; ambiguous exits 2 listing the candidates, not found exits 1."""
    from tuicrm.store.customers import resolve_contact
    from tuicrm.store.errors import Ambiguous, NotFound

    owner = resolve(session, customer) if customer else None
    try:
        return resolve_contact(session, ref, owner)
    except Ambiguous as exc:
        ambiguous(str(exc), exc.candidates)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except NotFound as exc:
        fail(str(exc), EXIT_NOT_FOUND)


def add(
    customer: Annotated[str, typer.Argument(help=CUSTOMER_HELP)],
    name: Annotated[str, typer.Argument(help=_("The contact's name."))],
    title: Title = None,
    role: Role = None,
    phone: Phone = None,
    mobile: Mobile = None,
    email: Email = None,
    primary: Annotated[bool, typer.Option("--primary", help=_("Make this the primary contact."))] = False,
    department: Department = None,
    im: Im = None,
    birthday: Birthday = None,
    anniversary: Anniversary = None,
    relationship: Relationship = None,
    prefers: Prefers = None,
    interests: Interests = None,
    gender: Gender = None,
    education: Education = None,
    work_history: WorkHistory = None,
    notes: Notes = None,
    decision_maker: Annotated[
        bool, typer.Option("--decision-maker", help=_("A key decision-maker (关键决策人)."))
    ] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    from tuicrm.store.customers import create_contact

    given = dict(
        name=name,
        title=title,
        department=department,
        role=role,
        phone=phone,
        mobile=mobile,
        email=email,
        im=im,
        birthday=birthday,
        anniversary=anniversary,
        relationship=relationship,
        prefers=prefers,
        interests=interests,
        gender=gender,
        education=education,
        work_history=work_history,
        notes=notes,
        primary=primary or None,
        decision_maker=decision_maker or None,
    )
    fields = _fields(given, "NAME")
    del fields["name"]
    store = open_store()

    def write(session: Any) -> tuple[Any, Any]:
        target = resolve(session, customer)
        return target, create_contact(session, target, name, **fields)

    target, contact = run_write(store, f"add contact {name}", write)
    if as_json:
        from tuicrm.cli.output import print_json

        print_json({"id": contact.id, "customer": target.code, "name": contact.name})
        return
    out(
        _("Added {contact} (#{id}) to {code} {name}.").format(
            contact=plain(contact.name), id=contact.id, code=target.code, name=plain(target.name)
        )
    )


def edit(
    contact: Annotated[str, typer.Argument(metavar="ID|NAME", help=CONTACT_HELP)],
    customer: Annotated[
        str | None, typer.Option("--customer", help=_("Look for the contact in this customer only."))
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help=_("New name."))] = None,
    title: Title = None,
    department: Department = None,
    role: Role = None,
    phone: Phone = None,
    mobile: Mobile = None,
    email: Email = None,
    im: Im = None,
    birthday: Birthday = None,
    anniversary: Anniversary = None,
    relationship: Relationship = None,
    prefers: Prefers = None,
    interests: Interests = None,
    gender: Gender = None,
    education: Education = None,
    work_history: WorkHistory = None,
    notes: Notes = None,
    primary: Annotated[
        bool | None,
        typer.Option(
            "--primary/--not-primary", help=_("Make this the primary contact (or not)."), show_default=False
        ),
    ] = None,
    decision_maker: Annotated[
        bool | None,
        typer.Option(
            "--decision-maker/--not-decision-maker",
            help=_("A key decision-maker (关键决策人), or not."),
            show_default=False,
        ),
    ] = None,
) -> None:
    """Change only the fields given; an empty value (--email "") clears that field."""
    from tuicrm.store.customers import get_customer, update_contact

    given = dict(
        name=name,
        title=title,
        department=department,
        role=role,
        phone=phone,
        mobile=mobile,
        email=email,
        im=im,
        birthday=birthday,
        anniversary=anniversary,
        relationship=relationship,
        prefers=prefers,
        interests=interests,
        gender=gender,
        education=education,
        work_history=work_history,
        notes=notes,
        primary=primary,
        decision_maker=decision_maker,
    )
    fields = _fields(given, "--name")
    if not fields:
        fail(_("say what to change, e.g. --title or --mobile (see tuicrm contact edit --help)."))
    store = open_store()

    def write(session: Any) -> tuple[Any, Any]:
        found = _contact(session, contact, customer)
        return get_customer(session, found.customer_id), update_contact(session, found, **fields)

    target, changed = run_write(store, f"edit contact {contact}", write)
    out(
        _("Changed {fields} of {contact} ({code} {name}).").format(
            fields=", ".join(sorted(fields)),
            contact=plain(changed.name),
            code=target.code,
            name=plain(target.name),
        )
    )


def archive(
    contact: Annotated[str, typer.Argument(metavar="ID|NAME", help=CONTACT_HELP)],
    customer: Annotated[
        str | None, typer.Option("--customer", help=_("Look for the contact in this customer only."))
    ] = None,
) -> None:
    """Archive a contact: off the card and out of search, kept in the database (undo brings it back)."""
    from tuicrm.store.customers import archive_contact, get_customer

    store = open_store()

    def write(session: Any) -> tuple[Any, Any]:
        found = _contact(session, contact, customer)
        return get_customer(session, found.customer_id), archive_contact(session, found)

    target, archived = run_write(store, f"archive contact {contact}", write)
    out(
        _("Archived {contact} of {code} {name}; tuicrm undo brings it back.").format(
            contact=plain(archived.name), code=target.code, name=plain(target.name)
        )
    )


def list_(
    customer: Annotated[str, typer.Argument(help=CUSTOMER_HELP)],
    as_json: Annotated[bool, typer.Option("--json")] = False,
    reveal: Annotated[bool, typer.Option("--reveal", help=_("Show phone numbers unmasked."))] = False,
) -> None:
    """A customer's live contacts, the primary one first, with every field."""
    from tuicrm.cli import reads
    from tuicrm.cli.context import customer_not_found, impossible_id
    from tuicrm.cli.output import print_json, table

    if impossible_id(customer):
        err(error_line(customer_not_found(customer)))
        raise typer.Exit(EXIT_NOT_FOUND)

    try:
        code, name, contacts = reads.contact_list(state.db, open_store, customer, reveal)
    except reads.Ambiguous as exc:
        ambiguous(str(exc), exc.candidates)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except reads.NotFound as exc:
        err(error_line(str(exc)))
        raise typer.Exit(EXIT_NOT_FOUND) from None
    if as_json:
        print_json({"customer": {"code": code, "name": name}, "contacts": contacts})
        return
    if not contacts:
        out(
            _("{code} {name} has no contacts yet: tuicrm contact add {code} NAME.").format(
                code=code, name=plain(name)
            )
        )
        return
    rows = [
        [
            str(c["id"]),
            ("* " if c["is_primary"] else "") + plain(c["name"]),
            plain(c.get("title") or ""),
            display("role", c.get("role")),
            plain(c.get("mobile") or c.get("phone") or ""),
            plain(c.get("email") or ""),
            plain(c.get("im") or ""),
        ]
        for c in contacts
    ]
    headers = [_("id"), _("name"), _("title"), _("role"), _("phone"), _("email"), _("IM")]
    out("\n".join([f"{code} {plain(name)}"] + table(headers, rows, flexible=(1, 2, 5))))


__all__ = ["add", "archive", "edit", "list_"]
