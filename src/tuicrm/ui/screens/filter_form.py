"""The customer list's filter form (``f``), loaded when first opened."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from rich.text import Text
from textual import on, work
from textual.widget import Widget
from textual.worker import get_current_worker

from tuicrm import clock
from tuicrm.config import COLLECTION_RATINGS, DEFAULT, STATUSES, TIERS, Config
from tuicrm.domain.tiers import reassess_before
from tuicrm.i18n import _
from tuicrm.query.customers import distinct_tags, distinct_values
from tuicrm.query.filters import CustomerFilter
from tuicrm.query.saved_filters import NAME_MAX
from tuicrm.store import Store
from tuicrm.ui import text as ut
from tuicrm.ui.messages import ChoicesLoaded, LoadFailed
from tuicrm.ui.widgets.forms import FormField, FormScreen, choice_select, optional_text, text_input

DUE_CHOICES = {_("overdue + today"): 0, _("next 7 days"): 7, _("next 30 days"): 30}
# "No contact in": the going-cold list, customers without a follow-up logged in that many days.
QUIET_CHOICES = {_("14 days"): 14, _("30 days"): 30, _("60 days"): 60, _("90 days"): 90, _("180 days"): 180}
SLOT_CHOICES = [str(n) for n in range(1, 10)]
# The one choice of the re-assessment field: last assessed longer ago than config.care.reassess_days.
REASSESS_CHOICE = _("to re-assess")


class FilterForm(FormScreen):
    """Pick filters; dismisses with a ``CustomerFilter`` (search text kept) or None. With a name
    in "Save as", the filter is also saved under it (and the key 1-9 given, else the first free):
    ``v`` in the list, then the key, recalls it; ``tuicrm find --filter NAME`` lists it."""

    save_label = _("Apply")
    writes_data = False  # True while "Save as" has a name (action_save)

    def __init__(self, store: Store, current: CustomerFilter, config: Config = DEFAULT) -> None:
        super().__init__()
        self.store = store
        self.current = current
        self.config = config

    def form_title(self) -> Text:
        return Text(_("Filter customers"), style="bold")

    def compose_fields(self) -> Iterable[Widget]:
        f = self.current
        due_now = None
        if f.due_by is not None:
            days = (f.due_by - clock.today()).days
            due_now = next((k for k, v in DUE_CHOICES.items() if v == days), None)
        yield FormField("tier", _("Tier"), choice_select(TIERS, f.tier, prompt=_("any")), classes="-short")
        yield FormField(
            "status", _("Status"), choice_select(STATUSES, f.status, prompt=_("any")), classes="-short"
        )
        yield FormField(
            "industry",
            _("Industry"),
            choice_select([f.industry] if f.industry else [], f.industry, prompt=_("any")),
            classes="-wide",
        )
        yield FormField(
            "tag", _("Tag"), choice_select([f.tag] if f.tag else [], f.tag, prompt=_("any")), classes="-wide"
        )
        yield FormField(
            "owner",
            _("Owner"),
            choice_select([f.owner] if f.owner else [], f.owner, prompt=_("any")),
            classes="-wide",
        )
        yield FormField(
            "due", _("Due"), choice_select(list(DUE_CHOICES), due_now, prompt=_("any")), classes="-short"
        )
        yield FormField(
            "collection",
            _("Collection"),
            choice_select(COLLECTION_RATINGS, f.collection, prompt=_("any")),
            classes="-short",
        )
        reassess_now = REASSESS_CHOICE if f.reassess_before is not None else None
        yield FormField(
            "reassess",
            _("Assessed"),
            choice_select([REASSESS_CHOICE], reassess_now, prompt=_("any")),
            classes="-short",
        )
        quiet_now = next((k for k, v in QUIET_CHOICES.items() if v == f.no_contact_days), None)
        yield FormField(
            "quiet",
            _("No contact in"),
            choice_select(list(QUIET_CHOICES), quiet_now, prompt=_("any")),
            classes="-short",
        )
        yield FormField(
            "save_as",
            _("Save as"),
            text_input(placeholder=_("a name, to recall it (optional)"), id="filter-save-as"),
            check=optional_text(NAME_MAX, _("Save as")),
        )
        yield FormField(
            "slot", _("Key"), choice_select(SLOT_CHOICES, prompt=_("first free")), classes="-short"
        )

    def on_mount(self) -> None:
        self._load_choices()

    @work(thread=True, exclusive=True, group="filter-choices")
    def _load_choices(self) -> None:
        try:
            with self.store.reading() as conn:
                choices = {
                    "industry": distinct_values(conn, "industry"),
                    "owner": distinct_values(conn, "owner"),
                    "tag": distinct_tags(conn),
                }
        except Exception as exc:
            self.post_message(
                LoadFailed(_("filter choices"), str(exc).splitlines()[0] if str(exc) else "error")
            )
            return
        if not get_current_worker().is_cancelled:
            self.post_message(ChoicesLoaded(choices))

    @on(ChoicesLoaded)
    def _choices(self, message: ChoicesLoaded) -> None:
        from textual.widgets import Select

        for key, values in message.choices.items():
            select = self.field(key).control
            assert isinstance(select, Select)
            current = select.value
            # User data: the prompts are Text, never markup.
            select.set_options([(ut.line(v), v) for v in values])
            if current is not Select.NULL and current in values:
                select.value = current

    def action_save(self) -> None:
        self.writes_data = bool(self.field("save_as").raw().strip())  # then saved off the UI thread
        super().action_save()

    def save(self, values: dict[str, Any]) -> CustomerFilter:
        chosen = self.chosen(values)
        name = values.get("save_as")
        if name:
            from tuicrm.store.saved_filters import save_filter

            slot = int(values["slot"]) if values.get("slot") else None
            with self.store.write(f"save filter {name}") as session:
                save_filter(session, name, chosen, clock.today(), slot=slot)
        return chosen

    def chosen(self, values: dict[str, Any]) -> CustomerFilter:
        due = values.get("due")
        due_by = clock.today() + timedelta(days=DUE_CHOICES[due]) if due else None
        quiet = values.get("quiet")
        return self.current.replace(
            no_contact_days=QUIET_CHOICES[quiet] if quiet else None,
            tier=values["tier"],
            status=values["status"],
            industry=values["industry"],
            tag=values["tag"],
            owner=values["owner"],
            due_by=due_by,
            collection=values["collection"],
            reassess_before=reassess_before(clock.today(), self.config.care.reassess_days)
            if values.get("reassess")
            else None,
        )
