"""Drafts survive a killed TUI (issue #21): every form keeps what the rep types on disk; reopening
the form offers it back, through the conflict dialog when the record changed meanwhile."""

from __future__ import annotations

import os
import select as io_select
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlmodel import select
from support import screen_text, settle

from tuicrm.config import DEFAULT
from tuicrm.drafts import SUFFIX
from tuicrm.models import FollowUp
from tuicrm.paths import drafts_dir
from tuicrm.store import customers as C
from tuicrm.ui.app import make_app
from tuicrm.ui.widgets.confirm import ConfirmModal
from tuicrm.ui.widgets.conflict import ConflictScreen
from tuicrm.ui.widgets.customer_form import CustomerForm
from tuicrm.ui.widgets.followup_form import FollowUpForm

TYPED = "quote by Fri"

# The TUI in a process of its own: the customer list, `l` on the first customer, the summary
# typed; once the draft on disk holds all of it, it says so and waits to be killed.
KILLED_MID_FORM = textwrap.dedent(
    """
    import asyncio, sys
    sys.path.insert(0, {support!r})
    from support import settle
    from tuicrm.config import DEFAULT
    from tuicrm.paths import drafts_dir
    from tuicrm.store import Store
    from tuicrm.ui.app import make_app

    async def main():
        store = Store.open({db!r})
        app = make_app(store, DEFAULT)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("l")
            await settle(pilot)
            form = app.screen
            await pilot.press(*{typed!r})
            while not any({typed!r} in p.read_text() for p in drafts_dir().glob("*")):
                await asyncio.sleep(0.02)
            print("DRAFTED", form.customer_id, flush=True)
            await asyncio.sleep(60)

    asyncio.run(main())
    """
)


def _drafts() -> list[Path]:
    return sorted(drafts_dir().glob(f"*{SUFFIX}")) if drafts_dir().exists() else []


async def _open(app, pilot, form):
    await settle(pilot)
    app.push_screen(form)
    await settle(pilot)


@pytest.mark.slow(seconds=3)
async def test_a_log_form_killed_mid_sentence_is_offered_back(crm, tmp_path):
    store, _ids = crm
    script = KILLED_MID_FORM.format(support=str(Path(__file__).parent), db=str(store.path), typed=TYPED)
    tui = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        assert tui.stdout is not None
        ready, _w, _x = io_select.select([tui.stdout], [], [], 90)  # a stuck child fails, never hangs
        line = tui.stdout.readline() if ready else "(nothing within 90 s)"
        assert line.startswith("DRAFTED"), line + (tui.stdout.read() if tui.poll() is not None else "")
        os.kill(tui.pid, signal.SIGKILL)
    finally:
        tui.kill()
        tui.wait()
    customer_id = int(line.split()[1])
    [draft] = _drafts()
    assert stat.S_IMODE(draft.stat().st_mode) == 0o600
    assert stat.S_IMODE(drafts_dir().stat().st_mode) == 0o700
    kept = draft.read_bytes()

    app = make_app(store, DEFAULT)
    async with app.run_test(size=(80, 24)) as pilot:
        # Discard: the draft goes, the form is empty.
        await _open(app, pilot, FollowUpForm(store, DEFAULT, customer_id))
        assert isinstance(app.screen, ConfirmModal)
        assert "Summary" in screen_text(app) and "Restore" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, FollowUpForm) and app.screen.field("summary").raw() == ""
        assert _drafts() == []
        await pilot.press("escape")
        await settle(pilot)
        # The same draft again (as the killed process left it): restore, then log it.
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, kept)
        os.close(fd)
        await _open(app, pilot, FollowUpForm(store, DEFAULT, customer_id))
        await pilot.press("y")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FollowUpForm) and form.field("summary").raw() == TYPED
        await pilot.press("!")  # typing on continues the text
        assert form.field("summary").raw() == TYPED + "!"
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, FollowUpForm)
        assert _drafts() == []  # saved: the draft is gone
        # The app exits (as on SIGHUP) half a second after the first key: the rest is written too.
        await _open(app, pilot, FollowUpForm(store, DEFAULT, customer_id))
        await pilot.press("o", "k")
    [draft] = _drafts()
    assert '"mine": "ok"' in draft.read_text()
    with store.read() as s:
        logged = s.exec(select(FollowUp).where(FollowUp.customer_id == customer_id)).all()
        assert TYPED + "!" in [f.summary for f in logged]


async def test_a_draft_of_a_record_changed_meanwhile_goes_through_the_conflict_dialog(crm):
    store, ids = crm
    acme = ids["acme"]
    app = make_app(store, DEFAULT)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot, CustomerForm(store, DEFAULT, acme))
        form = app.screen
        form.field("industry").control.value = "Steel"
        form.field("owner").control.value = "lin"
        await pilot.pause()
        # The form goes away unsaved (the app exiting on SIGHUP unmounts it the same way): the
        # last keys, still within the half second between writes, are written on the way out.
        app.pop_screen()
        await settle(pilot)
        assert len(_drafts()) == 1 and "lin" in _drafts()[0].read_text()
        with store.write("other writer") as s:  # another rep, meanwhile
            C.update_customer(s, C.get_customer(s, acme), industry="Glass", notes="theirs")

        await _open(app, pilot, CustomerForm(store, DEFAULT, acme))
        assert isinstance(app.screen, ConfirmModal)
        assert "Someone else changed this record" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
        [conflict] = app.screen.conflicts
        assert (conflict.field, conflict.mine, conflict.theirs) == ("industry", "Steel", "Glass")
        await pilot.press("ctrl+s")  # keep mine
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CustomerForm)
        assert (form.field("industry").raw(), form.field("owner").raw()) == ("Steel", "lin")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, CustomerForm) and _drafts() == []
        # Cancel removes a draft too.
        await _open(app, pilot, CustomerForm(store, DEFAULT, acme))
        app.screen.field("owner").control.value = "wang"
        await pilot.pause()
        assert len(_drafts()) == 1
        await pilot.press("escape")
        await settle(pilot)
        assert _drafts() == []
    with store.read() as s:
        row = C.get_customer(s, acme)
        assert (row.industry, row.owner, row.notes) == ("Steel", "lin", "theirs")
