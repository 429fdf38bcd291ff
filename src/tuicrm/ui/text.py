"""Turn database strings into things Textual displays *literally*.

Textual 8 parses a plain ``str`` handed to Static, Label, DataTable cells,
notifications and command-palette help as content markup, and runs
``[@click=...]`` actions found in it. Every string that came from the database
(or from a rep's keyboard) therefore reaches a widget through one of these
helpers: as ``rich.text.Text`` (never parsed), or escaped where an API insists
on markup. Terminal escape sequences and control characters are stripped too
(SPEC §10).
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.markup import escape as _escape_markup

from tuicrm.domain.privacy import sanitize, sanitize_line

ELLIPSIS = "…"


def line(value: object | None, style: str = "") -> Text:
    """One display line of user text, as Text (never parsed as markup)."""
    return Text(sanitize_line("" if value is None else str(value)), style=style, no_wrap=True, end="")


def block(value: object | None, style: str = "") -> Text:
    """Multi-line user text (notes, summaries) as Text, newlines kept."""
    return Text(sanitize("" if value is None else str(value)) or "", style=style, end="")


def clean(value: object | None) -> str:
    """A one-line sanitised plain string, for widths and for APIs that take ``markup=False``."""
    return sanitize_line("" if value is None else str(value))


def markup_safe(value: object | None) -> str:
    """For the few APIs that always parse markup (command-palette help): escaped and sanitised."""
    return _escape_markup(clean(value))


def fit(value: str, width: int) -> str:
    """Pad or cut ``value`` to exactly ``width`` terminal cells (CJK aware), with an ellipsis."""
    if width <= 0:
        return ""
    if cell_len(value) <= width:
        return set_cell_size(value, width)
    return set_cell_size(value, width - 1) + ELLIPSIS


def truncate(value: str, width: int) -> str:
    """Cut ``value`` to at most ``width`` cells (no padding)."""
    if width <= 0:
        return ""
    if cell_len(value) <= width:
        return value
    cut = set_cell_size(value, width - 1).rstrip()
    return cut + ELLIPSIS


def labelled(
    pairs: list[tuple[str, object | None]], label_width: int = 12, label_style: str = "bold"
) -> Text:
    """``Label   value`` lines: our labels, the user's values as literal text."""
    out = Text(end="")
    first = True
    for label, value in pairs:
        if not first:
            out.append("\n")
        first = False
        out.append(fit(label, label_width), style=label_style)
        out.append(" ")
        if isinstance(value, Text):
            out.append_text(value)
        else:
            out.append_text(line(value))
    return out
