"""The commands that change customers: ``add customer``, ``edit``, ``log``,
``snooze``, ``assess``. Each change is one write transaction (one ``undo`` reverses it)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tuicrm.cli import writes
from tuicrm.cli.context import check_lengths, open_store, resolve, run_write
from tuicrm.cli.output import fail, out, plain
from tuicrm.i18n import _

CUSTOMER_HELP = _("Code, id, or part of the customer's name.")
NEXT_HELP = _("Next follow-up: +3d, fri, 2026-12-01, or auto (cadence).")
STDIN_HELP = _("Text, or - to read it from stdin.")
STATUS_HELP = _("potential, intent, won, dormant or lost.")
DAY_HELP = _("A date: 2027-03-31, +30d, fri; empty clears it (edit).")
AMOUNT_HELP = _("An amount: 200000, 1.2M, 50万, ¥1,200.50.")
PAST_HELP = _("Accept a date in the past.")

# The customer fields both ``add customer`` and ``edit`` set (docs/cli.md lists them with the
# template's Chinese names); the parameter names are tuicrm.cli.fastwrites' table's.
RegisteredAddress = Annotated[
    str | None, typer.Option("--registered-address", help=_("Registered address (注册地址)."))
]
Address = Annotated[str | None, typer.Option("--address", help=_("Business address (经营地址)."))]
Region = Annotated[str | None, typer.Option("--region", help=_("Sales region (区域)."))]
CompanyRevenue = Annotated[
    str | None, typer.Option("--company-revenue", help=_("The customer's own yearly revenue (营收)."))
]
ProductPreference = Annotated[
    str | None, typer.Option("--product-preference", help=_("Products they prefer (产品偏好)."))
]
PaymentMethod = Annotated[str | None, typer.Option("--payment-method", help=_("How they pay (付款方式)."))]
RenewalRisk = Annotated[
    str | None, typer.Option("--renewal-risk", help=_("Renewal risk (续约风险): low, medium or high."))
]
RenewalOn = Annotated[
    str | None, typer.Option("--renewal-on", help=_("Renewal date (续约日期). ") + DAY_HELP)
]
Size = Annotated[str | None, typer.Option("--size", help=_("Company size (规模), e.g. 100-1000."))]
Needs = Annotated[str | None, typer.Option("--needs", help=_("What they need (需求)."))]
BudgetMin = Annotated[str | None, typer.Option("--budget-min", help=_("Budget from (预算). ") + AMOUNT_HELP)]
BudgetMax = Annotated[str | None, typer.Option("--budget-max", help=_("Budget to (预算). ") + AMOUNT_HELP)]
PurchaseBy = Annotated[
    str | None, typer.Option("--purchase-by", help=_("Purchase by (采购时间). ") + DAY_HELP)
]
FirstContact = Annotated[
    str | None, typer.Option("--first-contact", help=_("First contact date (首次接触). ") + DAY_HELP)
]

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
        str | None,
        typer.Option(
            "--next", help=_("First follow-up date (+3d, fri, 2026-12-01; default: the cadence; none).")
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help=_("Add it even when a customer has the same name, phone or e-mail.")),
    ] = False,
    registered_address: RegisteredAddress = None,
    address: Address = None,
    region: Region = None,
    company_revenue: CompanyRevenue = None,
    product_preference: ProductPreference = None,
    payment_method: PaymentMethod = None,
    renewal_risk: RenewalRisk = None,
    renewal_on: RenewalOn = None,
    size: Size = None,
    needs: Needs = None,
    budget_min: BudgetMin = None,
    budget_max: BudgetMax = None,
    purchase_by: PurchaseBy = None,
    first_contact: FirstContact = None,
) -> None:
    writes.add_customer_command(
        name,
        alias,
        industry,
        tier,
        status,
        phone,
        email,
        source,
        kind,
        tags,
        notes,
        next_,
        as_json,
        force,
        registered_address=registered_address,
        address=address,
        region=region,
        company_revenue=company_revenue,
        product_preference=product_preference,
        payment_method=payment_method,
        renewal_risk=renewal_risk,
        renewal_on=renewal_on,
        size=size,
        needs=needs,
        budget_min=budget_min,
        budget_max=budget_max,
        purchase_by=purchase_by,
        first_contact=first_contact,
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
    kind: Annotated[str | None, typer.Option("--kind", help=_("B2B or B2C."))] = None,
    registered_address: RegisteredAddress = None,
    address: Address = None,
    region: Region = None,
    company_revenue: CompanyRevenue = None,
    product_preference: ProductPreference = None,
    payment_method: PaymentMethod = None,
    renewal_risk: RenewalRisk = None,
    renewal_on: RenewalOn = None,
    size: Size = None,
    needs: Needs = None,
    budget_min: BudgetMin = None,
    budget_max: BudgetMax = None,
    purchase_by: PurchaseBy = None,
    first_contact: FirstContact = None,
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
        notes=notes,
        kind=kind,
        registered_address=registered_address,
        address=address,
        region=region,
        company_revenue=company_revenue,
        product_preference=product_preference,
        payment_method=payment_method,
        renewal_risk=renewal_risk,
        renewal_on=renewal_on,
        size=size,
        needs=needs,
        budget_min=budget_min,
        budget_max=budget_max,
        purchase_by=purchase_by,
        first_contact=first_contact,
    )
    if not any(v is not None for v in given.values()) and not add_tag:
        fail(_("say what to change, e.g. --tier A or --add-tag vip (see tuicrm edit --help)."))
    if name is not None and len(customers) > 1:
        fail(_("--name changes one customer at a time."))
    fields = writes.customer_fields(given, {"name": "--name", "tags": "--tags/--add-tag"})
    check_lengths("customer", {"tags": add_tag} if add_tag else {}, {"tags": "--tags/--add-tag"})
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
                tags_then = str(changes.get("tags", target.tags) or "")
                tags_now = [t.strip() for t in tags_then.split(",") if t.strip()]
                if add_tag.strip() and add_tag.strip() not in tags_now:
                    tags_now.append(add_tag.strip())
                changes["tags"] = ",".join(tags_now)
            update_customer(session, target, **changes)
        return targets

    label = f"edit {len(customers)} customers" if len(customers) > 1 else f"edit {customers[0]}"
    targets = run_write(store, label, write)
    changed = ", ".join(field_words(sorted(set(fields) | ({"tags"} if add_tag else set()))))
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


def field_words(fields: list[str]) -> list[str]:
    """Customer fields as a Chinese rep reads them (the templates' column names); else as they are."""
    from tuicrm.i18n import is_chinese

    if not is_chinese():
        return fields
    from tuicrm.io.headers.labels import LABELS_ZH

    return [LABELS_ZH["customers"].get(f, f) for f in fields]


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
    force: Annotated[bool, typer.Option("--force", help=PAST_HELP)] = False,
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
        force,
    )


def snooze(
    customer: Annotated[str, typer.Argument(help=CUSTOMER_HELP)],
    date_: Annotated[str, typer.Argument(metavar="DATE", help=_("+1d, +3d, +1w, fri, 2026-12-01."))],
    reason: Annotated[str | None, typer.Option("--reason")] = None,
    force: Annotated[bool, typer.Option("--force", help=PAST_HELP)] = False,
) -> None:
    writes.snooze_command(customer, date_, reason, force)


def assess(
    customer: Annotated[str, typer.Argument(help=CUSTOMER_HELP)],
    potential: Annotated[int, typer.Option("--potential", help=_("Purchase potential, 1-10."))],
    willingness: Annotated[int, typer.Option("--willingness", help=_("Willingness to cooperate, 1-10."))],
    basis: Annotated[str | None, typer.Option("--basis", help=_("Why."))] = None,
    strategy: Annotated[str | None, typer.Option("--strategy")] = None,
) -> None:
    writes.assess_command(customer, potential, willingness, basis, strategy)
