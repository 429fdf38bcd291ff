"""A customer's contacts, to edit or archive one (key ``C`` on the customer detail).

``ContactPicker(store, config, customer_id)`` lists the live contacts (primary first);
``enter`` opens the contact in ``ContactForm``, ``x`` archives it (one transaction, ``u``
undoes it), ``escape`` closes. Phones stay masked here, as on the card.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tuicrm.config import Config
from tuicrm.domain.privacy import mask_phone
from tuicrm.i18n import _
from tuicrm.query.cards import Record, contacts_of
from tuicrm.query.customers import CustomerBrief, customer_brief
from tuicrm.store import Store, dbapi
from tuicrm.store.customers import archive_contact, get_contact
from tuicrm.store.errors import StoreError
from tuicrm.ui import text as ut
from tuicrm.ui import toasts
from tuicrm.ui.background import write_in_background
from tuicrm.ui.messages import Saved
from tuicrm.ui.widgets.dialog import DialogScreen


def contact_line(contact: Record) -> Text:
    """One contact as the picker shows it: star for the primary, name, title, role, masked phones
    (the card below the picker has the rest)."""
    line = Text("★ " if contact.is_primary else "  ", end="")
    line.append_text(ut.line(contact.name, style="bold"))
    extras = [ut.clean(v) for v in (contact.title, contact.role) if v]
    extras += [mask_phone(p) for p in (contact.phone, contact.mobile) if p]
    for part in extras:
        line.append(" · ", style="dim")
        line.append(part)
    return line


class ContactList(OptionList):
    BINDINGS = [
        Binding("j", "cursor_down", _("Down"), show=False),
        Binding("k", "cursor_up", _("Up"), show=False),
    ]


class ContactPicker(DialogScreen[None]):
    """Pick a contact of one customer to edit (``enter``) or archive (``x``)."""

    BINDINGS = [
        Binding("escape", "close", _("Close"), id="contacts.close"),
        Binding(
            "x", "archive", _("Archive"), id="contacts.archive", tooltip=_("Archive the contact (u undoes)")
        ),
    ]

    DEFAULT_CSS = """
    ContactPicker ContactList { max-height: 16; text-wrap: nowrap; text-overflow: ellipsis; }
    ContactPicker .hint { height: 1; margin-top: 1; color: $text-muted; }
    """

    def __init__(
        self, store: Store, config: Config, customer_id: int, *, brief: CustomerBrief | None = None
    ) -> None:
        super().__init__()
        self.store = store
        self.config = config
        self.customer_id = customer_id
        with store.read() as session:
            self.brief = brief or customer_brief(dbapi(session), customer_id)
            self.contacts = contacts_of(dbapi(session), customer_id)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = Content(
                _("Contacts of ") + ut.clean(self.brief.name)
            )  # a str would be markup
            yield ContactList(
                *[Option(contact_line(k), id=f"k{k.id}") for k in self.contacts], id="contact-list"
            )
            yield Static(Text(_("enter edit · x archive (u undoes) · esc close")), classes="hint")

    def on_mount(self) -> None:
        if not self.contacts:
            self.notify(_("No contacts yet. Press c on the customer to add one."), markup=False)
            self.dismiss(None)
            return
        listing = self.query_one(ContactList)
        listing.highlighted = 0
        listing.focus()

    def _current(self) -> Record | None:
        index = self.query_one(ContactList).highlighted
        return self.contacts[index] if index is not None and 0 <= index < len(self.contacts) else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        contact = self._current()
        if contact is None:
            return
        from tuicrm.ui.widgets.contact_form import ContactForm

        def done(saved: Saved | None) -> None:
            if saved is not None:
                self.dismiss(None)  # the card reloads with the change (ContactForm tells the app)

        self.app.push_screen(
            ContactForm(self.store, self.config, self.customer_id, brief=self.brief, contact_id=contact.id),
            done,
        )

    def action_archive(self) -> None:
        contact = self._current()
        if contact is None:
            return
        name = ut.clean(contact.name)
        contact_id = contact.id
        assert contact_id is not None

        def archive() -> None:
            with self.store.write(f"archive contact {name} of {ut.clean(self.brief.name)}") as session:
                current = get_contact(session, contact_id)
                if current.archived_at is not None:
                    raise StoreError(_("{name} was archived already.").format(name=name))
                archive_contact(session, current)

        def archived(_result: None) -> None:
            self.notify(toasts.undoable(_("Archived contact {name}").format(name=name)), markup=False)
            self.dismiss(None)
            data_changed = getattr(self.app, "data_changed", None)
            if data_changed is not None:
                data_changed()

        def refused(exc: StoreError) -> None:
            self.notify(str(exc), severity="error", markup=False)

        write_in_background(self, archive, archived, refused)

    def action_close(self) -> None:
        self.dismiss(None)
