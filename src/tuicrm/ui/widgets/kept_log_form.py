"""One log form kept for the whole session, made new for each customer (issue #20).

Logging a follow-up is what a rep does most: dozens of times a morning. Building the form (~110
widgets, styled and laid out) took 170-230 ms each time at 100 000 customers, and its removal
left a full garbage collection behind. ``new_log_form`` builds it once; afterwards the same form
(installed on the app, so a dismissal keeps it mounted) is reset for the next customer: every
field back to what a new form shows, the customer's contacts and deals, the title, the draft of
that customer's log. It opens like a screen switch.

A fresh form is built instead while the kept one is on a screen stack (open, or put away under
another mode's screen), when it was made in another language (its labels are the old language's),
and for a correction of a logged follow-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import App

from tuicrm import i18n
from tuicrm.config import Config
from tuicrm.query.customers import CustomerBrief
from tuicrm.store import Store
from tuicrm.ui.textual_compat import on_a_stack

if TYPE_CHECKING:
    from tuicrm.ui.widgets.followup_form import FollowUpForm

KEPT_NAME = "tuicrm-kept-log-form"


def new_log_form(
    app: App[Any],
    store: Store,
    config: Config,
    customer_id: int,
    brief: CustomerBrief | None = None,
    *,
    over_detail: bool = False,
) -> FollowUpForm:
    """A form logging a new follow-up for ``customer_id``: the kept one, reset, when it can be.

    ``over_detail``: opened over the customer's detail, which shows through (``-context``); from a
    list the form is opaque (app.tcss)."""
    from tuicrm.ui.widgets.followup_form import FollowUpForm

    kept = _kept(app)
    if kept is not None and _reusable(app, kept, store, config):
        kept.reopen(customer_id, brief)
        form = kept
    else:
        form = FollowUpForm(store, config, customer_id, brief=brief)
        if kept is None or not on_a_stack(app, kept):  # else it is open, maybe in another mode
            _replace_kept(app, kept, form)
    form.set_class(over_detail, "-context")
    return form


def _kept(app: App[Any]) -> FollowUpForm | None:
    from tuicrm.ui.widgets.followup_form import FollowUpForm

    if not app.is_screen_installed(KEPT_NAME):
        return None
    screen = app.get_screen(KEPT_NAME)
    return screen if isinstance(screen, FollowUpForm) else None


def _reusable(app: App[Any], form: FollowUpForm, store: Store, config: Config) -> bool:
    return (
        form.is_running
        and not on_a_stack(app, form)
        and form.entry is None
        and form.complete
        and not form.saving
        and form.store is store
        and form.config is config
        and form.language == i18n.language()
    )


def _replace_kept(app: App[Any], old: FollowUpForm | None, form: FollowUpForm) -> None:
    if old is not None:
        app.uninstall_screen(KEPT_NAME)
        if old.is_running:
            old.remove()  # nobody shows it: its widgets go
    app.install_screen(form, KEPT_NAME)
