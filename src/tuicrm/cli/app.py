"""The Typer app: the whole command tree, built explicitly, with every command's help text.

Importing this module imports Typer (and Click): ``tuicrm.cli.main`` does so only when the
fast path (``tuicrm.cli.fast``) declines the command line, which it does for every malformed
one: so a usage error (an unknown option, a missing argument, a number out of range or not a
number) always ends here, in ``CrmTyper``: one sentence on stderr, exit 2 (issue #14).
"""

from __future__ import annotations

import typer

from tuicrm.cli.commands import (
    activity,
    admin,
    complaint,
    contact,
    dupes,
    followup,
    io,
    lead,
    opp,
    read,
    receivable,
    report,
    write,
)
from tuicrm.cli.usage import CrmTyper
from tuicrm.i18n import _

_built: list[tuple[object, CrmTyper]] = []  # (the catalogue it was built in, the app)


def run(args: list[str]) -> None:
    """``build_app()(args)``, the app built once per catalogue in a process: ``main`` runs many
    times in one process in the tests (tests/cli_runner.py), once in a rep's shell. A language
    switch (``tuicrm.i18n.reset``/``set_language``) loads a new catalogue, so a new app."""
    from tuicrm import i18n
    from tuicrm.i18n import framework

    catalogue = i18n._load()
    if not _built or _built[0][0] is not catalogue:
        _built[:] = [(catalogue, build_app())]
    framework.install()
    _built[0][1](args)


