"""``tuicrm lead add|list|score|touch|convert|drop``: leads scored with BANT (template 004 模板1).

Each change is one write transaction: one ``undo`` reverses it (a conversion too: the customer,
contact and opportunity it made go, the lead is open again).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tuicrm.cli.context import check_lengths, load_config, open_store, parse_day, run_write, state
from tuicrm.cli.output import EXIT_BAD_INPUT, EXIT_NOT_FOUND, ambiguous, fail, out, plain, print_json, table
from tuicrm.i18n import _
from tuicrm.i18n.names import display

LEAD_HELP = _("The lead's code (L000001), id, or part of the company name.")

Source = Annotated[
    str | None,
    typer.Option("--source", help=_("Where it came from (来源): trade show, online ad, referral…")),
]
SourceDetail = Annotated[
    str | None, typer.Option("--source-detail", help=_("Its detail: the show or campaign, e.g. SEM."))
]
Industry = Annotated[str | None, typer.Option("--industry")]
ContactName = Annotated[str | None, typer.Option("--contact", help=_("The contact's name (联系人)."))]
Title = Annotated[
    str | None,
    typer.Option("--title", help=_("The contact's title (职位): a default decision-maker answer.")),
]
Phone = Annotated[str | None, typer.Option("--phone")]
Email = Annotated[str | None, typer.Option("--email")]
Budget = Annotated[
    str | None,
    typer.Option(
        "--budget",
        help=_("Budget range (预算范围) as written: 15-20万, 100k, 8~10w (the lower bound counts)."),
    ),
]
Needs = Annotated[
    str | None, typer.Option("--needs", help=_("What they need (需求描述); a need given counts as clear."))
]
PurchaseBy = Annotated[
    str | None, typer.Option("--purchase-by", help=_("When they mean to buy: a date, +20d, next month…"))
]
DecisionMaker = Annotated[
    bool | None,
    typer.Option(
        "--decision-maker/--no-decision-maker",
        help=_("The contact decides (default: from the title)."),
        show_default=False,
    ),
]
NeedClear = Annotated[
    bool | None,
    typer.Option(
        "--need-clear/--no-need-clear",
        help=_("The need is clear (default: needs given)."),
        show_default=False,
    ),
]
PurchaseSoon = Annotated[
    bool | None,
    typer.Option(
        "--purchase-soon/--no-purchase-soon",
        help=_("They buy within the purchase window (when no purchase date is known)."),
        show_default=False,
    ),
]
Owner = Annotated[str | None, typer.Option("--owner", help=_("Who follows it up (负责人)."))]
Json = Annotated[bool, typer.Option("--json", help=_("Machine-readable output (see docs/cli.md)."))]


def _reasons(lead: Any) -> list[str]:
    from tuicrm.clock import today
    from tuicrm.domain.leads import BantAnswers, bant_score

    answers = BantAnswers(
        budget_text=lead.budget_text,
        title=lead.contact_title,
        needs=lead.needs,
        purchase_by=lead.purchase_by,
        is_decision_maker=lead.is_decision_maker,
        need_clear=lead.need_clear,
        purchase_soon=lead.purchase_soon,
    )
    return list(bant_score(answers, today(), load_config().leads).reasons)


def _stamp(value: Any) -> str | None:
    if value is None:
        return None
    from datetime import UTC

    return (value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)).isoformat()


def lead_json(lead: Any, *, reasons: bool = True, reveal: bool = False) -> dict[str, Any]:
    """The ``lead --json`` shape (docs/cli.md): the model's field names; phones masked unless
    ``reveal`` (``--reveal``)."""
    from tuicrm.domain.privacy import mask_phone

    data: dict[str, Any] = {
        "id": lead.id,
        "code": lead.code,
        "company": lead.company,
        "source": lead.source,
        "source_detail": lead.source_detail,
        "industry": lead.industry,
        "contact_name": lead.contact_name,
        "contact_title": lead.contact_title,
        "phone": lead.phone if reveal else mask_phone(lead.phone),
        "email": lead.email,
        "budget_text": lead.budget_text,
        "budget_min": None if lead.budget_min is None else str(lead.budget_min),
        "needs": lead.needs,
        "purchase_by": lead.purchase_by.isoformat() if lead.purchase_by else None,
        "is_decision_maker": lead.is_decision_maker,
        "need_clear": lead.need_clear,
        "purchase_soon": lead.purchase_soon,
        "score": lead.score,
        "score_class": lead.score_class,
        "respond_by": _stamp(lead.respond_by),
        "contacted_at": _stamp(lead.contacted_at),
        "rescore_on": lead.rescore_on.isoformat() if lead.rescore_on else None,
        "status": lead.status,
        "drop_reason": lead.drop_reason,
        "owner": lead.owner,
        "customer_id": lead.customer_id,
        "contact_id": lead.contact_id,
        "opportunity_id": lead.opportunity_id,
    }
    if reasons:
        data["reasons"] = _reasons(lead)
    return data


def _deadline_words(lead: Any) -> str:
    from tuicrm.domain.leads import response_action, time_left_label

    if lead.status == "new" and lead.contacted_at is None and lead.respond_by is not None:
        from tuicrm.clock import utcnow

        return f"{response_action(lead.score_class)}: {time_left_label(lead.respond_by, utcnow())}"
    if lead.status == "nurturing" and lead.rescore_on is not None:
        return _("re-score on {date}").format(date=lead.rescore_on.isoformat())
    return ""


def _summary(lead: Any) -> str:
    from tuicrm.domain.leads import class_label

    head = _("{code} {company}: BANT {score}, {klass}").format(
        code=lead.code, company=plain(lead.company), score=lead.score, klass=class_label(lead.score_class)
    )
    words = _deadline_words(lead)
    lines = [head + (f" — {words}" if words else "")]
    lines += ["  " + plain(r) for r in _reasons(lead)]
    return "\n".join(lines)


def _fields(**given: Any) -> dict[str, Any]:
    fields = {k: v for k, v in given.items() if v is not None}
    if isinstance(fields.get("purchase_by"), str):
        fields["purchase_by"] = parse_day(fields["purchase_by"]) if fields["purchase_by"].strip() else None
    texts: dict[str, object] = {k: v for k, v in fields.items() if isinstance(v, str)}
    check_lengths("lead", texts)
    return fields


def _lead(session: Any, ref: str) -> Any:
    from tuicrm.store.errors import Ambiguous, NotFound
    from tuicrm.store.leads import resolve_lead

    try:
        return resolve_lead(session, ref)
    except Ambiguous as exc:
        ambiguous(str(exc), exc.candidates)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except NotFound as exc:
        fail(str(exc), EXIT_NOT_FOUND)


def add(
    company: Annotated[str, typer.Argument(help=_("The company (客户名称)."))],
    source: Source = None,
    source_detail: SourceDetail = None,
    industry: Industry = None,
    contact: ContactName = None,
    title: Title = None,
    phone: Phone = None,
    email: Email = None,
    budget: Budget = None,
    needs: Needs = None,
    purchase_by: PurchaseBy = None,
    decision_maker: DecisionMaker = None,
    need_clear: NeedClear = None,
    purchase_soon: PurchaseSoon = None,
    owner: Owner = None,
    as_json: Json = False,
) -> None:
    """Add a lead: scored with BANT at once, with its class's response deadline."""
    from tuicrm.store.leads import create_lead

    fields = _fields(
        source=source,
        source_detail=source_detail,
        industry=industry,
        contact_name=contact,
        contact_title=title,
        phone=phone,
        email=email,
        budget_text=budget,
        needs=needs,
        purchase_by=purchase_by,
        is_decision_maker=decision_maker,
        need_clear=need_clear,
        purchase_soon=purchase_soon,
        owner=owner,
    )
    check_lengths("lead", {"company": company}, {"company": "COMPANY"})
    config = load_config()
    state.creates = True  # like `add`, the first lead may start the database
    lead = run_write(open_store(), f"add lead {company}", lambda s: create_lead(s, config, company, **fields))
    if as_json:
        print_json(lead_json(lead))
        return
    out(_("Added lead {summary}").format(summary=_summary(lead)))


