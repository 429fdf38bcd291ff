"""Translations: every message a rep reads goes through ``_()`` (gettext, domain ``tuicrm``).

The catalogues live in ``tuicrm/i18n/locale/<lang>/LC_MESSAGES/tuicrm.mo``; English is the
source language, so a missing catalogue or message shows the English text. The language is
chosen on first use (``TUICRM_LANG``, else the locale variables). Light at import and on the
English path: ``gettext`` (which pulls in ``re`` and ``enum``) loads only when a catalogue for
the rep's language exists, so ``tuicrm due`` pays nothing for it. Wave 2 adds zh_CN and the
switch from the palette.
"""

from __future__ import annotations

import os

DOMAIN = "tuicrm"
LOCALE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "locale")

TYPE_CHECKING = False  # not ``typing``'s: this module is on the CLI's start-up path
if TYPE_CHECKING:
    from gettext import NullTranslations


class _SourceText:
    """The source (English) text itself: what gettext's NullTranslations does, without gettext."""

    def gettext(self, message: str) -> str:
        return message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural


_translation: NullTranslations | _SourceText | None = None


def language() -> str:
    """The language asked for: ``TUICRM_LANG``, else ``LC_ALL``/``LC_MESSAGES``/``LANG``, else ``en``."""
    for name in ("TUICRM_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return value.split(".", 1)[0]
    return "en"


def catalogue(lang: str) -> str | None:
    """The compiled catalogue for ``lang`` (``zh_CN``, then ``zh``), or None."""
    for candidate in dict.fromkeys((lang, lang.split("_", 1)[0])):
        path = os.path.join(LOCALE_DIR, candidate, "LC_MESSAGES", DOMAIN + ".mo")
        if os.path.isfile(path):
            return path
    return None


def _load() -> NullTranslations | _SourceText:
    global _translation
    if _translation is None:
        path = catalogue(language())
        if path is None:
            _translation = _SourceText()
        else:
            from gettext import GNUTranslations

            with open(path, "rb") as fh:
                _translation = GNUTranslations(fh)
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


__all__ = ["_", "ngettext", "language", "catalogue", "reset", "DOMAIN", "LOCALE_DIR"]
