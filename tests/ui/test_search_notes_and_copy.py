"""Issue #21 in the TUI: ctrl+t in the list's search also searches notes and follow-ups (the hits
listed under the list, each saying where it matched), and y on the detail copies a shown phone
number through the terminal (OSC 52), never a masked one. One app run."""

from __future__ import annotations

from support import notified, screen_text, settle

from tuicrm.ui.screens.customer_detail import CustomerDetailScreen
from tuicrm.ui.widgets.search_hits import SearchHits
from tuicrm.ui.widgets.search_input import SearchInput


async def test_search_reaches_follow_ups_and_y_copies_only_a_shown_phone(app, crm):
    _store, ids = crm
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        search = app.screen.query_one(SearchInput)
        hits = app.screen.query_one(SearchHits)
        assert search.placeholder == "/ search: name, code, contact, phone, email" and not hits.display
        await pilot.press("ctrl+t")
        assert "notes, follow-ups" in search.placeholder and hits.display  # said in words
        search.value = "quote"  # as typed, in one step
        await settle(pilot)
        prompts = [str(hits.get_option_at_index(i).prompt) for i in range(hits.option_count)]
        # no name holds "quote"; Acme's follow-up of 2026-11-12 does (the newest that matches)
        assert len(prompts) == 1 and "Acme Trading Co." in prompts[0]
        assert prompts[0] == "C000001 Acme Trading Co. · follow-up 2026-11-12: “…plant, they want a quote”"
        assert "Also in notes and follow-ups: 1 customer" in screen_text(app)
        hits.focus()
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, CustomerDetailScreen) and detail.customer_id == ids["acme"]
        await pilot.press("y")  # masked: not copied, and the rep is told why
        assert app.clipboard == ""
        assert "The phone number is masked: press r to show it, then y to copy it." in notified(app)
        await pilot.press("r", "y")
        assert app.clipboard == "13812345678"
        assert "Copied 13812345678" in notified(app)
        await pilot.press("j", "y")  # the selected contact's number
        assert app.clipboard == "13900001111"
        search.action_toggle_all_text()  # off again: the hits go, the search line is as before
        assert (
            not hits.has_class("-on") and search.placeholder == "/ search: name, code, contact, phone, email"
        )
