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


def _width(text: str) -> int:
    if text.isascii() and text.isprintable():  # one column each (Rich says so too, slower)
        return len(text)
    from rich.cells import cell_len  # East Asian characters take two columns

    return cell_len(text)


def md_table(table: Table) -> list[str]:
    """A GitHub-flavoured Markdown table with its pipes lined up (readable as plain text too)."""
    align = table.aligned()
    header = [md_cell(h) for h in table.header]
    rows = [([md_cell(c) for c in r] + [""] * len(header))[: len(header)] for r in table.rows]
    # Each cell measured once (tens of thousands in the receivables report).
    sized = [(r, [_width(c) for c in r]) for r in [header, *rows]]
    widths = [max([3] + [w[i] for _r, w in sized]) for i in range(len(header))]
    rights = [a == "r" for a in align]

    def line(cells: list[str], cell_widths: list[int]) -> str:
        padded = [
            (" " * (w - n) + c if right else c + " " * (w - n)) if n < w else c
            for c, n, w, right in zip(cells, cell_widths, widths, rights, strict=True)
        ]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join(
        ("-" * (w + 1) + ":") if a == "r" else ("-" * (w + 2)) for w, a in zip(widths, align, strict=True)
    )
    return [line(*sized[0]), rule + "|", *(line(r, w) for r, w in sized[1:])]


def to_markdown(doc: Document) -> str:
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
    return "\n".join(out)


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
    cells = [_line(c) for row in table.rows for c in (row + [""] * width)[:width]]
    texts = html.escape("\x00".join(cells), quote=True).split("\x00") if cells else []

    out = [
        f"<table {_TABLE}>",
        "<thead><tr>" + "".join(cell("th", h, a) for h, a in zip(table.header, align, strict=True)),
    ]
    out[-1] += "</tr></thead>"
    out += ["<tbody>"]  # markup, not words: += (the i18n scan reads every append as text)
    out += [row_markup % tuple(texts[k : k + width]) for k in range(0, len(texts), max(1, width))]
    out += ["</tbody>", "</table>"]
    return out


def to_html(doc: Document) -> str:
    """A self-contained HTML document (inline styles only) that pastes into a mail as it looks."""
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
    return "\n".join(out)


def render(doc: Document, fmt: str) -> str:
    return to_html(doc) if fmt == "html" else to_markdown(doc)
