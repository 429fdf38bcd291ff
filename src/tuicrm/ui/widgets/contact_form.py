"""New contact for a customer (SPEC §2 Contact)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Checkbox

from tuicrm.config import CONTACT_ROLES, PREFERS, RELATIONSHIPS, Config
from tuicrm.store import Store
from tuicrm.store.customers import check_name, create_contact, get_customer
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


class ContactForm(FormScreen):
    """``dismiss(Saved(detail={'contact_id': ...}))`` after writing; None on escape."""

    def __init__(self, store: Store, config: Config, customer_id: int, *, brief: CustomerBrief | None = None) -> None:
        super().__init__()
        self.store = store
        self.config = config
        self.customer_id = customer_id
        if brief is None:
            with store.read() as session:
                brief = customer_brief(session, customer_id)
        self.brief = brief

    def form_title(self) -> Text:
        title = Text("New contact · ", style="bold", end="")
        title.append_text(ut.line(self.brief.name, style="bold"))
        return title

    def compose_fields(self):
        yield FormField("name", "Name", text_input(id="ct-name"), check=_name, required=True)
        yield FormField("title", "Title", text_input(placeholder="e.g. purchasing manager"), check=optional_text(200))
        yield FormField("role", "Role", choice_select(CONTACT_ROLES, None), classes="-short")
        yield FormField("phone", "Phone", text_input(), check=phone)
        yield FormField("mobile", "Mobile", text_input(), check=phone)
        yield FormField("email", "Email", text_input(), check=email)
        yield FormField("im", "IM", text_input(placeholder="WeChat / Slack handle"), check=optional_text(200))
        yield FormField("department", "Department", text_input(), check=optional_text(200))
        yield FormField("relationship", "Relationship", choice_select(RELATIONSHIPS, None), classes="-short")
        yield FormField("prefers", "Prefers", choice_select(PREFERS, None), classes="-short")
        yield FormField("birthday", "Birthday", text_input(placeholder="2026-03-14"),
                        check=date_input(label="Birthday"), hint=date_hint, classes="-short")
        yield FormField("interests", "Interests", text_input(), check=optional_text(1000))
        yield FormField("notes", "Notes", text_input(), check=optional_text(4000))
        yield FormField("is_primary", "Primary", Checkbox("primary contact", compact=True))
        yield FormField("is_key_decision_maker", "Decides", Checkbox("key decision-maker", compact=True))

    def save(self, values: dict) -> Saved:
        name = values.pop("name")
        label = f"new contact {name} for {ut.clean(self.brief.name)}"
        if not values.get("is_key_decision_maker"):
            values.pop("is_key_decision_maker")
        with self.store.write(label) as session:
            contact = create_contact(session, get_customer(session, self.customer_id), name, **values)
            contact_id = contact.id
        return Saved(label, self.customer_id, {"contact_id": contact_id})
