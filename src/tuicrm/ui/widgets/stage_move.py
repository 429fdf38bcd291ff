"""Moving an opportunity to another stage (SPEC §6), and the lost-reason modal.

``apply_move`` writes exactly one ``StageChange`` through
``tuicrm.store.pipeline.move_opportunity`` in one transaction.
``StageMoveModal(store, config, opportunity_id, to_stage)`` asks for what the
move needs — for ``lost`` a reason picked from ``config.lost_reasons`` (or
"other…" and typed) and the details apart (issue #21) — and dismisses ``True``
once written, ``False`` on ``escape`` (nothing written). Without a reason a move
to lost is refused and the modal stays open.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tuicrm.config import Config
from tuicrm.i18n import _
from tuicrm.i18n.names import display
from tuicrm.models import Opportunity
from tuicrm.query.pipeline import opportunity_brief
from tuicrm.store import Store
from tuicrm.store.errors import NotFound, StoreError
from tuicrm.store.pipeline import move_opportunity
from tuicrm.ui.textual_compat import InOrderInput
from tuicrm.ui.widgets.board import user_text
from tuicrm.ui.widgets.dialog import DialogScreen


def apply_move(
    store: Store,
    config: Config,
    opportunity_id: int,
    to_stage: str,
    *,
    reason: str | None = None,
    note: str | None = None,
    stage_default: bool = False,
    detail: str | None = None,
) -> str:
    """Move the opportunity; returns the stage it came from. Raises ``StoreError`` (nothing written).
    A probability the rep set survives a move between open stages unless ``stage_default``."""
    with store.write(f"move opportunity {opportunity_id} to {to_stage}") as session:
        opp = session.get(Opportunity, opportunity_id)
        if opp is None or opp.archived_at is not None:
            raise NotFound(
                _("Opportunity {opportunity_id} is gone (archived or removed).").format(
                    opportunity_id=opportunity_id
                )
            )
        from_stage = opp.stage
        move_opportunity(
            session,
            config,
            opp,
            to_stage,
            reason=reason,
            note=note,
            stage_default=stage_default,
            detail=detail,
        )
    return from_stage


OTHER = "other"  # the reason list's last choice: the rep types the category


def reason_and_detail(
    picked: str | None, other: str | None, details: str | None
) -> tuple[str | None, str | None]:
    """(reason, details) to write: a picked category, or the one typed under "other…"; with
    nothing picked the details text is the reason as typed ("price: chose Huawei" splits in the
    write, ``tuicrm.domain.lost.split_lost_reason``)."""
    picked, other, details = ((x or "").strip() or None for x in (picked, other, details))
    if picked == OTHER:
        picked = other
    if picked:
        return picked, details
    return details, None


class ReasonList(OptionList):
    """The reasons to pick from; ``enter`` with nothing picked asks the modal to save (and say why not)."""

    BINDINGS = [
        Binding("j", "cursor_down", _("Down"), show=False),
        Binding("k", "cursor_up", _("Up"), show=False),
    ]

    def action_select(self) -> None:
        if self.highlighted is None:
            screen = self.screen
            if isinstance(screen, StageMoveModal):
                screen.action_save()
        else:
            super().action_select()


class StageMoveModal(DialogScreen[bool]):
    """Confirm a stage move; for ``lost`` a reason is required."""

    BINDINGS = [
        Binding("escape", "cancel", _("Cancel"), id="stage_move.cancel"),
        Binding("ctrl+s", "save", _("Save"), id="stage_move.save"),
    ]

    DEFAULT_CSS = """
    StageMoveModal > Vertical#dialog { width: 64; }
    StageMoveModal .line { height: auto; text-wrap: nowrap; text-overflow: ellipsis; }
    StageMoveModal .question { margin-top: 1; text-style: bold; }
    StageMoveModal ReasonList { max-height: 9; }
    StageMoveModal .row { height: 1; margin-top: 1; }
    StageMoveModal .row > Label { width: 18; }
    StageMoveModal .row > Input { width: 1fr; }
    StageMoveModal #other-row { display: none; }
    StageMoveModal #other-row.shown { display: block; }
    StageMoveModal #move-error { height: auto; color: $text-error; }
    StageMoveModal #buttons { height: 1; margin-top: 1; }
    StageMoveModal #buttons Button { margin-right: 1; }
    StageMoveModal #buttons .hint { width: 1fr; color: $text-muted; }
    """

    def __init__(
        self,
        store: Store,
        config: Config,
        opportunity_id: int,
        to_stage: str,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.store = store
        self.config = config
        self.opportunity_id = opportunity_id
        self.to_stage = to_stage
        self._saving = False
        with store.reading() as conn:
            brief = opportunity_brief(conn, opportunity_id)
        # Gone (an undo elsewhere): on_mount says so and closes.
        self.missing = (
            None
            if brief is not None
            else _("No opportunity with id {opportunity_id}.").format(opportunity_id=opportunity_id)
        )
        self.opportunity_name, self.customer_name, self.from_stage = brief or ("?", "?", "?")

    @property
    def needs_reason(self) -> bool:
        return self.to_stage == "lost"

    def compose(self) -> ComposeResult:
        if self.missing:
            return
        with Vertical(id="dialog") as dialog:
            dialog.border_title = (
                _("Mark as lost")
                if self.needs_reason
                else _("Move to {to_stage}").format(to_stage=display("stage", self.to_stage))
            )
            yield Static(
                Content.assemble(
                    user_text(self.opportunity_name).stylize("bold"), " · ", user_text(self.customer_name)
                ),
                classes="line",
            )
            yield Static(Content(f"{self.from_stage} → {self.to_stage}"), classes="line")
            if self.needs_reason:
                yield Static(
                    Content(_("Why was it lost? Pick a reason (required).")), classes="line question"
                )
                yield ReasonList(
                    *[
                        Option(user_text(display("lost_reason", r)), id=f"r{i}")
                        for i, r in enumerate(self.config.lost_reasons)
                    ],
                    Option(Content(_("other…")), id=OTHER),
                    markup=False,
                    id="reasons",
                )
                with Horizontal(classes="row", id="other-row"):
                    yield Label(_("Other reason"))
                    yield InOrderInput("", id="other", compact=True, placeholder=_("a short category"))
                label = _("Details")
            else:
                label = _("Note (optional)")
            with Horizontal(classes="row"):
                yield Label(label)
                yield InOrderInput("", id="details", compact=True, placeholder=_("free text"))
            yield Static("", id="move-error")
            with Horizontal(id="buttons"):
                yield Button(_("Save"), id="save", variant="primary", compact=True)
                yield Button(_("Cancel"), id="cancel", compact=True)
                yield Static(_("enter saves · esc cancels"), classes="hint")

    def on_mount(self) -> None:
        if self.missing:
            self.notify(
                _("Not moved: {missing}").format(missing=self.missing), severity="error", markup=False
            )
            self.dismiss(False)
            return
        if self.needs_reason:
            reasons = self.query_one(ReasonList)
            reasons.highlighted = None  # nothing picked until the rep picks
            reasons.focus()
        else:
            self.query_one("#details", Input).focus()

    @property
    def picked_reason(self) -> str | None:
        if not self.needs_reason:
            return None
        option = self.query_one(ReasonList).highlighted_option
        if option is None or option.id is None:
            return None
        if option.id == OTHER:
            return OTHER
        return self.config.lost_reasons[int(option.id[1:])]

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.query_one("#other-row").set_class(event.option.id == OTHER, "shown")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A category picked: on to its details (typed, or left empty and saved with enter);
        "other…" first asks for the category."""
        event.stop()
        target = "#other" if event.option.id == OTHER else "#details"
        self.query_one(target, Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "other":
            self.query_one("#details", Input).focus()
            return
        self.action_save()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#move-error", Static).update("")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        if self._saving:
            return
        details = self.query_one("#details", Input).value
        error = self.query_one("#move-error", Static)
        detail: str | None = None
        if self.needs_reason:
            other = self.query_one("#other", Input).value
            reason, detail = reason_and_detail(self.picked_reason, other, details)
            if not reason:
                error.update(
                    Content(_("Not saved: a lost opportunity needs a reason. Pick one or type one."))
                )
                return
            note = None
        else:
            reason, note = None, details or None
        self._saving = True
        from tuicrm.ui.background import write_in_background

        def move() -> str:
            return apply_move(
                self.store,
                self.config,
                self.opportunity_id,
                self.to_stage,
                reason=reason,
                note=note,
                detail=detail,
            )

        def moved(_from_stage: str) -> None:
            self.dismiss(True)

        def refused(exc: StoreError) -> None:  # a busy database included: the reason typed stays
            self._saving = False
            error.update(Content(_("Not saved: {exc}").format(exc=exc)))

        write_in_background(self, move, moved, refused)

    def action_cancel(self) -> None:
        if not self._saving:
            self.dismiss(False)