def list_(
    score_class: Annotated[str | None, typer.Option("--class", help=_("high, medium or low."))] = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status", help=_("new, contacted, nurturing, qualified, converted, disqualified, all.")
        ),
    ] = None,
    reveal: Annotated[
        bool, typer.Option("--reveal", help=_("Show each lead's contact and phone, unmasked."))
    ] = False,
    as_json: Json = False,
) -> None:
    """Open leads by class, the nearest deadline first."""
    from tuicrm.config import LEAD_CLASSES, LEAD_STATUSES
    from tuicrm.domain.choices import canonical

    score_class = canonical(score_class, LEAD_CLASSES) or score_class  # 高价值 → high
    status = "all" if status == "全部" else canonical(status, LEAD_STATUSES) or status
    if score_class is not None and score_class not in LEAD_CLASSES:
        fail(_("--class must be one of: {choices}.").format(choices=", ".join(LEAD_CLASSES)))
    if status is not None and status not in (*LEAD_STATUSES, "all"):
        fail(_("--status must be one of: {choices}.").format(choices=", ".join((*LEAD_STATUSES, "all"))))
    from tuicrm.cli import reads

    rows = reads.lead_rows(state.db, open_store, score_class, status)
    if as_json:
        print_json([lead_json(r, reveal=reveal) for r in rows])
        return
    if not rows:
        out(_("No leads."))
        return
    from tuicrm.domain.leads import class_label

    cells = [
        [
            r.code,
            class_label(r.score_class),
            str(r.score),
            display("lead_status", r.status),
            plain(r.company),
            _deadline_words(r),
        ]
        for r in rows
    ]
    headers = [_("code"), _("class"), _("BANT"), _("status"), _("company"), _("deadline")]
    if reveal:
        # who to call and the number, in full: the rep asked for it (the default list shows neither)
        for row, cell in zip(rows, cells, strict=True):
            cell.insert(5, plain(" ".join(p for p in (row.contact_name, row.phone) if p)))
        headers.insert(5, _("contact"))
    out("\n".join(table(headers, cells, flexible=(4, 5) if reveal else (4,))))


