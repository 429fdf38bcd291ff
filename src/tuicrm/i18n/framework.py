"""Click's and Typer's own words in ``--help`` (``Usage:``, ``Options``, ``[required]`` …) in the
rep's language.

Click and Typer ask the standard library's ``gettext`` for them, in its global domain, which knows
nothing of our catalogue. ``install()`` points their ``_`` at ours; the words are listed below so
that ``pybabel extract`` puts them in the catalogue like any other message. Only the command-line
path that builds the Typer app calls it (``tuicrm.cli.app``), and only for a translated language.
"""

from __future__ import annotations

import sys
from typing import Any

from tuicrm import i18n
from tuicrm.i18n import _

# The modules that bind ``from gettext import gettext as _`` and print help or usage (Typer
# carries its own copy of Click, ``typer._click``, whose few words are plain literals: see below).
MODULES = ("typer.core", "typer.rich_utils", "click.core", "click.formatting", "click.decorators")
_patched = False


def words() -> list[str]:
    """The framework's messages we translate (never called to show them: listed for extraction)."""
    return [
        _("Usage:"),
        _("Options"),
        _("Arguments"),
        _("Commands"),
        _("required"),
        _("default: {default}"),
        _("env var: {var}"),
        _("(dynamic)"),
        _("Show this message and exit."),
        _("Show the version and exit."),
        _("Aborted!"),
        _("Missing command."),
        _("Install completion for the current shell."),
        _("Show completion for the current shell, to copy it or customize the installation."),
    ]


def install() -> None:
    """Translate the framework's words through our catalogue (a no-op in English)."""
    global _patched
    if _patched or i18n.catalogue(i18n.language()) is None:
        return
    _patched = True
    for name in MODULES:
        module = sys.modules.get(name)
        if module is not None and callable(getattr(module, "_", None)):
            module._ = i18n._  # type: ignore[attr-defined]
    _patch_vendored_click()
    # Typer's completion options carry their help as plain text: translate it on the options.
    completion = sys.modules.get("typer.completion")
    placeholder = getattr(completion, "_install_completion_placeholder_function", None)
    for option in getattr(placeholder, "__defaults__", None) or ():
        if getattr(option, "help", None):
            option.help = i18n._(option.help)


def _patch_vendored_click() -> None:
    """``Usage:`` and the help option's text in Typer's copy of Click (translated when shown, so
    an English run in the same process stays English)."""
    try:
        from typer._click import core, formatting
    except ImportError:  # another Typer: its words stay English
        return
    write_usage = formatting.HelpFormatter.write_usage

    def translated_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, _("Usage:") + " " if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = translated_usage  # type: ignore[method-assign]
    get_help_option = core.Command.get_help_option

    def translated_help_option(self: Any, ctx: Any) -> Any:
        option = get_help_option(self, ctx)
        if option is not None and option.help == "Show this message and exit.":
            option.help = _("Show this message and exit.")
        return option

    core.Command.get_help_option = translated_help_option  # type: ignore[method-assign]


__all__ = ["install", "words", "MODULES"]
