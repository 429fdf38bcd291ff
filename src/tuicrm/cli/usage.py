"""Usage errors in one sentence: the house rule for what Click would print as a usage dump.

Click answers an unknown option, a missing argument or a number out of range with three lines
(``Usage: …``, ``Try …``, ``Error: …``). The house rule (issue #14) is one sentence on stderr,
starting ``tuicrm:``, naming the command and pointing at its ``--help``, exit 2. ``CrmTyper``
runs the command tree with Click's standalone mode off and says the sentence itself; the fast
paths (``tuicrm.cli.fast``, ``fastwrites``) hand every malformed command line to it.
"""

from __future__ import annotations

import sys

import typer

try:  # Typer vendors its own Click (``typer._click``); older Typers used the click package
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover - depends on the installed Typer
    from click import exceptions as click_errors  # type: ignore[no-redef]

from tuicrm.cli.output import EXIT_BAD_INPUT, EXIT_NOT_FOUND, err, error_line
from tuicrm.domain.privacy import redact, sanitize_line
from tuicrm.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def command_words(ctx: Any) -> str:
    """``tuicrm report weekly``: the words the rep typed for the command (the program's own name,
    which Click guesses from ``sys.argv[0]``, is always ``tuicrm``)."""
    words: list[str] = []
    while ctx is not None and ctx.parent is not None:
        words.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(["tuicrm", *reversed([w for w in words if w])])


def words_from_argv(group: Any, argv: list[str]) -> str:
    """The command words in ``argv`` (for an error Click raised without its context): the
    command names read down the tree, skipping options and the root's ``--db`` value."""
    words = ["tuicrm"]
    skip = False
    for token in argv:
        if skip:
            skip = False
            continue
        if token == "--db" and len(words) == 1:
            skip = True
            continue
        if token.startswith("-"):
            continue
        sub = getattr(group, "commands", {}).get(token)
        if sub is None:
            break
        words.append(token)
        group = sub
    return " ".join(words)


def _detail(message: str) -> str:
    """Click's sentence as a clause: first letter lowered (unless an acronym), final period off."""
    message = " ".join((message or "").split()).rstrip(".")
    if len(message) > 1 and message[0].isupper() and not message[1].isupper():
        message = message[0].lower() + message[1:]
    return message


def _param_name(param: Any) -> str:
    if param is None:
        return ""
    if param.param_type_name == "argument":
        return (param.name or "").rstrip("_").upper()
    return "/".join(param.opts)


def usage_sentence(exc: click_errors.ClickException, command: str = "") -> str:
    """One sentence for a usage error, naming the command (``command`` when Click did not say
    which: ``tuicrm due --days`` without a value) and its ``--help``."""
    ctx = getattr(exc, "ctx", None)
    command = command_words(ctx) if ctx is not None or not command else command
    see = _("see `{command} --help`").format(command=command)
    if isinstance(exc, click_errors.NoArgsIsHelpError) and ctx is not None:  # `tuicrm add`
        names = ", ".join(ctx.command.list_commands(ctx))
        return _("`{command}` needs a command: {names} ({see}).").format(
            command=command, names=names, see=see
        )
    if isinstance(exc, click_errors.NoSuchOption):
        if exc.possibilities:
            hint = _("perhaps {options}; {see}").format(options=", ".join(sorted(exc.possibilities)), see=see)
        else:
            hint = see
        return _("`{command}` has no option {option} ({hint}).").format(
            command=command, option=redact(exc.option_name), hint=hint
        )
    if isinstance(exc, click_errors.MissingParameter):
        what = _param_name(exc.param)
        if exc.param is not None and exc.param.param_type_name == "option":
            return _("`{command}` needs the option {option} ({see}).").format(
                command=command, option=what, see=see
            )
        return _("`{command}` needs the argument {argument} ({see}).").format(
            command=command, argument=what or "?", see=see
        )
    if isinstance(exc, click_errors.BadParameter):
        name = _param_name(exc.param) or (str(exc.param_hint) if exc.param_hint else "")
        wanted = number_wanted(exc.param)
        return _("invalid value for {name}: {problem} ({see}).").format(
            name=name or _("an argument"), problem=wanted or redact(_detail(exc.message)), see=see
        )
    # What Click says echoes what the rep typed (`no such command 'x'`, `extra argument (x)`).
    return _("{problem} ({see}).").format(problem=redact(_detail(exc.format_message())), see=see)


def number_wanted(param: Any) -> str:
    """``give a whole number from 0 to 3660``: what a ranged number option takes ("" otherwise).

    Said in our words for a number out of range and for one that is no number at all, and with
    our bounds only (Click's message would echo the value, which ``redact`` would have to mask).
    """
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if low is None and high is None:
        return ""
    descriptor = getattr(param, "type_descriptor", None)
    if getattr(descriptor, "annotation", None) is int:
        kind = _("a whole number")
    else:
        kind = _("a number")
    if low is not None and high is not None:
        return _("give {kind} from {low} to {high}").format(kind=kind, low=low, high=high)
    if low is not None:
        return _("give {kind} of at least {low}").format(kind=kind, low=low)
    return _("give {kind} of at most {high}").format(kind=kind, high=high)


class CrmTyper(typer.Typer):
    """The root Typer app: Click's usage errors become one sentence, exit 2 (``usage_sentence``)."""

    _command: Any = None

    def click_command(self) -> Any:
        """The Click command, made once: Typer's conversion reads every command function's
        signature and type hints, which costs far more than most commands' work."""
        if self._command is None:
            self._command = typer.main.get_command(self)
        return self._command

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("standalone_mode", False)
        if kwargs["standalone_mode"]:
            return super().__call__(*args, **kwargs)
        try:
            result = self.click_command()(*args, **kwargs)
        except click_errors.UsageError as exc:
            argv = list(kwargs.get("args") or (args[0] if args else sys.argv[1:]))
            command = words_from_argv(self.click_command(), argv)
            # Not ``err``: the user text in it is redacted already, our bounds must stay readable.
            sys.stdout.flush()
            sys.stderr.write(sanitize_line(error_line(usage_sentence(exc, command))) + "\n")
            sys.stderr.flush()
            sys.exit(EXIT_BAD_INPUT)
        except click_errors.ClickException as exc:  # e.g. a file Click itself could not open
            err(error_line(_detail(exc.format_message()) + "."))
            sys.exit(exc.exit_code or EXIT_NOT_FOUND)
        except typer.Abort:  # a question (`undo`) met the end of its input
            err(error_line(_("no answer was given; nothing was changed.")))
            sys.exit(EXIT_NOT_FOUND)
        # Without standalone mode Click returns a typer.Exit's code instead of exiting with it.
        if isinstance(result, int) and not isinstance(result, bool) and result:
            sys.exit(result)
        return result


__all__ = ["CrmTyper", "command_words", "usage_sentence", "words_from_argv"]
