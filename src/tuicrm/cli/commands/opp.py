"""``tuicrm opp add`` and ``tuicrm opp move``: opportunities."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tuicrm.cli import writes
from tuicrm.cli.context import check_lengths, open_store, parse_day, resolve, run_write
from tuicrm.cli.output import fail, out, plain
from tuicrm.i18n import _

STAGES_HELP = _("lead, need, proposal, negotiation, won, lost.")


def opp_add(
    customer: Annotated[str, typer.Argument(help=_("Code, id, or part of the customer's name."))],
    name: Annotated[str, typer.Argument(help=_("Opportunity name."))],
    amount: Annotated[str, typer.Option("--amount", help=_("Expected deal amount (>= 0)."))],
    stage: Annotated[str, typer.Option("--stage", help=STAGES_HELP)] = "lead",
    close: Annotated[str | None, typer.Option("--close", help=_("Expected close date."))] = None,
    probability: Annotated[
        int | None, typer.Option("--probability", min=0, max=100, help=_("0-100; defaults from the stage."))
    ] = None,
) -> None:
    from tuicrm.store.customers import check_amount
    from tuicrm.store.errors import StoreError
    from tuicrm.store.pipeline import add_opportunity

    try:
        value = check_amount(amount)
    except StoreError as exc:
        fail(str(exc))
    close_on = parse_day(close) if close else None
    check_lengths("opportunity", {"name": name}, {"name": "NAME"})
    store = open_store()

    def write(session: Any) -> tuple[Any, Any]:
        target = resolve(session, customer)
        return target, add_opportunity(
            session,
            store.config,
            target,
            name,
            value,
            stage=stage,
            expected_close_on=close_on,
            probability=probability,
        )

    target, opp = run_write(store, f"add opportunity {name}", write)
    out(
        _("Added opportunity #{id} {name} ({stage}, {amount} {currency}) for {code}.").format(
            id=opp.id,
            name=plain(opp.name),
            stage=opp.stage,
            amount=opp.amount,
            currency=store.config.currency,
            code=target.code,
        )
    )


def opp_move(
    opportunity: Annotated[str, typer.Argument(help=_("Opportunity id or part of its name."))],
    stage: Annotated[str, typer.Argument(help=STAGES_HELP)],
    reason: Annotated[str | None, typer.Option("--reason", help=_("Required when moving to lost."))] = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
) -> None:
    writes.move_command(opportunity, stage, reason, note)
