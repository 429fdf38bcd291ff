"""The log form is kept and made new for each customer (issue #20): nothing of one customer's
log may show in the next one's, and every save lands on the customer the form was opened for."""

from __future__ import annotations

from sqlmodel import select
from support import settle
from textual.widgets import Input, Select, Static

from tuicrm import i18n
from tuicrm.models import FollowUp
from tuicrm.ui import language
from tuicrm.ui.widgets.followup_form import FollowUpForm, new_log_values
from tuicrm.ui.widgets.kept_log_form import KEPT_NAME, new_log_form


def summaries(store, customer_id: int) -> list[str]:
    with store.read() as s:
        rows = s.exec(select(FollowUp).where(FollowUp.customer_id == customer_id)).all()
        return [r.summary for r in rows]


async def open_log(pilot, customer_id: int) -> FollowUpForm:
    pilot.app.open_customer(customer_id, log=True)
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, FollowUpForm) and form.customer_id == customer_id
    return form


def title(form: FollowUpForm) -> str:
    return str(form.query_one("#form-title", Static).render())


async def test_a_kept_form_shows_nothing_of_the_last_customer(app, crm):
    store, ids = crm
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        first = await open_log(pilot, ids["acme"])
        assert "Acme Trading Co." in title(first)
        assert {f.key: f.raw() for f in first.fields()} == new_log_values()  # what reopen resets to
        contacts = [label for label, _value in first.query_one("#fu-contact", Select)._options]
        assert any("Li Na" in str(label) for label in contacts)
        # Acme's log half-typed, a bad next date shown as an error, then cancelled
        await pilot.press(*"half a sentence")
        first.query_one("#fu-next", Input).value = "not a date"
        first.field("channel").control.value = "visit"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert first.field("next_on").error and first.field("next_on").has_class("-invalid")
        await pilot.press("escape")
        await settle(pilot)
        assert summaries(store, ids["acme"]).count("half a sentence") == 0

        second = await open_log(pilot, ids["delta"])
        assert second is first  # the kept form, made new
        assert "Delta Foods" in title(second) and "Acme" not in title(second)
        assert second.field("summary").raw() == ""
        assert second.field("next_on").raw() == "auto" and second.field("next_on").error is None
        assert not second.field("next_on").has_class("-invalid")
        assert second.field("channel").raw() == "phone"
        assert not second.query_one("#form-status", Static).display
        assert not any(f.touched for f in second.fields())
        contacts = [str(label) for label, _value in second.query_one("#fu-contact", Select)._options]
        assert not any("Li Na" in label for label in contacts)  # Acme's people are not Delta's
        assert app.focused is second.query_one("#fu-summary")
        await pilot.press(*"called Delta")
        await pilot.press("enter")
        await settle(pilot)
        assert "called Delta" in summaries(store, ids["delta"])
        assert "called Delta" not in summaries(store, ids["acme"])

        third = await open_log(pilot, ids["acme"])
        assert third is first and third.field("summary").raw() == ""
        await pilot.press(*"called Acme")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "called Acme" in summaries(store, ids["acme"])


async def test_a_form_in_another_language_is_not_reused(app, crm):
    store, ids = crm
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        english = await open_log(pilot, ids["acme"])
        await pilot.press("escape")
        await settle(pilot)
        i18n.set_language("zh_CN")  # what the palette's switch sets (its labels are English)
        language._retranslate_modules()
        try:
            chinese = await open_log(pilot, ids["acme"])
            assert chinese is not english and app.get_screen(KEPT_NAME) is chinese
            await settle(pilot)
            assert not english.is_attached  # the old one's widgets are gone
            assert "记录跟进" in title(chinese)
        finally:  # English again, in the modules imported meanwhile too (other tests read them)
            i18n.set_language(None)
            i18n.reset()
            language._retranslate_modules()


