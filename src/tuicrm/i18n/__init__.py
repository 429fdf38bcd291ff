"""Translations: every message a rep reads goes through ``_()`` (gettext, domain ``tuicrm``).

The catalogues live in ``tuicrm/i18n/locale/<lang>/LC_MESSAGES/tuicrm.po``; English is the
source language, so a missing catalogue or message shows the English text. The language is
chosen once, on first use (``TUICRM_LANG``, else the locale variables), so importing this
module costs nothing at start-up. Wave 2 adds zh_CN and the switch from the palette.
"""

from __future__ import annotations

import gettext as _gettext
import os
from pathlib import Path

DOMAIN = "tuicrm"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_translation: _gettext.NullTranslations | None = None


def language() -> str:
    """The language asked for: ``TUICRM_LANG``, else ``LC_ALL``/``LC_MESSAGES``/``LANG``, else ``en``."""
    for name in ("TUICRM_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return value.split(".", 1)[0]
    return "en"


def _load() -> _gettext.NullTranslations:
    global _translation
    if _translation is None:
        _translation = _gettext.translation(DOMAIN, LOCALE_DIR, languages=[language(), "en"], fallback=True)
    return _translation


def reset() -> None:
    """Forget the loaded catalogue (the language changed; tests)."""
    global _translation
    _translation = None


def _(message: str) -> str:
    """The translation of ``message`` in the rep's language (the English text when there is none)."""
    return _load().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """``singular`` or ``plural`` for ``n``, translated."""
    return _load().ngettext(singular, plural, n)


__all__ = ["_", "ngettext", "language", "reset", "DOMAIN", "LOCALE_DIR"]