def score(
    lead: Annotated[str, typer.Argument(help=LEAD_HELP)],
    budget: Budget = None,
    title: Title = None,
    needs: Needs = None,
    purchase_by: PurchaseBy = None,
    decision_maker: DecisionMaker = None,
    need_clear: NeedClear = None,
    purchase_soon: PurchaseSoon = None,
    as_json: Json = False,
) -> None:
    """Score a lead again with the answers given (the rest as they are); shows the reasons."""
    from tuicrm.store.leads import score_lead

    fields = _fields(
        budget_text=budget,
        contact_title=title,
        needs=needs,
        purchase_by=purchase_by,
        is_decision_maker=decision_maker,
        need_clear=need_clear,
        purchase_soon=purchase_soon,
    )
    config = load_config()
    result = run_write(
        open_store(), f"score lead {lead}", lambda s: score_lead(s, config, _lead(s, lead), **fields)
    )
    if as_json:
        print_json(lead_json(result))
        return
    out(_summary(result))


def touch(
    lead: Annotated[str, typer.Argument(help=LEAD_HELP)],
    as_json: Json = False,
) -> None:
    """The lead was reached (first call, material sent): its deadline is answered."""
    from tuicrm.store.leads import touch_lead

    result = run_write(open_store(), f"touch lead {lead}", lambda s: touch_lead(s, _lead(s, lead)))
    if as_json:
        print_json(lead_json(result))
        return
    out(_("{code} {company}: contacted.").format(code=result.code, company=plain(result.company)))


