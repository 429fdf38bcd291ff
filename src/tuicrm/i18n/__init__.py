"""Translations: every message a rep reads goes through ``_()`` (gettext, domain ``tuicrm``).

The catalogues live in ``tuicrm/i18n/locale/<lang>/LC_MESSAGES/tuicrm.mo``, compiled from the
``.po`` next to them at build time (hatch_build.py); English is the source language, so a missing
catalogue or message shows the English text. The language is chosen on first use:
``TUICRM_LANG``, else ``language`` in the config file, else ``LC_ALL``/``LC_MESSAGES``/``LANG``;
the TUI's palette switches it at run time (``set_language``). Light at import and on the English
path: ``gettext`` (which pulls in ``re`` and ``enum``) loads only when a catalogue for the rep's
language exists, so ``tuicrm due`` pays nothing for it.
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

    def pgettext(self, context: str, message: str) -> str:
        return message


_translation: NullTranslations | _SourceText | None = None
_chosen: str | None = None  # set_language(): the palette's choice, above everything else

# The languages the rep can pick (the palette's switch, ``language`` in the config file).
LANGUAGES = ("en", "zh_CN")


def _config_file() -> str:
    from tuicrm.paths import config_path

    return os.environ.get("TUICRM_CONFIG") or str(config_path())


def configured_language(path: str | None = None) -> str | None:
    """``language = "zh_CN"`` at the top of the config file, or None.

    A line scan, not TOML: this runs on every CLI start, and ``tomllib`` pulls in ``re``.
    ``load_config`` checks the whole file properly (and rejects a bad value) when it is read.
    """
    path = path or _config_file()
    if not os.path.isfile(path):
        return None
    try:
        with open(path, encoding="utf-8") as fh:
            for raw in fh:
                line = raw.split("#", 1)[0].strip()
                if line.startswith("["):
                    return None  # past the top-level keys
                key, eq, value = line.partition("=")
                if eq and key.strip() == "language":
                    return value.strip().strip("\"'").strip() or None
    except (OSError, UnicodeDecodeError):
        return None  # load_config reports an unreadable file in words
    return None


def language() -> str:
    """The language asked for: the palette's choice, ``TUICRM_LANG``, ``language`` in the config
    file, else ``LC_ALL``/``LC_MESSAGES``/``LANG``, else ``en``."""
    if _chosen:
        return _chosen
    value = os.environ.get("TUICRM_LANG") or configured_language()
    if value:
        return value.split(".", 1)[0]
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return value.split(".", 1)[0]
    return "en"


def is_chinese() -> bool:
    """The rep reads Chinese (``zh``, ``zh_CN``, ``zh_SG`` …: the one Chinese catalogue)."""
    return language().lower().startswith("zh")


def catalogue(lang: str) -> str | None:
    """The compiled catalogue for ``lang`` (``zh_CN``, then ``zh``), or None. Any Chinese
    locale (``zh``, ``zh_SG``, ``zh_TW``) falls back to the one Chinese catalogue, zh_CN."""
    fallback = ("zh_CN",) if lang.lower().startswith("zh") else ()
    for candidate in dict.fromkeys((lang, lang.split("_", 1)[0], *fallback)):
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
    """Forget the loaded catalogue and any language set at run time (the language changed; tests)."""
    global _translation, _chosen
    _translation = None
    _chosen = None


def set_language(lang: str | None) -> None:
    """Show ``lang`` from now on (the palette's switch); None goes back to the configured one.
    Text already on screen keeps its language until it is drawn again."""
    global _translation, _chosen
    _chosen = lang
    _translation = None


class Message(str):
    """A translated message that remembers what it translates (``_()``'s result).

    It is a plain ``str`` to everyone else. Text translated once and kept — binding descriptions,
    column titles, the palette's commands, made when their module is imported — is translated
    again after a language switch through ``retranslate`` (tuicrm.ui.language walks them).
    """

    source: tuple[str, ...]


def _tag(text: str, source: tuple[str, ...]) -> Message:
    message = Message(text)
    message.source = source
    return message


def _(message: str) -> str:
    """The translation of ``message`` in the rep's language (the English text when there is none)."""
    return _tag(_load().gettext(message), ("", message))


def ngettext(singular: str, plural: str, n: int) -> str:
    """``singular`` or ``plural`` for ``n``, translated."""
    return _tag(_load().ngettext(singular, plural, n), ("n", singular, plural, str(n)))


def pgettext(context: str, message: str) -> str:
    """``message`` translated in ``context`` (a status word and a stage word may differ)."""
    return _tag(_load().pgettext(context, message), ("p", context, message))


def retranslate(text: str) -> str:
    """``text`` in the current language when ``_()`` made it (any other string as it is)."""
    if not isinstance(text, Message):
        return text
    kind, *args = text.source
    if kind == "n":
        return ngettext(args[0], args[1], int(args[2]))
    if kind == "p":
        return pgettext(args[0], args[1])
    return _(args[0])


__all__ = [
    "_",
    "ngettext",
    "pgettext",
    "language",
    "configured_language",
    "is_chinese",
    "catalogue",
    "reset",
    "set_language",
    "retranslate",
    "Message",
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
]