def build_app() -> CrmTyper:
    """A new Typer app with every command registered, in the order ``--help`` lists them."""
    from tuicrm.i18n import framework

    framework.install()  # Click's own words (Usage:, Options, [required]) in the rep's language
    app = CrmTyper(
        help=_(
            "tuicrm: a keyboard-driven terminal CRM for the individual sales rep."
            " Config: $TUICRM_CONFIG, else $XDG_CONFIG_HOME/tuicrm/config.toml."
        ),
        no_args_is_help=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback(invoke_without_command=True)(admin.root)
    app.command("demo", help=_("Fill a database with realistic demo data."))(admin.demo)
    app.command("due", help=_("Overdue and due-today follow-ups in call-next order (+ the next N days)."))(
        read.due
    )
    app.command("find", help=_("Find customers by name, alias, code, contact name, phone or email."))(
        read.find
    )
    app.command(
        "show", help=_("The customer card: fields, contacts, follow-ups, opportunities, tier history.")
    )(read.show)
    app.command("filters", help=_("The saved filters: keys, names and what each keeps."))(read.filters)
    app.command(
        "edit",
        help=_(
            "Change fields of one customer, or of several at once (one change: one undo reverses it all)."
        ),
    )(write.edit)
    app.command("log", help=_("Log a follow-up and set the next one."))(write.log)
    app.command(
        "snooze",
        help=_("Move the pending follow-up to another date (the move is recorded)."),
        # ``tuicrm snooze C000047 -1d``: a relative date is an argument, not an unknown option.
        context_settings={"ignore_unknown_options": True},
    )(write.snooze)
    app.command(
        "assess",
        help=_("Grade a customer: potential + willingness gives the tier (A >= 15, B 10-14, C <= 9)."),
    )(write.assess)
    app.command("undo", help=_("Reverse the last change (shows it first)."))(admin.undo)
    app.command("dupes", help=_("Customers that may be the same: same name, phone or e-mail."))(dupes.dupes)
    app.command("merge", help=_("Merge customer B into A (contacts, follow-ups, deals, history); undoable."))(
        dupes.merge
    )
    app.command(
        "backup", help=_("Copy the database safely, even while the TUI is writing (SQLite online backup).")
    )(admin.backup)
    app.command(
        "restore",
        help=_("Restore a backup: checked first, the current database kept aside, then restored at once."),
    )(admin.restore)
    app.command("check", help=_("Check the database's integrity and report problems in plain words."))(
        admin.check
    )
    app.command(
        "import",
        help=_("Import a workbook, CSV or vCard file: duplicates merged or skipped, bad rows reported."),
    )(io.import_cmd)
    app.command(
        "export", help=_("Export the database: the file's suffix picks the format; files are private (0600).")
    )(io.export_cmd)

    add_app = typer.Typer(help=_("Add a customer or a contact."), no_args_is_help=True)
    add_app.command("customer", help=_("Add a customer."))(write.add_customer)
    add_app.command("contact", help=_("Add a contact to a customer (the same as contact add)."))(contact.add)
    app.add_typer(add_app, name="add")

    contact_app = typer.Typer(help=_("Contacts: add, edit, list, archive."), no_args_is_help=True)
    contact_app.command("add", help=_("Add a contact to a customer."))(contact.add)
    contact_app.command("edit", help=_("Change fields of a contact (only the ones given)."))(contact.edit)
    contact_app.command("list", help=_("A customer's contacts, the primary one first."))(contact.list_)
    contact_app.command("archive", help=_("Archive a contact (undo brings it back)."))(contact.archive)
    app.add_typer(contact_app, name="contact")

    opp_app = typer.Typer(
        help=_("Opportunities: add, list, show, edit, move to another stage, archive."), no_args_is_help=True
    )
    opp_app.command("add", help=_("Add an opportunity."))(opp.opp_add)
    opp_app.command("list", help=_("List live opportunities, by stage then expected close."))(opp.opp_list)
    opp_app.command("show", help=_("Every field of one opportunity."))(opp.opp_show)
    opp_app.command("edit", help=_("Change the fields given (only those), in one undoable write."))(
        opp.opp_edit
    )
    opp_app.command("archive", help=_("Archive an opportunity (--restore brings it back); undoable."))(
        opp.opp_archive
    )
    opp_app.command("move", help=_("Move an opportunity to another stage (recorded; lost needs --reason)."))(
        opp.opp_move
    )
    app.add_typer(opp_app, name="opp")

    activity_app = typer.Typer(
        help=_("The activity plan: add, list, edit, start, done, cancel, move."), no_args_is_help=True
    )
    activity_app.command("add", help=_("Plan an activity (visit, call, demo…) for a customer."))(
        activity.activity_add
    )
    activity_app.command("list", help=_("Activities by planned start."))(activity.activity_list)
    activity_app.command("edit", help=_("Change the fields given (only those), in one undoable write."))(
        activity.activity_edit
    )
    activity_app.command("start", help=_("Mark an activity in progress."))(activity.activity_start)
    activity_app.command(
        "done", help=_("Mark an activity done with its result; --log also logs a follow-up.")
    )(activity.activity_done)
    activity_app.command("cancel", help=_("Cancel an activity (undo brings it back)."))(
        activity.activity_cancel
    )
    activity_app.command("move", help=_("Move an activity to another time."))(activity.activity_move)
    app.add_typer(activity_app, name="activity")
    app.command("agenda", help=_("Today's activities and overdue planned ones (--week: to Sunday)."))(
        activity.agenda
    )
    lead_app = typer.Typer(
        help=_("Leads scored with BANT: add, list, score, touch, convert, drop."), no_args_is_help=True
    )
    lead_app.command("add", help=_("Add a lead: scored at once, with its response deadline."))(lead.add)
    lead_app.command("list", help=_("Open leads by class, the nearest deadline first."))(lead.list_)
    lead_app.command("score", help=_("Score a lead again with the answers given; shows the reasons."))(
        lead.score
    )
    lead_app.command("touch", help=_("The lead was reached: its response deadline is answered."))(lead.touch)
    lead_app.command("convert", help=_("Convert a lead into a customer + contact + opportunity."))(
        lead.convert
    )
    lead_app.command("drop", help=_("Disqualify a lead, with the reason."))(lead.drop)
    app.add_typer(lead_app, name="lead")
    complaint_app = typer.Typer(
        help=_("Complaints: add, list, step, resolve, close (deadline by severity)."), no_args_is_help=True
    )
    complaint_app.command("add", help=_("Open a complaint; its deadline follows the severity."))(
        complaint.add
    )
    complaint_app.command("list", help=_("Complaints, the open ones by deadline first."))(complaint.list_)
    complaint_app.command("step", help=_("Log a handling step (处理过程)."))(complaint.step)
    complaint_app.command("resolve", help=_("Resolve a complaint with its result and satisfaction."))(
        complaint.resolve_cmd
    )
    complaint_app.command("close", help=_("Close a complaint."))(complaint.close)
    app.add_typer(complaint_app, name="complaint")

    pay_app = typer.Typer(help=_("Payments received: add."), no_args_is_help=True)
    pay_app.command(
        "add",
        help=_(
            "Record a payment: settles the receivable named, else the oldest open one; an excess is a credit."
        ),
    )(receivable.pay_add)
    app.add_typer(pay_app, name="pay")
    receivable_app = typer.Typer(help=_("Receivables (what customers owe): add, list."), no_args_is_help=True)
    receivable_app.command("add", help=_("Add a receivable (应收) for a customer, optionally for a deal."))(
        receivable.receivable_add
    )
    receivable_app.command(
        "list", help=_("Receivables, the earliest due first, with received, outstanding and days overdue.")
    )(receivable.receivable_list)
    app.add_typer(receivable_app, name="receivable")

    followup_app = typer.Typer(
        help=_("Logged follow-ups: list them with their ids, correct one, delete one."), no_args_is_help=True
    )
    followup_app.command("list", help=_("A customer's follow-ups, newest first, with their ids."))(
        followup.followup_list
    )
    followup_app.command("edit", help=_("Correct a logged follow-up: only the options given change."))(
        followup.followup_edit
    )
    followup_app.command("delete", help=_("Delete a logged follow-up (tuicrm undo brings it back)."))(
        followup.followup_delete
    )
    app.add_typer(followup_app, name="followup")

    report_app = typer.Typer(
        help=_("Reports: weekly report, funnel, forecast, customer value (ABC/RFM), lost reasons."),
        no_args_is_help=True,
    )
    report_app.command(
        "weekly",
        help=_(
            "The weekly report: new customers, follow-ups, stage moves, won/lost, overdue, next week's focus."
        ),
    )(report.weekly_cmd)
    report_app.command(
        "funnel", help=_("Conversion between stages, median days in each stage, stale opportunities.")
    )(report.funnel_cmd)
    report_app.command(
        "forecast", help=_("Open pipeline and weighted value by expected close period, against won deals.")
    )(report.forecast_cmd)
    report_app.command(
        "value", help=_("Customer value: ABC classes by revenue, RFM scores, and tiers to review.")
    )(report.value_cmd)
    report_app.command("lost", help=_("Lost deals by reason, with counts and amounts."))(report.lost_cmd)
    report_app.command(
        "complaints", help=_("Complaints opened and resolved, resolved on time (%), by cause.")
    )(complaint.report_cmd)
    report_app.command(
        "receivables", help=_("Outstanding by customer and ageing bucket, with collection ratings.")
    )(receivable.report_receivables)
    report_app.command("leads", help=_("Lead to customer conversion and won deals, by lead source."))(
        report.leads_cmd
    )
    app.add_typer(report_app, name="report")
    return app


app = build_app()
