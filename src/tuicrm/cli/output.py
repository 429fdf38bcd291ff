"""What the command line writes: plain lines, tables, JSON, one-sentence errors, exit codes.

Light at import (standard library and ``tuicrm.i18n`` only): the read commands' fast path
uses it. Rich loads inside ``console()``/``text()``, Typer inside ``fail()`` (an error).
User text is sanitised before it reaches the terminal (``plain``), errors are redacted
(``err``). Public helpers (also used by ``tuicrm.bench``): ``cell_width``, ``fit``, ``pad``,
``table``, ``terminal_width``.
"""

from __future__ import annotations

import os
import sys

from tuicrm.i18n import _

TYPE_CHECKING = False  # not importing typing: a few milliseconds on every `tuicrm due`
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any, NoReturn

# Exit codes: 1 not found / failed, 2 bad input or ambiguous reference.
EXIT_OK = 0
EXIT_NOT_FOUND = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130

# One marker set in every output, beside the words (never colour alone): the TUI uses the same.
MARK_OVERDUE = "!"
MARK_TODAY = "•"


def date_mark(day: Any, today_: Any) -> str:
    """``!`` for a date before today, ``•`` for today, a space otherwise (or no date)."""
    if day is None:
        return " "
    return MARK_OVERDUE if day < today_ else (MARK_TODAY if day == today_ else " ")


BOLD_ON, BOLD_OFF = "\x1b[1m", "\x1b[0m"


def out(text: str) -> None:
    """One or more lines to stdout. A last safety net: control characters and escape sequences
    (user text a command forgot to pass through ``plain``) are removed; ``bold``'s own stay."""
    # C-fast checks (a line at a time first: a document is tens of MB), then the rare case
    if (
        not all(map(str.isprintable, text.split("\n")))
        and not text.replace("\n", "").replace("\t", "").isprintable()
    ):
        text = _printable(text)
    sys.stdout.write(text)
    sys.stdout.write("\n")


def out_lines(lines: list[str]) -> None:
    """``out("\\n".join(lines))`` without the joined text's copies: each line checked as it is."""
    if not all(map(str.isprintable, lines)):
        out("\n".join(lines))
        return
    sys.stdout.write("\n".join(lines))
    sys.stdout.write("\n")


def _printable(text: str) -> str:
    from tuicrm.domain.privacy import sanitize

    kept = text.replace(BOLD_ON, "\ue000").replace(BOLD_OFF, "\ue001")
    clean = sanitize(kept) or ""
    return clean.replace("\ue000", BOLD_ON).replace("\ue001", BOLD_OFF)


def err(text: str) -> None:
    """Errors may echo what the rep typed (a phone number where a name was expected): mask it,
    and remove the control characters and escape sequences it may carry (ESC, OSC, C1, BEL)."""
    from tuicrm.domain.privacy import redact, sanitize

    sys.stdout.flush()
    sys.stderr.write(redact(sanitize(text)) + "\n")
    sys.stderr.flush()


def error_line(message: str) -> str:
    """``tuicrm: <message>``: how every error sentence starts."""
    return _("tuicrm: {message}").format(message=message)


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """Print ``message`` as one error sentence and leave with ``code`` (a ``typer.Exit``)."""
    import typer

    err(error_line(message))
    raise typer.Exit(code)


def plain(value: object) -> str:
    """User text for one terminal line: control and escape characters removed."""
    from tuicrm.domain.privacy import sanitize_line

    return sanitize_line("" if value is None else str(value))


def ambiguous(message: str, candidates: Iterable[tuple[str, str]]) -> None:
    """The ambiguous-reference error: the message, then one candidate per line."""
    lines = [error_line(_("{message} Say which one:").format(message=message))]
    lines += [f"  {code}  {plain(name)}" for code, name in candidates]
    err("\n".join(lines))


def print_json(data: Any) -> None:
    import json

    from tuicrm.domain.privacy import json_escape_controls

    # ensure_ascii=False keeps 精密 readable; C1/bidi characters still go out as \uXXXX escapes.
    out(json_escape_controls(json.dumps(data, ensure_ascii=False, indent=2, default=str)))


def console(stderr: bool = False) -> Any:
    """A Rich console that never parses markup or emoji in what it prints."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, markup=False, emoji=False, soft_wrap=False)


def text(value: object) -> Any:
    """User text as a Rich Text: never parsed as markup, escapes stripped."""
    from rich.text import Text

    return Text(plain(value))


# -- plain-text tables (no Rich on the read path) ----------------------------------------------


def cell_width(value: str) -> int:
    """Terminal cells: East Asian wide/full-width characters take two, combining marks none."""
    if value.isascii():
        return len(value)
    from unicodedata import combining, east_asian_width

    return sum(0 if combining(ch) else (2 if east_asian_width(ch) in "WF" else 1) for ch in value)


def fit(value: str, width: int) -> str:
    """Cut ``value`` to ``width`` cells, marking the cut with an ellipsis."""
    if cell_width(value) <= width:
        return value
    kept: list[str] = []
    used = 0
    for ch in value:
        w = cell_width(ch)
        if used + w > width - 1:
            break
        kept.append(ch)
        used += w
    return "".join(kept) + "…"


def pad(value: str, width: int) -> str:
    """``value`` followed by spaces up to ``width`` terminal cells."""
    return value + " " * max(0, width - cell_width(value))


def bold(value: str) -> str:
    if sys.stdout.isatty() and not os.environ.get("NO_COLOR"):
        return f"{BOLD_ON}{value}{BOLD_OFF}"
    return value


def terminal_width() -> int | None:
    """The width to fit tables to on a terminal; None when writing to a pipe or file (full text)."""
    if not sys.stdout.isatty():
        return None
    try:
        return int(os.environ.get("COLUMNS") or os.get_terminal_size(sys.stdout.fileno()).columns)
    except (OSError, ValueError):
        return 80


def table(headers: list[str], rows: list[list[str]], flexible: tuple[int, ...] = ()) -> list[str]:
    """Left-aligned columns two spaces apart (user text already sanitised); the ``flexible``
    columns shrink, widest first, when a terminal is too narrow."""
    widths = [max([cell_width(h)] + [cell_width(r[i]) for r in rows]) for i, h in enumerate(headers)]
    limit = terminal_width()
    if limit and flexible:
        while sum(widths) + 2 * (len(widths) - 1) > limit:
            col = max(flexible, key=lambda i: widths[i])
            if widths[col] <= 8:
                break
            widths[col] -= 1
        rows = [[fit(v, widths[i]) if i in flexible else v for i, v in enumerate(r)] for r in rows]
    lines = []
    for r in [headers] + rows:
        cells = [pad(v, widths[i]) for i, v in enumerate(r[:-1])] + [r[-1]]
        lines.append("  ".join(cells).rstrip())
    lines[0] = bold(lines[0])
    return lines


def grouped(n: int) -> str:
    """``12 345``: thousands grouped with a space."""
    return f"{n:,}".replace(",", " ")