async def test_l_on_a_complaint_in_the_panel_logs_for_its_customer(app, crm):
    """``l`` (log here) on a panel item that is not a follow-up (a complaint past its deadline)
    logs a follow-up for that item's customer instead of asking for a customer."""
    from datetime import UTC, datetime

    from tuicrm.config import DEFAULT
    from tuicrm.store.complaints import add_complaint
    from tuicrm.store.customers import get_customer
    from tuicrm.ui.widgets.overdue_panel import OverdueList, OverduePanel

    store, ids = crm
    with store.write("complaint") as s:
        echo = get_customer(s, ids["echo"])
        add_complaint(s, DEFAULT, echo, "late delivery", opened_at=datetime(2026, 11, 1, tzinfo=UTC))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(OverduePanel)
        index = next(n for n, i in enumerate(panel.data.items) if i.kind == "complaint")
        panel.list.focus()
        panel.list.highlighted = index
        await pilot.press("l")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FollowUpForm) and form.customer_id == ids["echo"]
        assert "Echo Retail" in title(form)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.focused, OverdueList)


async def test_a_kept_form_keeps_and_offers_back_drafts(app, crm):
    """Made new for a customer, the kept form writes that customer's draft as the rep types, and
    offers back a draft left behind (a crashed TUI's) the way a new form does."""
    import os

    from tuicrm.drafts import SUFFIX
    from tuicrm.paths import drafts_dir
    from tuicrm.ui.widgets.confirm import ConfirmModal

    def drafts() -> list:
        return sorted(drafts_dir().glob(f"*{SUFFIX}")) if drafts_dir().exists() else []

    store, ids = crm
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_log(pilot, ids["acme"])  # built; then kept
        await pilot.press("escape")
        await settle(pilot)
        kept = await open_log(pilot, ids["delta"])
        await pilot.press(*"quote by Fri")
        for _ in range(40):  # written at most every half second while typing
            if drafts() and b"quote by Fri" in drafts()[0].read_bytes():
                break
            await pilot.pause(0.05)
        [draft] = drafts()
        left_behind = draft.read_bytes()
        assert b"quote by Fri" in left_behind
        await pilot.press("escape")
        await settle(pilot)
        assert drafts() == []  # cancelled: gone
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # as a killed TUI left it
        os.write(fd, left_behind)
        os.close(fd)
        pilot.app.open_customer(ids["delta"], log=True)
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is kept and kept.field("summary").raw() == "quote by Fri"
        await pilot.press("enter")
        await settle(pilot)
        assert "quote by Fri" in summaries(store, ids["delta"]) and drafts() == []


async def test_a_log_form_left_open_under_another_screen_is_not_taken(app, crm):
    """The kept form left open in one mode (the palette went to the timeline): a log there gets a
    fresh form, and the kept one is still the customer's when the rep comes back."""
    store, ids = crm
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        kept = await open_log(pilot, ids["acme"])
        await pilot.press(*"for Acme")
        await app.action_show_timeline()
        await settle(pilot)
        other = new_log_form(app, store, app.config, ids["delta"])
        assert other is not kept and app.get_screen(KEPT_NAME) is kept
        app.push_screen(other)
        await settle(pilot)
        await pilot.press(*"for Delta", "enter")
        await settle(pilot)
        assert "for Delta" in summaries(store, ids["delta"])
        await app.action_show_customers()  # 1: back to the list (the open form is put away)
        await settle(pilot)
        again = await open_log(pilot, ids["beta"])
        assert again is kept and again.field("summary").raw() == ""  # reused, made new


async def test_the_backdrop_is_opaque_from_a_list_and_shows_the_detail_through(app, crm):
    """From the list (log here) the form is opaque: nothing of the list is drawn around it; over
    the customer's detail the detail shows through, dimmed."""
    from support import screen_text

    from tuicrm.ui.widgets.overdue_panel import OverdueList

    store, ids = crm
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.focused, OverdueList)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, FollowUpForm) and not app.screen.has_class("-context")
        above_form = screen_text(app).splitlines()[:3]
        assert not "".join(above_form).strip()  # the list is not drawn behind it
        await pilot.press("escape")
        await settle(pilot)
        form = await open_log(pilot, ids["acme"])  # over the detail
        assert form.has_class("-context")
        assert "Acme Trading Co." in "".join(screen_text(app).splitlines()[:3])  # the detail's head
