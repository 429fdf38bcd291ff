"""New or edited contact of a customer (SPEC §2 Contact)."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Checkbox, Input

from tuicrm.config import CONTACT_ROLES, PREFERS, RELATIONSHIPS, Config
from tuicrm.models import Contact
from tuicrm.store import Store
from tuicrm.store.customers import check_name, create_contact, get_contact, get_customer, update_contact
from tuicrm.store.ui_queries import CustomerBrief, customer_brief
from tuicrm.ui import text as ut
from tuicrm.ui.messages import Saved
from tuicrm.ui.widgets.forms import (
    FormField,
    FormScreen,
    choice_select,
    date_hint,
    date_input,
    email,
    optional_text,
    phone,
    required_text,
    text_input,
)


def _name(raw: str) -> str:
    return check_name(required_text("Name", 200)(raw), "contact")


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


class ContactForm(FormScreen):
    """``ContactForm(store, config, customer_id)`` adds a contact; with ``contact_id=`` it edits one.

    ``dismiss(Saved(detail={'contact_id': ...}))`` after writing; None on escape (nothing written).
    """

    BINDINGS = [Binding("ctrl+r", "reveal", "Show phones", id="form.reveal")]

    def __init__(self, store: Store, config: Config, customer_id: int, *, brief: CustomerBrief | None = None,
                 contact_id: int | None = None, reveal: bool = False) -> None:
        super().__init__()
        self.store = store
        self.config = config
        self.customer_id = customer_id
        self.contact: Contact | None = None
        with store.read() as session:
            if brief is None:
                brief = customer_brief(session, customer_id)
            if contact_id is not None:
                self.contact = get_contact(session, contact_id)
        self.brief = brief
        self.reveal = reveal

    def form_title(self) -> Text:
        if self.contact is None:
            title = Text("New contact · ", style="bold", end="")
        else:
            title = Text("Edit contact · ", style="bold", end="")
            title.append_text(ut.line(self.contact.name, style="bold"))
            title.append(" · ", style="bold")
        title.append_text(ut.line(self.brief.name, style="bold"))
        return title

    def compose_fields(self):
        k = self.contact
        get = (lambda key: getattr(k, key)) if k is not None else (lambda key: None)
        # An existing number stays masked (as on the card) until ctrl+r shows it.
        masked = k is not None and not self.reveal and bool(k.phone or k.mobile)
        masked_hint = (lambda v: None if self.reveal else "masked: ctrl+r shows it") if masked else None
        yield FormField("name", "Name", text_input(get("name"), id="ct-name"), check=_name, required=True)
        yield FormField("title", "Title", text_input(get("title"), placeholder="e.g. purchasing manager"),
                        check=optional_text(200))
        yield FormField("role", "Role", choice_select(CONTACT_ROLES, get("role")), classes="-short")
        yield FormField("phone", "Phone", text_input(get("phone"), password=masked, classes="ct-phone"), check=phone,
                        hint=masked_hint if get("phone") else None)
        yield FormField("mobile", "Mobile", text_input(get("mobile"), password=masked, classes="ct-phone"),
                        check=phone, hint=masked_hint if get("mobile") else None)
        yield FormField("email", "Email", text_input(get("email")), check=email)
        yield FormField("im", "IM", text_input(get("im"), placeholder="WeChat / Slack handle"), check=optional_text(200))
        yield FormField("department", "Department", text_input(get("department")), check=optional_text(200))
        yield FormField("relationship", "Relationship", choice_select(RELATIONSHIPS, get("relationship")),
                        classes="-short")
        yield FormField("prefers", "Prefers", choice_select(PREFERS, get("prefers")), classes="-short")
        yield FormField("birthday", "Birthday", text_input(_iso(get("birthday")), placeholder="2026-03-14"),
                        check=date_input(label="Birthday"), hint=date_hint, classes="-short")
        yield FormField("interests", "Interests", text_input(get("interests")), check=optional_text(1000))
        yield FormField("notes", "Notes", text_input(get("notes")), check=optional_text(4000))
        yield FormField("is_primary", "Primary", Checkbox("primary contact", bool(get("is_primary")), compact=True))
        yield FormField("is_key_decision_maker", "Decides",
                        Checkbox("key decision-maker", bool(get("is_key_decision_maker")), compact=True))

    def action_reveal(self) -> None:
        self.reveal = not self.reveal
        for control in self.query(".ct-phone").results(Input):
            control.password = not self.reveal
        for key in ("phone", "mobile"):
            self.field(key).validate()  # the hint follows

    def save(self, values: dict) -> Saved:
        name = values.pop("name")
        if self.contact is not None:
            label = f"edit contact {name} of {ut.clean(self.brief.name)}"
            with self.store.write(label) as session:
                update_contact(session, get_contact(session, self.contact.id), name=name, **values)
            return Saved(label, self.customer_id, {"contact_id": self.contact.id})
        label = f"new contact {name} for {ut.clean(self.brief.name)}"
        if not values.get("is_key_decision_maker"):
            values.pop("is_key_decision_maker")
        with self.store.write(label) as session:
            contact = create_contact(session, get_customer(session, self.customer_id), name, **values)
            contact_id = contact.id
        return Saved(label, self.customer_id, {"contact_id": contact_id})
