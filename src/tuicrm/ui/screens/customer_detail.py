"""Customer detail: the card and the open complaints (``customer_detail_card``), contacts,
follow-up history, open opportunities, status and tier history (``customer_detail_sections``).

``CustomerDetailScreen(store, config, customer_id, log=False)``. With ``log=True`` the follow-up
form opens at once; with ``back_after_log=True`` too (the overdue panel's daily loop), saving it
returns to the list, where the next item is selected.

j/k (↓/↑) select the card, a contact, a follow-up or a deal; ``e`` edits the selected one and
``d`` deletes a selected follow-up (after a confirm; ``u`` undoes). The line above the footer
says what is selected.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from tuicrm import clock
from tuicrm.config import Config
from tuicrm.i18n import _
from tuicrm.query.cards import CustomerCard
from tuicrm.query.cards import card as read_card
from tuicrm.query.complaints import ComplaintRow, open_for_customer
from tuicrm.query.customers import CustomerBrief
from tuicrm.query.followups import StatusStep, status_history
from tuicrm.query.receivables import CustomerLedger, customer_ledger
from tuicrm.store import Store
from tuicrm.store.customers import archive_customer, get_customer
from tuicrm.store.errors import StoreError
from tuicrm.ui import text as ut
from tuicrm.ui import toasts
from tuicrm.ui.background import write_in_background
from tuicrm.ui.messages import CardLoaded, DataChanged, DataWritten, LoadFailed, Saved
from tuicrm.ui.screens.customer_detail_card import render_card, render_heading, render_open_complaints
from tuicrm.ui.screens.customer_detail_sections import (
    CONTACT,
    CUSTOMER,
    FOLLOW_UP,
    OPPORTUNITY,
    Item,
    render_sections,
)
from tuicrm.ui.widgets.contact_form import ContactForm
from tuicrm.ui.widgets.customer_form import CustomerForm
from tuicrm.ui.widgets.followup_form import FollowUpForm
from tuicrm.ui.widgets.kept_log_form import new_log_form
from tuicrm.ui.widgets.key_footer import KeyFooter
from tuicrm.ui.widgets.opportunity_form import OpportunityForm
from tuicrm.ui.widgets.snooze import SnoozeForm


class CustomerDetailScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "back", _("Back"), id="detail.back"),
        Binding("l", "log", _("Log"), id="detail.log", tooltip=_("Log a follow-up")),
        Binding(
            "e",
            "edit",
            _("Edit"),
            id="detail.edit",
            tooltip=_("Edit the selected item (see above the footer)"),
        ),
        Binding("a", "assess", _("Assess"), id="detail.assess", tooltip=_("Record a tier assessment")),
        Binding("c", "contact", _("Contact"), id="detail.contact", tooltip=_("New contact")),
        Binding(
            "C",
            "contacts",
            _("Contacts"),
            id="detail.contacts",
            show=False,
            tooltip=_("Edit or archive a contact"),
        ),
        Binding("p", "opportunity", _("Opp"), id="detail.opportunity", tooltip=_("New opportunity")),
        Binding("s", "snooze", _("Snooze"), id="detail.snooze", show=False),
        Binding(
            "r",
            "reveal",
            _("Reveal"),
            id="detail.reveal",
            show=False,
            tooltip=_("Show or mask phone numbers"),
        ),
        Binding(
            "y",
            "copy_phone",
            _("Copy phone"),
            id="detail.copy_phone",
            show=False,
            tooltip=_("Copy the selected phone number to your clipboard (shown with r first)"),
        ),
        Binding(
            "x", "archive", _("Archive"), id="detail.archive", show=False, tooltip=_("Archive (u undoes)")
        ),
        Binding(
            "M",
            "merge",
            _("Merge"),
            id="detail.merge",
            show=False,
            tooltip=_("Merge a possible duplicate into this customer (asks first; u undoes)"),
        ),
        Binding(
            "d,delete",
            "delete",
            _("Delete"),
            id="detail.delete",
            show=False,
            tooltip=_("Delete the selected follow-up (asks first; u undoes)"),
        ),
        Binding(
            "j,down",
            "select(1)",
            _("Next"),
            show=False,
            id="detail.down",
            priority=True,
            tooltip=_("Select the next contact, follow-up or deal (then scroll)"),
        ),
        Binding(
            "k,up",
            "select(-1)",
            _("Previous"),
            show=False,
            id="detail.up",
            priority=True,
            tooltip=_("Select the previous item, up to the customer card"),
        ),
    ]
    AUTO_FOCUS = "#detail-body"
    DEFAULT_CSS = """
    #detail-focus { height: 1; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    #detail-complaints { height: auto; margin-bottom: 1; }
    """

    def __init__(
        self,
        store: Store,
        config: Config,
        customer_id: int,
        *,
        log: bool = False,
        back_after_log: bool = False,
    ) -> None:
        super().__init__()
        self.store = store
        self.config = config
        self.customer_id = customer_id
        self.open_log = log
        self.back_after_log = back_after_log
        self.card: CustomerCard | None = None
        self.statuses: list[StatusStep] = []
        self.ledger: CustomerLedger | None = None
        self.complaints: list[ComplaintRow] = []
        self.items: list[Item] = []
        self.selected: tuple[str, int] = (CUSTOMER, customer_id)
        self.reveal = False

    def compose(self) -> ComposeResult:
        yield Static(Text(_("loading…")), id="detail-title")
        with VerticalScroll(id="detail-body", can_focus=True):
            with Horizontal(id="detail-card"):
                yield Static("", id="detail-left")
                yield Static("", id="detail-right")
            complaints = Static("", id="detail-complaints")
            complaints.display = False  # shown when the customer has open complaints
            yield complaints
            yield Static("", id="detail-sections")
        yield Static("", id="detail-focus")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        if self.open_log:
            self.open_log = False
            self.call_after_refresh(self._open_log_form, True)

    def on_screen_resume(self) -> None:
        self.load()

    def on_data_changed(self, message: DataChanged) -> None:
        self.load()

    def load(self) -> None:
        self._load_worker(self.customer_id)

    @work(thread=True, exclusive=True, group="customer-detail")
    def _load_worker(self, customer_id: int) -> None:
        worker = get_current_worker()
        try:
            with self.store.reading() as conn:
                card = read_card(conn, customer_id, clock.today())
                statuses = status_history(conn, customer_id)
                ledger = customer_ledger(conn, customer_id, clock.today(), self.config)
                complaints = open_for_customer(conn, customer_id)
        except Exception as exc:
            self.post_message(
                LoadFailed(_("the customer"), str(exc).splitlines()[0] if str(exc) else "error")
            )
            return
        if not worker.is_cancelled:
            self.post_message(CardLoaded(customer_id, (card, statuses, ledger, complaints)))

    @on(CardLoaded)
    def _card_loaded(self, message: CardLoaded) -> None:
        self.card, self.statuses, self.ledger, self.complaints = message.card
        self._show_card()

    def _show_card(self) -> None:
        card = self.card
        if card is None:
            return
        self.query_one("#detail-title", Static).update(render_heading(card))
        left, right = render_card(card, self.reveal, self.config.currency)
        self.query_one("#detail-left", Static).update(left)
        self.query_one("#detail-right", Static).update(right)
        complaints = self.query_one("#detail-complaints", Static)
        if self.complaints or complaints.display:
            complaints.update(render_open_complaints(self.complaints, clock.utcnow()))
            complaints.display = bool(self.complaints)
        self._show_sections()

    def _show_sections(self) -> None:
        card = self.card
        if card is None:
            return
        text, items = render_sections(
            card,
            self.reveal,
            self.config.currency,
            statuses=self.statuses,
            selected=self.selected,
            ledger=self.ledger,
        )
        self.items = [Item(CUSTOMER, self.customer_id, _("the customer card"))] + items
        if self.selected not in {(i.kind, i.id) for i in self.items}:
            self.selected = (CUSTOMER, self.customer_id)  # it went (deleted, archived): back to the card
            return self._show_sections()
        self.query_one("#detail-sections", Static).update(text)
        self._show_focus()

    def selected_item(self) -> Item:
        return next(i for i in self.items if (i.kind, i.id) == self.selected)

    def _show_focus(self) -> None:
        item = self.selected_item()
        hint = Text(end="")
        hint.append(_("e edits "), style="bold")
        hint.append_text(ut.line(item.what))
        if item.kind == FOLLOW_UP:
            hint.append(_(" · d deletes it"), style="dim")
        hint.append(_(" · j/k select"), style="dim")
        self.query_one("#detail-focus", Static).update(hint)

    def action_select(self, step: int) -> None:
        if not self.items:
            return
        keys = [(i.kind, i.id) for i in self.items]
        now = keys.index(self.selected)
        index = max(0, min(len(keys) - 1, now + step))
        if index == now:  # past the last item (the histories below) or above the card: scroll
            body = self.query_one("#detail-body", VerticalScroll)
            if step > 0:
                body.scroll_down(animate=False)
            else:
                body.scroll_up(animate=False)
            return
        self.selected = keys[index]
        self._show_sections()
        self._scroll_to_selected()

    def _scroll_to_selected(self) -> None:
        from textual.geometry import Region

        body = self.query_one("#detail-body", VerticalScroll)
        item = self.selected_item()
        if item.kind == CUSTOMER:
            body.scroll_home(animate=False)
            return
        sections = self.query_one("#detail-sections", Static)
        top = sections.virtual_region.y + item.line
        body.scroll_to_region(Region(0, top, 1, item.lines), animate=False)

    # -- actions -------------------------------------------------------------------

    def _brief(self) -> CustomerBrief | None:
        c = self.card.customer if self.card else None
        if c is None or c.id is None:
            return None
        return CustomerBrief(
            c.id,
            c.code,
            c.name,
            c.status,
            c.tier,
            c.next_follow_up_on,
            c.next_action,
            c.archived_at is not None,
        )

    def action_back(self) -> None:
        self.dismiss()

    def action_log(self) -> None:
        self._open_log_form(False)

    def _open_log_form(self, from_open: bool) -> None:
        def done(result: Saved | None) -> None:
            if result is None:
                return
            next_on = result.detail.get("next_on")
            when = next_on.isoformat() if next_on else "none"
            self.notify(_("Logged. Next follow-up: {when}").format(when=when), markup=False, timeout=3)
            if from_open and self.back_after_log:
                self.dismiss()

        try:
            form = new_log_form(
                self.app, self.store, self.config, self.customer_id, self._brief(), over_detail=True
            )
        except StoreError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.app.push_screen(form, done)

    def action_edit(self) -> None:
        """Edit whatever is selected: the card, a contact, a deal or a follow-up."""
        item = self.selected_item() if self.items else Item(CUSTOMER, self.customer_id, "")
        try:
            if item.kind == CONTACT:
                self.app.push_screen(
                    ContactForm(
                        self.store,
                        self.config,
                        self.customer_id,
                        brief=self._brief(),
                        contact_id=item.id,
                        reveal=self.reveal,
                    )
                )
            elif item.kind == OPPORTUNITY:
                self._edit_opportunity(item.id)
            elif item.kind == FOLLOW_UP:
                self._edit_follow_up(item.id)
            else:
                self.app.push_screen(
                    CustomerForm(self.store, self.config, self.customer_id, reveal=self.reveal)
                )
        except StoreError as exc:
            self.notify(str(exc), severity="error", markup=False)

    def _edit_opportunity(self, opportunity_id: int) -> None:
        contacts = self.card.contacts if self.card else None
        form = OpportunityForm(
            self.store,
            self.config,
            self.customer_id,
            opportunity_id=opportunity_id,
            brief=self._brief(),
            contacts=contacts,
        )
        self.app.push_screen(form)

    def _edit_follow_up(self, follow_up_id: int) -> None:
        def done(result: Saved | None) -> None:
            if result is not None:
                self.notify(_("Follow-up saved."), markup=False, timeout=3)

        form = FollowUpForm(
            self.store, self.config, self.customer_id, brief=self._brief(), follow_up_id=follow_up_id
        )
        form.add_class("-context")  # the detail shows through, as under a new log (app.tcss)
        self.app.push_screen(form, done)

    def action_delete(self) -> None:
        """Delete the selected follow-up, after a confirm (the app's undo brings it back)."""
        from tuicrm.store.followups import delete_follow_up
        from tuicrm.ui.widgets.confirm import ConfirmModal

        item = self.selected_item() if self.items else None
        if item is None or item.kind != FOLLOW_UP:
            self.notify(
                _("Select a follow-up (j/k) to delete it; x archives the customer."), markup=False, timeout=3
            )
            return

        def answer(yes: bool | None) -> None:
            if not yes:
                return

            def delete() -> None:
                with self.store.write(f"delete follow-up #{item.id}") as session:
                    delete_follow_up(session, item.id)

            def deleted(_result: None) -> None:
                self.notify(toasts.undoable(_("Deleted the {what}").format(what=item.what)), markup=False)
                self.load()
                self.app.post_message(DataWritten())

            write_in_background(self, delete, deleted, self._refused)

        body = Text(_("It goes from the history; u (undo) brings it back."))
        title = Text(_("Delete the {what}?").format(what=item.what), style="bold")
        self.app.push_screen(ConfirmModal(title, body, yes=_("Delete"), no=_("Keep")), answer)

    def action_snooze(self) -> None:
        self.app.push_screen(SnoozeForm(self.store, self.config, self.customer_id, brief=self._brief()))

    def action_contact(self) -> None:
        self.app.push_screen(ContactForm(self.store, self.config, self.customer_id, brief=self._brief()))

    def action_contacts(self) -> None:
        if self.card is not None and not self.card.contacts:
            self.notify(_("No contacts yet. Press c to add one."), markup=False)
            return
        from tuicrm.ui.widgets.contact_picker import ContactPicker

        self.app.push_screen(ContactPicker(self.store, self.config, self.customer_id, brief=self._brief()))

    def action_opportunity(self) -> None:
        contacts = self.card.contacts if self.card else None
        self.app.push_screen(
            OpportunityForm(self.store, self.config, self.customer_id, brief=self._brief(), contacts=contacts)
        )

    def action_assess(self) -> None:
        try:
            from tuicrm.ui.widgets.assessment_form import AssessmentForm
        except ImportError:
            self.notify(_("The assessment form is not built yet."), severity="warning", markup=False)
            return

        def done(saved: object) -> None:
            if saved:
                self.app.post_message(DataWritten())

        self.app.push_screen(AssessmentForm(self.store, self.config, self.customer_id), done)

    def action_reveal(self) -> None:
        self.reveal = not self.reveal
        self._show_card()
        self.notify(
            _("Phone numbers shown.") if self.reveal else _("Phone numbers masked."), markup=False, timeout=2
        )

    def selected_phone(self) -> str | None:
        """The phone number of the selected contact (its phone, else its mobile), else the
        customer's; None when there is none."""
        card = self.card
        if card is None:
            return None
        kind, item_id = self.selected
        if kind == CONTACT:
            contact = next((k for k in card.contacts if int(k.id) == item_id), None)
            if contact is not None:
                return next((p for p in (contact.phone, contact.mobile) if p), None)
        return card.customer.phone or None

    def action_copy_phone(self) -> None:
        """``y``: the shown phone number to the rep's local clipboard through the terminal (OSC 52,
        works over SSH). A masked number is not copied: what is on the screen is what is copied."""
        phone = self.selected_phone()
        if phone is None:
            self.notify(_("No phone number here to copy."), markup=False, timeout=3)
            return
        if not self.reveal:
            self.notify(
                _("The phone number is masked: press r to show it, then y to copy it."),
                severity="warning",
                markup=False,
                timeout=4,
            )
            return
        number = ut.clean(phone)
        self.app.copy_to_clipboard(number)
        self.notify(_("Copied {phone}").format(phone=number), markup=False, timeout=3)

    def action_archive(self) -> None:
        name = ut.clean(self.card.customer.name) if self.card else f"#{self.customer_id}"

        def archive() -> None:
            with self.store.write(f"archive customer {name}") as session:
                archive_customer(session, get_customer(session, self.customer_id))

        def archived(_result: None) -> None:
            self.notify(toasts.undoable(_("Archived {name}").format(name=name)), markup=False)
            self.dismiss()
            self.app.post_message(DataWritten())

        write_in_background(self, archive, archived, self._refused)

    def action_merge(self) -> None:
        """Pick one of this customer's possible duplicates, confirm, merge it into this one."""
        from tuicrm.query.dupes import possible_duplicates
        from tuicrm.ui.widgets.confirm import ConfirmModal
        from tuicrm.ui.widgets.merge_picker import MergePicker

        with self.store.reading() as conn:
            pairs = possible_duplicates(conn, self.customer_id)
        if not pairs:
            self.notify(_("No possible duplicates of this customer."), markup=False, timeout=3)
            return
        name = ut.clean(self.card.customer.name) if self.card else f"#{self.customer_id}"
        picker = MergePicker(name, self.customer_id, pairs)
        names = {ref.id: f"{ref.code} {ut.clean(ref.name)}" for ref, _same in picker.others}

        def merged(_result: object) -> None:
            self.notify(toasts.undoable(_("Merged")), markup=False)
            self.load()
            self.app.post_message(DataWritten())

        def answer(other_id: int, yes: bool | None) -> None:
            if not yes:
                return

            def merge() -> object:
                from tuicrm.store.merge import merge_customers

                with self.store.write(f"merge {names[other_id]} into {name}") as session:
                    return merge_customers(session, self.customer_id, other_id)

            write_in_background(self, merge, merged, self._refused)

        def picked(other_id: int | None) -> None:
            if other_id is None:
                return
            title = Text(
                _("Merge {other} into {name}?").format(other=names[other_id], name=name), style="bold"
            )
            body = Text(
                _(
                    "Its contacts, follow-ups, deals and history move here, differing fields go to the "
                    "notes, and it is archived. u (undo) reverses it."
                )
            )
            self.app.push_screen(
                ConfirmModal(title, body, yes=_("Merge"), no=_("Keep")), lambda yes: answer(other_id, yes)
            )

        self.app.push_screen(picker, picked)

    def _refused(self, exc: StoreError) -> None:
        self.notify(str(exc), severity="error", markup=False)
