"""New or edited contact of a customer (SPEC §2 Contact)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Input

from tuicrm.config import CONTACT_ROLES, PREFERS, RELATIONSHIPS, Config
from tuicrm.domain.limits import field_limit
from tuicrm.i18n import _
from tuicrm.models import Contact
from tuicrm.query.customers import CustomerBrief, customer_brief
from tuicrm.store import Store, dbapi
from tuicrm.store.customers import check_name, create_contact, get_contact, get_customer
from tuicrm.store.errors import StoreError
from tuicrm.ui import text as ut
from tuicrm.ui.messages import Saved
from tuicrm.ui.widgets.forms import (
    Check,
    FormField,
    FormScreen,
    TextCheckbox,
    choice_select,
    date_hint,
    date_input,
    email,
    limited_text,
    phone,
    required_text,
    text_input,
)


def _name(raw: str) -> str:
    return check_name(required_text("Name", field_limit("contact", "name"))(raw), "contact")


def _unless_unchanged(check: Check, initial: str, stored: Any) -> Check:
    def checked(raw: str) -> Any:
        return stored if raw == initial else check(raw)

    return checked


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


class ContactForm(FormScreen):
    """``ContactForm(store, config, customer_id)`` adds a contact; with ``contact_id=`` it edits one.

    ``dismiss(Saved(detail={'contact_id': ...}))`` after writing; None on escape (nothing written).
    """

    BINDINGS = [Binding("ctrl+r", "reveal", _("Show phones"), id="form.reveal")]

    def __init__(
        self,
        store: Store,
        config: Config,
        customer_id: int,
        *,
        brief: CustomerBrief | None = None,
        contact_id: int | None = None,
        reveal: bool = False,
    ) -> None:
        super().__init__()
        self.store = store
        self.config = config
        self.customer_id = customer_id
        self.contact: Contact | None = None
        with store.read() as session:
            if brief is None:
                brief = customer_brief(dbapi(session), customer_id)
            if contact_id is not None:
                self.contact = get_contact(session, contact_id)
                self.track("contact", contact_id, self.contact.version)
        self.brief = brief
        self.reveal = reveal

    def form_title(self) -> Text:
        if self.contact is None:
            title = Text(_("New contact · "), style="bold", end="")
        else:
            title = Text(_("Edit contact · "), style="bold", end="")
            title.append_text(ut.line(self.contact.name, style="bold"))
            title.append(" · ", style="bold")
        title.append_text(ut.line(self.brief.name, style="bold"))
        return title

    def _field(self, key: str, label: str, control: Any, check: Check | None = None, **kw: Any) -> FormField:
        """A field; when editing, a value left as it was is kept as stored, unchecked (an old
        number the import took as it came must not block an unrelated edit)."""
        if self.contact is not None and check is not None:
            check = _unless_unchanged(check, control.value, getattr(self.contact, key))
        return FormField(key, label, control, check=check, **kw)

    def _phone_field(self, key: str, label: str) -> FormField:
        stored = getattr(self.contact, key) if self.contact is not None else None
        # An existing number stays masked (as on the card) until ctrl+r shows it.
        masked = bool(stored) and not self.reveal
        control = text_input(stored, password=masked, classes="ct-stored-phone" if stored else "")
        hint = (lambda v: None if self.reveal else _("masked: ctrl+r shows it")) if stored else None
        return self._field(key, label, control, phone, hint=hint)

    def compose_fields(self) -> Iterable[Widget]:
        k = self.contact
        get = (lambda key: getattr(k, key)) if k is not None else (lambda key: None)
        field = self._field
        yield field("name", _("Name"), text_input(get("name"), id="ct-name"), _name, required=True)
        yield field(
            "title",
            _("Title"),
            text_input(get("title"), placeholder=_("e.g. purchasing manager")),
            limited_text("contact", "title", _("Title")),
        )
        yield field("role", _("Role"), choice_select(CONTACT_ROLES, get("role")), classes="-short")
        yield self._phone_field("phone", _("Phone"))
        yield self._phone_field("mobile", _("Mobile"))
        yield field("email", _("Email"), text_input(get("email")), email)
        yield field(
            "im",
            _("IM"),
            text_input(get("im"), placeholder=_("WeChat / Slack handle")),
            limited_text("contact", "im", _("IM")),
        )
        yield field(
            "department",
            _("Department"),
            text_input(get("department")),
            limited_text("contact", "department", _("Department")),
        )
        yield field(
            "relationship",
            _("Relationship"),
            choice_select(RELATIONSHIPS, get("relationship")),
            classes="-short",
        )
        yield field("prefers", _("Prefers"), choice_select(PREFERS, get("prefers")), classes="-short")
        yield field(
            "birthday",
            _("Birthday"),
            text_input(_iso(get("birthday")), placeholder="2026-03-14"),
            date_input(label=_("Birthday")),
            hint=date_hint,
            classes="-short",
        )
        yield field(
            "anniversary",
            _("Anniversary"),
            text_input(_iso(get("anniversary")), placeholder="2015-06-01"),
            date_input(label=_("Anniversary")),
            hint=date_hint,
            classes="-short",
        )
        yield field(
            "interests",
            _("Interests"),
            text_input(get("interests")),
            limited_text("contact", "interests", _("Interests")),
        )
        yield field(
            "gender",
            _("Gender"),
            text_input(get("gender")),
            limited_text("contact", "gender", _("Gender")),
            classes="-short",
        )
        yield field(
            "education",
            _("Education"),
            text_input(get("education"), placeholder=_("e.g. MBA, Fudan")),
            limited_text("contact", "education", _("Education")),
        )
        yield field(
            "work_history",
            _("Work history"),
            text_input(get("work_history")),
            limited_text("contact", "work_history", _("Work history")),
        )
        yield field(
            "notes", _("Notes"), text_input(get("notes")), limited_text("contact", "notes", _("Notes"))
        )
        yield field(
            "is_primary",
            _("Primary"),
            TextCheckbox(_("primary contact"), bool(get("is_primary")), compact=True),
        )
        yield field(
            "is_key_decision_maker",
            _("Decides"),
            TextCheckbox(_("key decision-maker"), bool(get("is_key_decision_maker")), compact=True),
        )

    def action_reveal(self) -> None:
        self.reveal = not self.reveal
        for control in self.query(".ct-stored-phone").results(Input):
            control.password = not self.reveal
        for key in ("phone", "mobile"):
            self.field(key).validate()  # the hint follows

    def save(self, values: dict[str, Any]) -> Saved:
        name = values["name"]
        if self.contact is not None:
            # Only what the rep changed is written, checked against the version the form read.
            label = f"edit contact {name} of {ut.clean(self.brief.name)}"  # i18n: not shown (the operation log keeps it as written)
            with self.store.write(label) as session:
                assert self.contact.id is not None
                contact = get_contact(session, self.contact.id)
                if contact.archived_at is not None or contact.customer_id != self.customer_id:
                    raise StoreError(_("This contact was archived or moved meanwhile; nothing saved."))
                changed = self.save_tracked(session, values)
            return Saved(label, self.customer_id, {"contact_id": self.contact.id, "changed": sorted(changed)})
        values.pop("name")
        label = f"new contact {name} for {ut.clean(self.brief.name)}"  # i18n: not shown (the operation log keeps it as written)
        if not values.get("is_key_decision_maker"):
            values.pop("is_key_decision_maker")
        with self.store.write(label) as session:
            contact = create_contact(session, get_customer(session, self.customer_id), name, **values)
            contact_id = contact.id
        return Saved(label, self.customer_id, {"contact_id": contact_id})
