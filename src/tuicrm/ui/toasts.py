"""One vocabulary for the toasts: the same event is said the same way on every screen.

- a key that needs a highlighted row when there is none: ``pick_first(_("a lead"))`` →
  "Pick a lead first." (a warning);
- a change that ``u`` reverses: ``undoable(_("Archived {name}").format(...))`` →
  "Archived Acme — u undoes".
"""

from __future__ import annotations

from tuicrm.i18n import _


def pick_first(thing: str, hint: str | None = None) -> str:
    """ "Pick a lead first." / "Pick an activity first (a plans one).\""""
    if hint:
        return _("Pick {thing} first ({hint}).").format(thing=thing, hint=hint)
    return _("Pick {thing} first.").format(thing=thing)


def undoable(done: str) -> str:
    """What was done, and that ``u`` takes it back."""
    return _("{done} — u undoes").format(done=done)