def drop(
    lead: Annotated[str, typer.Argument(help=LEAD_HELP)],
    reason: Annotated[str, typer.Option("--reason", help=_("Why it is not a lead (required)."))],
    as_json: Json = False,
) -> None:
    """Disqualify a lead, with the reason."""
    from tuicrm.store.leads import drop_lead

    check_lengths("lead", {"drop_reason": reason}, {"drop_reason": "--reason"})
    result = run_write(open_store(), f"drop lead {lead}", lambda s: drop_lead(s, _lead(s, lead), reason))
    if as_json:
        print_json(lead_json(result, reasons=False))
        return
    out(
        _("{code} {company}: dropped ({reason}).").format(
            code=result.code, company=plain(result.company), reason=plain(result.drop_reason)
        )
    )


def _choose_customer(matches: list[tuple[str, str]], lead_code: str) -> str | None:
    """Ask which customer to attach to (a TTY only); None: a new customer."""
    import sys

    lines = [_("Lead {code} looks like an existing customer:").format(code=lead_code)]
    lines += [f"  {i}. {code} {plain(name)}" for i, (code, name) in enumerate(matches, start=1)]
    if not sys.stdin.isatty():
        lines.append(_("Say --attach CUSTOMER to join one of them, or --new for a new customer."))
        fail("\n".join(lines))
    out("\n".join(lines))
    answer = typer.prompt(_("Attach to which (number), or 0 for a new customer"), default="1")
    if answer.strip() == "0":
        return None
    if answer.strip().isdigit() and 1 <= int(answer) <= len(matches):
        return matches[int(answer) - 1][0]
    fail(_("No such choice: {answer}.").format(answer=plain(answer)))
    return None


def convert(
    lead: Annotated[str, typer.Argument(help=LEAD_HELP)],
    stage: Annotated[
        str, typer.Option("--stage", help=_("The opportunity's first stage: lead or need."))
    ] = "lead",
    attach: Annotated[
        str | None, typer.Option("--attach", help=_("Join this existing customer instead of making one."))
    ] = None,
    new: Annotated[
        bool, typer.Option("--new", help=_("A new customer even when one looks the same."))
    ] = False,
    as_json: Json = False,
) -> None:
    """Convert a lead into a customer + contact + opportunity, every field carried; a company that
    already exists (same name, phone or e-mail) is offered to attach to."""
    from tuicrm.cli.context import resolve
    from tuicrm.store.leads import convert_lead, matching_customers

    if stage not in ("lead", "need"):
        fail(_("--stage must be lead or need."))
    if attach and new:
        fail(_("Say --attach or --new, not both."))
    store = open_store()
    target = attach
    if target is None and not new:
        with store.read() as session:
            found = _lead(session, lead)
            matches = [(m.code, m.name) for m in matching_customers(session, found)]
            code = found.code
        if matches:
            target = _choose_customer(matches, code)
    config = load_config()

    def write(session: Any) -> Any:
        row = _lead(session, lead)
        customer = resolve(session, target) if target else None
        return convert_lead(session, config, row, stage=stage, attach=customer)

    done = run_write(store, f"convert lead {lead}", write)
    if as_json:
        print_json(
            {
                "lead": done.lead.code,
                "customer": {"id": done.customer.id, "code": done.customer.code, "name": done.customer.name},
                "contact": None
                if done.contact is None
                else {"id": done.contact.id, "name": done.contact.name},
                "opportunity": {
                    "id": done.opportunity.id,
                    "name": done.opportunity.name,
                    "stage": done.opportunity.stage,
                },
                "attached": done.attached,
            }
        )
        return
    verb = _("attached to") if done.attached else _("converted into")
    out(
        _("{code} {verb} {customer} {name}; opportunity #{opp} ({stage}).").format(
            code=done.lead.code,
            verb=verb,
            customer=done.customer.code,
            name=plain(done.customer.name),
            opp=done.opportunity.id,
            stage=done.opportunity.stage,
        )
    )
