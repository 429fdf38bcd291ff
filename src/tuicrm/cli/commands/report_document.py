"""A report as a mail-ready document: headings, tables and paragraphs, written as Markdown or HTML.

Each report builds one ``Document`` (``*_document`` in ``report_activity`` / ``report_money`` /
``report_ledger``); ``to_markdown`` and ``to_html`` write it. User text is data in both: in
Markdown a table cell escapes only what would break the cell (``|``; newlines become spaces), so a
name reads as typed (``Stark Foods Corp.``, not ``Stark Foods Corp\\.``); in HTML every value is
escaped, so ``<script>`` or ``[@click=…]`` is shown as text and never acts. The Markdown tables
are padded to the same width per column, so they read as tables in a plain-text mail too.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    align: str = ""  # one letter per column: l (left) or r (right); missing ones are left

    def aligned(self) -> str:
        return self.align[: len(self.header)].ljust(len(self.header), "l")


@dataclass
class Heading:
    text: str
    level: int = 2


@dataclass
class Paragraph:
    text: str


@dataclass
class Document:
    """A report's blocks in order. ``title`` is the first heading (and the HTML page title)."""

    title: str
    blocks: list[Heading | Table | Paragraph] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.blocks:
            self.blocks.append(Heading(self.title, 2))

    def heading(self, text: str, level: int = 3) -> None:
        self.blocks.append(Heading(text, level))

    def table(self, header: list[str], rows: list[list[str]], align: str = "") -> None:
        self.blocks.append(Table(header, rows, align))

    def para(self, text: str) -> None:
        self.blocks.append(Paragraph(text))

    def extend(self, other: Document) -> None:
        """Another document (a second currency's table) after this one."""
        self.blocks += other.blocks


def _line(value: object) -> str:
    """User text on one line, without control characters or escape sequences."""
    text = "" if value is None else str(value)
    if text.isprintable():  # what sanitize_line removes or joins is never printable
        return text
    from tuicrm.domain.privacy import sanitize_line

    return sanitize_line(text)


# -- Markdown -----------------------------------------------------------------------------------


def md_cell(value: object) -> str:
    """A table cell: one line, ``|`` escaped (the only character that breaks a GFM cell)."""
    return _line(value).replace("|", "\\|")


class _Cells(dict[int, str]):
    """A character's terminal width as a text of that length, for ``str.translate``: Rich's
    ``cell_len`` of each character, asked once per character."""

    def __missing__(self, code: int) -> str:
        from rich.cells import cell_len  # East Asian characters take two columns

        text = self[code] = "x" * cell_len(chr(code))
        return text


_CELLS = _Cells()


def _width(text: str) -> int:
    """Rich's ``cell_len``: one column per character of an ASCII printable text; else the sum of
    each character's width (what ``cell_len`` adds up), unless a joiner or variation selector
    makes characters one: then ``cell_len`` itself."""
    if text.isascii() and text.isprintable():  # one column each (Rich says so too, slower)
        return len(text)
    if "\u200d" in text or "\ufe0f" in text:
        from rich.cells import cell_len

        return cell_len(text)
    return len(text.translate(_CELLS))


def _md_cells(values: Iterable[object]) -> list[str]:
    """``md_cell`` of each value: a printable text without ``|`` is its own cell."""
    return [c if type(c) is str and "|" not in c and c.isprintable() else md_cell(c) for c in values]


