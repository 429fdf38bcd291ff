"""``tuicrm opp``: add, list, show, edit, move and archive opportunities."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, NoReturn, TypeVar

import typer

from tuicrm.cli import reads, writes
from tuicrm.cli.context import check_lengths, load_config, open_store, parse_day, resolve, run_write, today
from tuicrm.cli.output import EXIT_BAD_INPUT, EXIT_NOT_FOUND, ambiguous, fail, out, plain, print_json, table
from tuicrm.i18n import _
from tuicrm.i18n.names import display

T = TypeVar("T")

STAGES_HELP = _("lead, need, proposal, negotiation, won, lost.")

# The options `opp add` and `opp edit` share: option name → (model field, kind).
TEXT_FIELDS = {
    "product": "product",
    "competitors": "competitors",
    "strengths": "strengths",
    "weaknesses": "weaknesses",
    "success_factors": "key_success_factors",
    "risks": "risks",
    "plan": "plan",
    "next_step": "next_step",
    "next_step_owner": "next_step_owner",
    "owner": "owner",
}
DATE_FIELDS = {
    "close": "expected_close_on",
    "next_step_due": "next_step_due_on",
    "next_step_done": "next_step_done_on",
    "renewal": "renewal_on",
}

Product = Annotated[str | None, typer.Option("--product", help=_("Product or service (产品/服务)."))]
Competitors = Annotated[str | None, typer.Option("--competitors", help=_("Competitors (竞争对手)."))]
Strengths = Annotated[str | None, typer.Option("--strengths", help=_("Our strengths (优势分析)."))]
Weaknesses = Annotated[str | None, typer.Option("--weaknesses", help=_("Our weaknesses (劣势分析)."))]
Factors = Annotated[
    str | None, typer.Option("--success-factors", help=_("Key success factors (关键成功因素)."))
]
Risks = Annotated[str | None, typer.Option("--risks", help=_("Risks (风险点)."))]
Plan = Annotated[str | None, typer.Option("--plan", help=_("The plan to win it (推进计划)."))]
NextStep = Annotated[str | None, typer.Option("--next-step", help=_("Next step (下一步行动)."))]
NextOwner = Annotated[
    str | None, typer.Option("--next-step-owner", help=_("Who does the next step (行动负责人)."))
]
NextDue = Annotated[
    str | None, typer.Option("--next-step-due", help=_("When the next step is due (计划完成日期)."))
]
NextDone = Annotated[
    str | None, typer.Option("--next-step-done", help=_("When the next step was done (实际完成日期)."))
]
DecisionMaker = Annotated[
    str | None,
    typer.Option("--decision-maker", help=_("The customer's contact who decides (关键决策人): id or name.")),
]
Owner = Annotated[str | None, typer.Option("--owner", help=_("The rep who owns the deal."))]
Close = Annotated[str | None, typer.Option("--close", help=_("Expected close date."))]
Renewal = Annotated[
    str | None,
    typer.Option(
        "--renewal", help=_("Renewal date (续约日期) of a won deal, e.g. 2027-03-31; empty clears it.")
    ),
]
Probability = Annotated[
    int | None, typer.Option("--probability", min=0, max=100, help=_("0-100; the rep's, kept by moves."))
]
Json = Annotated[bool, typer.Option("--json", help=_("Print JSON."))]


def _given(options: dict[str, str | None]) -> dict[str, Any]:
    """The model fields of the options the rep gave (``''`` clears a field), dates parsed."""
    fields: dict[str, Any] = {}
    for option, value in options.items():
        if value is None:
            continue
        if option in DATE_FIELDS:
            fields[DATE_FIELDS[option]] = parse_day(value) if value.strip() else None
        else:
            fields[TEXT_FIELDS[option]] = value
    texts: dict[str, object] = {k: v for k, v in fields.items() if isinstance(v, str)}
    labels = {TEXT_FIELDS[o]: "--" + o.replace("_", "-") for o in TEXT_FIELDS}
    check_lengths("opportunity", texts, {k: labels[k] for k in texts})
    return fields


def _refuse_ambiguous(exc: reads.Ambiguous, prefix: str = "#") -> NoReturn:
    ambiguous(str(exc), [(f"{prefix}{i}", name) for i, name in exc.candidates])
    raise typer.Exit(EXIT_BAD_INPUT)


def _conn(session: Any) -> sqlite3.Connection:
    from tuicrm.store import dbapi

    return dbapi(session)


def _opportunity_id(conn: sqlite3.Connection, ref: str, *, archived: bool = False) -> int:
    """The opportunity ``ref`` names; ambiguous exits 2 listing deals with their customers."""
    try:
        return reads.opportunity_ref(conn, ref, archived=archived)
    except reads.Ambiguous as exc:
        _refuse_ambiguous(exc)
    except reads.NotFound as exc:
        fail(str(exc), EXIT_NOT_FOUND)


def _decision_maker(conn: sqlite3.Connection, customer_id: int, ref: str | None) -> dict[str, Any]:
    if ref is None:
        return {}
    if not ref.strip():
        return {"decision_maker_id": None}
    try:
        return {"decision_maker_id": reads.decision_maker_ref(conn, customer_id, ref)}
    except reads.Ambiguous as exc:
        _refuse_ambiguous(exc)
    except reads.NotFound as exc:
        fail(str(exc), EXIT_NOT_FOUND)


def _read(fn: Callable[[sqlite3.Connection], T]) -> T:
    store = open_store()
    try:
        with store.reading() as conn:
            return fn(conn)
    finally:
        store.dispose()


def opp_add(
    customer: Annotated[str, typer.Argument(help=_("Code, id, or part of the customer's name."))],
    name: Annotated[str, typer.Argument(help=_("Opportunity name."))],
    amount: Annotated[str, typer.Option("--amount", help=_("Expected deal amount (>= 0)."))],
    stage: Annotated[str, typer.Option("--stage", help=STAGES_HELP)] = "lead",
    close: Close = None,
    probability: Probability = None,
    product: Product = None,
    competitors: Competitors = None,
    strengths: Strengths = None,
    weaknesses: Weaknesses = None,
    success_factors: Factors = None,
    risks: Risks = None,
    plan: Plan = None,
    next_step: NextStep = None,
    next_step_owner: NextOwner = None,
    next_step_due: NextDue = None,
    next_step_done: NextDone = None,
    renewal: Renewal = None,
    decision_maker: DecisionMaker = None,
    owner: Owner = None,
) -> None:
    from tuicrm.store.customers import check_amount
    from tuicrm.store.errors import StoreError
    from tuicrm.store.pipeline import add_opportunity

    try:
        value = check_amount(amount, currency=load_config().currency)
    except StoreError as exc:
        fail(str(exc))
    check_lengths("opportunity", {"name": name}, {"name": "NAME"})
    fields = _given(
        {
            "close": close,
            "product": product,
            "competitors": competitors,
            "strengths": strengths,
            "weaknesses": weaknesses,
            "success_factors": success_factors,
            "risks": risks,
            "plan": plan,
            "next_step": next_step,
            "next_step_owner": next_step_owner,
            "next_step_due": next_step_due,
            "next_step_done": next_step_done,
            "renewal": renewal,
            "owner": owner,
        }
    )
    close_on = fields.pop("expected_close_on", None)
    store = open_store()

    def write(session: Any) -> dict[str, Any]:
        target = resolve(session, customer)
        code = str(target.code)
        fields.update(_decision_maker(_conn(session), int(target.id), decision_maker))
        opp = add_opportunity(
            session,
            store.config,
            target,
            name,
            value,
            stage=stage,
            expected_close_on=close_on,
            probability=probability,
            **fields,
        )
        return {"id": opp.id, "name": opp.name, "stage": opp.stage, "amount": opp.amount, "code": code}

    added = run_write(store, f"add opportunity {name}", write)
    out(
        _("Added opportunity #{id} {name} ({stage}, {amount} {currency}) for {code}.").format(
            id=added["id"],
            name=plain(added["name"]),
            stage=added["stage"],
            amount=added["amount"],
            currency=store.config.currency,
            code=added["code"],
        )
    )


def opp_edit(
    opportunity: Annotated[str, typer.Argument(help=_("Opportunity id or part of its name."))],
    name: Annotated[str | None, typer.Option("--name", help=_("New name."))] = None,
    amount: Annotated[str | None, typer.Option("--amount", help=_("Deal amount (>= 0)."))] = None,
    close: Close = None,
    probability: Probability = None,
    product: Product = None,
    competitors: Competitors = None,
    strengths: Strengths = None,
    weaknesses: Weaknesses = None,
    success_factors: Factors = None,
    risks: Risks = None,
    plan: Plan = None,
    next_step: NextStep = None,
    next_step_owner: NextOwner = None,
    next_step_due: NextDue = None,
    next_step_done: NextDone = None,
    renewal: Renewal = None,
    decision_maker: DecisionMaker = None,
    owner: Owner = None,
) -> None:
    """Write only the fields given, in one transaction (undoable)."""
    from tuicrm.store.pipeline import update_opportunity

    fields = _given(
        {
            "close": close,
            "product": product,
            "competitors": competitors,
            "strengths": strengths,
            "weaknesses": weaknesses,
            "success_factors": success_factors,
            "risks": risks,
            "plan": plan,
            "next_step": next_step,
            "next_step_owner": next_step_owner,
            "next_step_due": next_step_due,
            "next_step_done": next_step_done,
            "renewal": renewal,
            "owner": owner,
        }
    )
    if name is not None:
        check_lengths("opportunity", {"name": name}, {"name": "--name"})
        fields["name"] = name
    if amount is not None:
        fields["amount"] = amount
    if probability is not None:
        fields["probability"] = probability
    if not fields and decision_maker is None:
        fail(_("Say what to change: give at least one option (see --help)."))
    store = open_store()

    def write(session: Any) -> Any:
        from tuicrm.models import Opportunity

        opp = session.get(Opportunity, _opportunity_id(_conn(session), opportunity))
        fields.update(_decision_maker(_conn(session), int(opp.customer_id), decision_maker))
        saved = update_opportunity(session, opp, **fields)
        return saved.id, saved.name

    opp_id, opp_name = run_write(store, f"edit opportunity {opportunity}", write)
    out(
        _("Saved opportunity #{id} {name}: {fields}.").format(
            id=opp_id, name=plain(opp_name), fields=", ".join(sorted(fields))
        )
    )


def opp_move(
    opportunity: Annotated[str, typer.Argument(help=_("Opportunity id or part of its name."))],
    stage: Annotated[str, typer.Argument(help=STAGES_HELP)],
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            help=_(
                'Required when moving to lost: a category ("price"), or "price: chose Huawei" with details.'
            ),
        ),
    ] = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
    default_probability: Annotated[
        bool,
        typer.Option(
            "--default-probability",
            help=_("Take the new stage's probability even when the rep set one (open stages keep it)."),
        ),
    ] = False,
    detail: Annotated[
        str | None, typer.Option("--detail", help=_("A lost deal's details, apart from its reason."))
    ] = None,
) -> None:
    writes.move_command(opportunity, stage, reason, note, default_probability, detail)


def opp_archive(
    opportunity: Annotated[str, typer.Argument(help=_("Opportunity id or part of its name."))],
    restore: Annotated[
        bool, typer.Option("--restore", help=_("Bring an archived opportunity back."))
    ] = False,
) -> None:
    """Archive (or restore) a deal; `tuicrm undo` takes it back."""
    from tuicrm.models import Opportunity
    from tuicrm.store.pipeline import archive_opportunity

    store = open_store()
    verb = "restore" if restore else "archive"

    def write(session: Any) -> Any:
        opp = session.get(Opportunity, _opportunity_id(_conn(session), opportunity, archived=restore))
        if restore and opp.archived_at is None:
            fail(_("Opportunity #{id} is not archived.").format(id=opp.id))
        if not restore and opp.archived_at is not None:
            fail(_("Opportunity #{id} is already archived.").format(id=opp.id))
        done = archive_opportunity(session, opp, restore=restore)
        return done.id, done.name

    opp_id, opp_name = run_write(store, f"{verb} opportunity {opportunity}", write)
    message = _("Restored opportunity #{id} {name}.") if restore else _("Archived opportunity #{id} {name}.")
    out(message.format(id=opp_id, name=plain(opp_name)))


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def opp_list(
    stage: Annotated[str | None, typer.Option("--stage", help=STAGES_HELP)] = None,
    customer: Annotated[
        str | None, typer.Option("--customer", help=_("Code, id, or part of the customer's name."))
    ] = None,
    as_json: Json = False,
) -> None:
    """Live opportunities by stage, then expected close."""
    from tuicrm.domain.pipeline import StageError, check_stage

    if stage is not None:
        try:
            stage = check_stage(stage)
        except StageError as exc:
            fail(str(exc))
    day = today()

    def read(conn: sqlite3.Connection) -> list[Any]:
        customer_id = None
        if customer is not None:
            try:
                customer_id = reads.customer_id_of(conn, customer)
            except reads.Ambiguous as exc:
                _refuse_ambiguous(exc, prefix="")
            except reads.NotFound as exc:
                fail(str(exc), EXIT_NOT_FOUND)
        return reads.opportunity_list(conn, day, stage=stage, customer_id=customer_id)

    found = _read(read)
    currency = load_config().currency
    if as_json:
        print_json(
            [
                {
                    "id": r.id,
                    "name": r.name,
                    "customer": {"id": r.customer_id, "code": r.customer_code, "name": r.customer_name},
                    "stage": r.stage,
                    "amount": _money(r.amount),
                    "currency": r.currency or currency,
                    "probability": r.probability,
                    "expected_close_on": _day(r.expected_close_on),
                    "next_step": r.next_step,
                    "overdue": r.overdue,
                }
                for r in found
            ]
        )
        return
    if not found:
        out(_("No opportunities."))
        return
    headers = [_("id"), _("name"), _("customer"), _("stage"), _("amount"), "%", _("close"), _("next step")]
    body = [
        [
            str(r.id),
            plain(r.name),
            plain(r.customer_name),
            display("stage", r.stage),
            f"{r.amount:,.2f}" + (f" {r.currency}" if r.currency and r.currency != currency else ""),
            str(r.probability),
            (_day(r.expected_close_on) or "") + (" !" if r.overdue else ""),
            plain(r.next_step or ""),
        ]
        for r in found
    ]
    for line in table(headers, body, flexible=(1, 2, 7)):
        out(line)
    for line in currency_totals(found, currency):
        out(line)


def currency_totals(found: list[Any], currency: str) -> list[str]:
    """One total line per currency when the list holds more than one (sums never convert)."""
    sums: dict[str, Decimal] = {}
    for r in found:
        code = r.currency or currency
        sums[code] = sums.get(code, Decimal(0)) + r.amount
    if len(sums) < 2:
        return []
    return [
        _("total {currency}: {amount}").format(currency=c, amount=f"{v:,.2f}")
        for c, v in sorted(sums.items())
    ]


SHOWN = (
    "stage",
    "amount",
    "probability",
    "expected_close_on",
    "closed_on",
    "lost_reason",
    "lost_detail",
    "product",
    "competitors",
    "strengths",
    "weaknesses",
    "key_success_factors",
    "risks",
    "plan",
    "next_step",
    "next_step_owner",
    "next_step_due_on",
    "next_step_done_on",
    "renewal_on",
    "owner",
)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return _money(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def opp_show(
    opportunity: Annotated[str, typer.Argument(help=_("Opportunity id or part of its name."))],
    as_json: Json = False,
) -> None:
    """Every field of one opportunity."""
    day = today()

    def read(conn: sqlite3.Connection) -> Any:
        return reads.opportunity_detail(conn, _opportunity_id(conn, opportunity), day)

    detail = _read(read)
    fields = detail.fields
    if as_json:
        data = {k: _jsonable(v) for k, v in fields.items() if k != "customer_id"}
        data["customer"] = {
            "id": fields["customer_id"],
            "code": detail.customer_code,
            "name": detail.customer_name,
        }
        data["decision_maker"] = (
            {"id": fields["decision_maker_id"], "name": detail.decision_maker}
            if fields["decision_maker_id"] is not None
            else None
        )
        data.pop("decision_maker_id")
        data["overdue"] = detail.overdue
        print_json(data)
        return
    title = (
        f"#{fields['id']} {plain(fields['name'])} · {plain(detail.customer_name)} ({detail.customer_code})"
    )
    if fields["archived_at"] is not None:
        title += " · " + _("archived")
    out(title)
    for key in SHOWN:
        value = fields[key]
        if value is None or key == "lost_detail":  # shown with the reason: "price — chose Huawei"
            continue
        text = _jsonable(value)
        if key == "lost_reason":
            from tuicrm.domain.lost import lost_reason_text

            text = lost_reason_text(display("lost_reason", value), fields["lost_detail"])
        if key == "probability":
            text = f"{value}%" + ("" if fields["probability_set"] else " " + _("(stage default)"))
        if key == "expected_close_on" and detail.overdue:
            text += " " + _("(passed)")
        out(f"  {key.replace('_', ' ')}: {plain(text)}")
    if detail.decision_maker is not None:
        out(_("  decision maker: {name}").format(name=plain(detail.decision_maker)))


__all__ = ["opp_add", "opp_archive", "opp_edit", "opp_list", "opp_move", "opp_show"]
