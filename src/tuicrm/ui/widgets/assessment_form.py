"""The tier assessment form (SPEC §5): potential + willingness (1–10 each) and a basis.

``AssessmentForm(store, config, customer_id, target_tier=None)`` is a
``ModalScreen[bool]``: it writes exactly one ``TierAssessment`` (through
``tuicrm.store.tiers.assess_customer``) and dismisses ``True``, or writes nothing
and dismisses ``False`` on ``escape``. The tier is never picked directly: it
derives from the scores, shown live as they are typed. With a ``target_tier``
(a card dragged on the tier board) the scores start out inside that tier's range.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Static

from tuicrm.config import DEFAULT, Config
from tuicrm.domain.privacy import sanitize_line
from tuicrm.domain.tiers import ScoreError, assess, check_score
from tuicrm.i18n import _
from tuicrm.models import Customer
from tuicrm.query.boards import latest_assessment
from tuicrm.store import Store, dbapi
from tuicrm.store.customers import get_customer
from tuicrm.store.errors import StoreError
from tuicrm.store.tiers import assess_customer
from tuicrm.ui.background import write_in_background
from tuicrm.ui.textual_compat import InOrderInput
from tuicrm.ui.widgets.board import user_text
from tuicrm.ui.widgets.dialog import DialogScreen


def suggested_strategy(text: str) -> str:
    """A tier's suggested strategy in the rep's words when it is a default one (a strategy set
    in the config file is shown as written)."""
    return _(text) if text in DEFAULT.tier_strategies.values() else text


def _default_strategies() -> tuple[str, ...]:
    """The default strategies (config.py), for the catalogue: ``suggested_strategy`` translates them."""
    return (
        _("Senior rep, priority delivery, weekly deep contact"),
        _("Regular care, monthly promotion"),
        _("Lower frequency, long-term nurture pool"),
        _("Not yet assessed: nurture pool"),
    )


def tier_total_range(tier: str, config: Config) -> tuple[int, int]:
    """The totals (potential + willingness) that give ``tier``."""
    low, high = 2 * config.score_min, 2 * config.score_max
    if tier == "A":
        return config.tier_a_min, high
    if tier == "B":
        return config.tier_b_min, config.tier_a_min - 1
    if tier == "C":
        return low, config.tier_b_min - 1
    raise ValueError(_("Tier {tier} is not given by an assessment.").format(tier=tier))


def prefill_scores(target: str, previous: tuple[int, int] | None, config: Config) -> tuple[int, int]:
    """Scores that land in ``target``: the previous scores moved as little as possible,
    or (no previous assessment) the middle of the target's range."""
    low, high = tier_total_range(target, config)
    if previous is None:
        middle = (low + high) // 2
        potential = max(config.score_min, min(config.score_max, middle // 2))
        willingness = max(config.score_min, min(config.score_max, middle - potential))
    else:
        potential, willingness = previous
    while potential + willingness < low and (potential < config.score_max or willingness < config.score_max):
        if willingness <= potential and willingness < config.score_max or potential >= config.score_max:
            willingness += 1
        else:
            potential += 1
    while potential + willingness > high and (potential > config.score_min or willingness > config.score_min):
        if potential >= willingness and potential > config.score_min or willingness <= config.score_min:
            potential -= 1
        else:
            willingness -= 1
    return potential, willingness


class AssessmentForm(DialogScreen[bool]):
    """Assess a customer's tier. ``enter``/``ctrl+s`` saves, ``escape`` cancels."""

    BINDINGS = [
        Binding("escape", "cancel", _("Cancel"), id="assess.cancel"),
        Binding("ctrl+s", "save", _("Save"), id="assess.save"),
    ]

    DEFAULT_CSS = """
    AssessmentForm .line { height: auto; text-wrap: nowrap; text-overflow: ellipsis; }
    AssessmentForm .muted { color: $text-muted; }
    AssessmentForm .row { height: 1; margin-top: 1; }
    AssessmentForm .row > Label { width: 20; }
    AssessmentForm .row > .score { width: 6; }
    AssessmentForm .row > .text { width: 1fr; }
    AssessmentForm .row > .error { width: 1fr; padding-left: 1; color: $text-error; }
    AssessmentForm #result { height: 2; margin-top: 1; }
    AssessmentForm #form-error { height: auto; color: $text-error; }
    AssessmentForm #buttons { height: 1; margin-top: 1; }
    AssessmentForm #buttons Button { margin-right: 1; }
    AssessmentForm #buttons .hint { width: 1fr; color: $text-muted; }
    """

    def __init__(
        self,
        store: Store,
        config: Config,
        customer_id: int,
        target_tier: str | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.store = store
        self.config = config
        self.customer_id = customer_id
        self.target_tier = target_tier
        self._saving = False
        self.missing: str | None = None
        try:
            with store.read() as session:  # one row by primary key, plus its latest assessment
                customer = get_customer(session, customer_id)
                last = latest_assessment(dbapi(session), customer_id)
        except StoreError as exc:  # gone (an undo elsewhere): on_mount says so and closes
            self.missing = str(exc)
            customer, last = Customer(id=customer_id, code="?", name="?"), None
        self.customer_code = customer.code
        self.customer_name = customer.name
        self.current_tier = customer.tier
        self.previous = (last.potential, last.willingness) if last else None
        self.previous_line = (
            _(
                "Last: potential {potential} + willingness {willingness} = {total} → {tier} on {isoformat}"
            ).format(
                potential=last.potential,
                willingness=last.willingness,
                total=last.total,
                tier=last.tier,
                isoformat=last.assessed_on.isoformat(),
            )
            if last
            else _("Not assessed before.")
        )
        self.previous_basis = last.basis if last else None
        self.initial: tuple[int, int] | None
        if target_tier in ("A", "B", "C"):
            self.initial = prefill_scores(target_tier, self.previous, config)
        else:
            self.initial = self.previous

    def compose(self) -> ComposeResult:
        if self.missing:
            return
        smin, smax = self.config.score_min, self.config.score_max
        with Vertical(id="dialog") as dialog:
            dialog.border_title = _("Tier assessment")
            yield Static(
                Content.assemble(
                    user_text(self.customer_name).stylize("bold"),
                    " (",
                    user_text(self.customer_code),
                    _(") · now tier {current_tier}").format(current_tier=self.current_tier),
                ),
                classes="line",
            )
            if self.target_tier in ("A", "B", "C"):
                low, high = tier_total_range(self.target_tier, self.config)
                yield Static(
                    Content(
                        _("Move to tier {target_tier}: the total must be {low}–{high}.").format(
                            target_tier=self.target_tier, low=low, high=high
                        )
                    ),
                    classes="line",
                )
            yield Static(Content(self.previous_line), classes="line muted")
            p, w = self.initial if self.initial else ("", "")
            with Horizontal(classes="row"):
                yield Label(_("Potential ({smin}–{smax})").format(smin=smin, smax=smax))
                yield InOrderInput(
                    str(p),
                    id="potential",
                    type="integer",
                    max_length=3,
                    compact=True,
                    classes="score",
                    tooltip=_("Purchase potential / value of the customer"),
                )
                yield Static("", id="potential-error", classes="error")
            with Horizontal(classes="row"):
                yield Label(_("Willingness ({smin}–{smax})").format(smin=smin, smax=smax))
                yield InOrderInput(
                    str(w),
                    id="willingness",
                    type="integer",
                    max_length=3,
                    compact=True,
                    classes="score",
                    tooltip=_("Intent to cooperate"),
                )
                yield Static("", id="willingness-error", classes="error")
            yield Static("", id="result")
            with Horizontal(classes="row"):
                yield Label(_("Basis (why)"))
                yield InOrderInput(
                    "",
                    id="basis",
                    compact=True,
                    classes="text",
                    placeholder=_("e.g. annual purchase > 1M, clear decision chain"),
                )
            with Horizontal(classes="row"):
                yield Label(_("Strategy"))
                yield InOrderInput(
                    "", id="strategy", compact=True, classes="text", placeholder=_("(suggested for the tier)")
                )
            yield Static("", id="form-error")
            with Horizontal(id="buttons"):
                yield Button(_("Save"), id="save", variant="primary", compact=True)
                yield Button(_("Cancel"), id="cancel", compact=True)
                yield Static(_("enter saves · esc cancels"), classes="hint")

    def on_mount(self) -> None:
        if self.missing:
            self.notify(
                _("Cannot assess: {missing}").format(missing=self.missing), severity="error", markup=False
            )
            self.dismiss(False)
            return
        self._update_result()
        self.query_one("#potential", Input).focus()

    # --- validation as you type -------------------------------------------------------------

    def _score(self, field: str) -> tuple[int | None, str]:
        raw = self.query_one(f"#{field}", Input).value.strip()
        label = field.capitalize()
        if not raw:
            return None, _("{label} is needed.").format(label=label)
        try:
            value = int(raw)
        except ValueError:
            return None, _("{label} must be a whole number.").format(label=label)
        try:
            check_score(label, value, self.config)
        except ScoreError as exc:
            return None, str(exc)
        return value, ""

    def _update_result(self) -> tuple[int | None, int | None]:
        potential, p_error = self._score("potential")
        willingness, w_error = self._score("willingness")
        self.query_one("#potential-error", Static).update(Content(p_error))
        self.query_one("#willingness-error", Static).update(Content(w_error))
        result = self.query_one("#result", Static)
        strategy = self.query_one("#strategy", Input)
        if potential is None or willingness is None:
            result.update(Content(_("Total: — (enter both scores to see the tier)")))
            strategy.placeholder = _("(suggested for the tier)")
            return potential, willingness
        total, tier, suggested = assess(potential, willingness, self.config)
        suggested = suggested_strategy(suggested)
        lines = [
            Content.assemble(
                _("Total {potential} + {willingness} = {total} → ").format(
                    potential=potential, willingness=willingness, total=total
                ),
                (_("tier {tier}").format(tier=tier), "bold"),
                f" · {suggested}",
            )
        ]
        if self.target_tier in ("A", "B", "C") and tier != self.target_tier:
            low, high = tier_total_range(self.target_tier, self.config)
            lines.append(
                Content.assemble(
                    (
                        _("! lands in {tier}, not {target_tier}").format(
                            tier=tier, target_tier=self.target_tier
                        ),
                        "bold",
                    ),
                    _(" (tier {target_tier} needs a total of {low}–{high})").format(
                        target_tier=self.target_tier, low=low, high=high
                    ),
                )
            )
        result.update(Content("\n").join(lines))
        strategy.placeholder = suggested or _("(strategy)")
        return potential, willingness

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id in ("potential", "willingness"):
            self._update_result()
            self.query_one("#form-error", Static).update("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    # --- save / cancel ----------------------------------------------------------------------

    def action_save(self) -> None:
        if self._saving:
            return
        potential, willingness = self._update_result()
        if potential is None or willingness is None:
            self.query_one("#form-error", Static).update(Content(_("Not saved: fix the scores first.")))
            self.query_one("#potential" if potential is None else "#willingness", Input).focus()
            return
        basis = self.query_one("#basis", Input).value
        strategy = self.query_one("#strategy", Input).value or self.query_one("#strategy", Input).placeholder
        if strategy == _("(strategy)"):
            strategy = ""
        self._saving = True

        def assess() -> str:
            with self.store.write(f"assess {self.customer_code}") as session:
                customer = get_customer(session, self.customer_id)
                record = assess_customer(
                    session, self.config, customer, potential, willingness, basis=basis, strategy=strategy
                )
                return record.tier

        def assessed(tier: str) -> None:
            self.notify(
                _("Assessed {sanitize_line}: tier {tier}.").format(
                    sanitize_line=sanitize_line(self.customer_name), tier=tier
                ),
                markup=False,
            )
            self.dismiss(True)

        def refused(exc: StoreError) -> None:  # a busy database included: the scores stay
            self._saving = False
            self.query_one("#form-error", Static).update(Content(_("Not saved: {exc}").format(exc=exc)))

        write_in_background(self, assess, assessed, refused)

    def action_cancel(self) -> None:
        if not self._saving:
            self.dismiss(False)