def md_table(table: Table) -> list[str]:
    """A GitHub-flavoured Markdown table with its pipes lined up (readable as plain text too).
    Built column by column (tens of thousands of rows in the receivables report), each cell
    measured once."""
    align = table.aligned()
    count = len(table.header)
    header = _md_cells(table.header)
    if not count:
        return ["|  |", "||", *("|  |" for _ in table.rows)]
    rows = [r if len(r) == count else (list(r) + [""] * count)[:count] for r in table.rows]
    columns = [_md_cells(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in header]
    padded, widths = [], []
    for title, cells, a in zip(header, columns, align, strict=True):
        sizes = [_width(c) for c in [title, *cells]]
        w = max(3, *sizes)
        widths.append(w)
        if a == "r":
            padded.append(
                [" " * (w - n) + c if n < w else c for c, n in zip([title, *cells], sizes, strict=True)]
            )
        else:
            padded.append(
                [c + " " * (w - n) if n < w else c for c, n in zip([title, *cells], sizes, strict=True)]
            )
    rule = "|" + "|".join(
        ("-" * (w + 1) + ":") if a == "r" else ("-" * (w + 2)) for w, a in zip(widths, align, strict=True)
    )
    lines = ["| " + " | ".join(cells) + " |" for cells in zip(*padded, strict=True)]
    return [lines[0], rule + "|", *lines[1:]]


def to_markdown(doc: Document) -> str:
    return "\n".join(markdown_lines(doc))


def markdown_lines(doc: Document) -> list[str]:
    out: list[str] = []
    for block in doc.blocks:
        if out:
            out.append("")
        if isinstance(block, Heading):
            out.append("#" * block.level + " " + _line(block.text))
        elif isinstance(block, Table):
            out += md_table(block)
        else:
            out.append(md_paragraph(block.text))
    return out


def md_paragraph(value: object) -> str:
    """A paragraph: one line; a first character that would start a list, heading or quote
    (``* current month…``) is escaped, nothing else (names read as typed)."""
    line = _line(value)
    return "\\" + line if line[:1] in ("*", "-", "+", "#", ">") else line


# -- HTML ---------------------------------------------------------------------------------------

# Inline styles: mail clients drop <style> blocks but keep these.
_TABLE = 'style="border-collapse: collapse; font-family: sans-serif; font-size: 14px"'
_CELL = "border: 1px solid #ccc; padding: 4px 8px"


def _h(value: object) -> str:
    return html.escape(_line(value), quote=True)


def html_table(table: Table) -> list[str]:
    align = table.aligned()

    def cell(tag: str, value: str, a: str) -> str:
        style = _CELL + ("; text-align: right" if a == "r" else "; text-align: left")
        return f'<{tag} style="{style}">{_h(value)}</{tag}>'

    # A body row's markup, made once (tens of thousands of rows), its cells escaped in one call:
    # joined by NUL, which no sanitised cell holds and escaping never makes.
    width = len(align)
    opens = [f'<td style="{_CELL}; text-align: {"right" if a == "r" else "left"}">' for a in align]
    row_markup = "<tr>" + "".join(o.replace("%", "%%") + "%s</td>" for o in opens) + "</tr>"
    rows = [r if len(r) == width else (list(r) + [""] * width)[:width] for r in table.rows]
    cells = [c if type(c) is str and c.isprintable() else _line(c) for row in rows for c in row]
    texts = html.escape("\x00".join(cells), quote=True).split("\x00") if cells else []

    out = [
        f"<table {_TABLE}>",
        "<thead><tr>" + "".join(cell("th", h, a) for h, a in zip(table.header, align, strict=True)),
    ]
    out[-1] += "</tr></thead>"
    out += ["<tbody>"]  # markup, not words: += (the i18n scan reads every append as text)
    if width:  # each row's cells as a tuple (the same iterator zipped with itself), filled in C
        out += map(row_markup.__mod__, zip(*[iter(texts)] * width, strict=False))
    out += ["</tbody>", "</table>"]
    return out


def to_html(doc: Document) -> str:
    """A self-contained HTML document (inline styles only) that pastes into a mail as it looks."""
    return "\n".join(html_lines(doc))


def html_lines(doc: Document) -> list[str]:
    out = [
        "<!DOCTYPE html>",
        '<html><head><meta charset="utf-8">',
        f"<title>{_h(doc.title)}</title></head>",
        '<body style="font-family: sans-serif">',
    ]
    for block in doc.blocks:
        if isinstance(block, Heading):
            out += [f"<h{block.level}>{_h(block.text)}</h{block.level}>"]
        elif isinstance(block, Table):
            out += html_table(block)
        else:
            out += [f"<p>{_h(block.text)}</p>"]
    out += ["</body></html>"]
    return out


def render(doc: Document, fmt: str) -> str:
    return to_html(doc) if fmt == "html" else to_markdown(doc)


def render_lines(doc: Document, fmt: str) -> list[str]:
    """``render``'s lines (a document of tens of megabytes is written without joining them first)."""
    return html_lines(doc) if fmt == "html" else markdown_lines(doc)
