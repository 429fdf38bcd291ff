"""Report formatting shared by the five reports: Rich tables that fit the terminal, bars,
figures (the Markdown and HTML documents are ``report_document``'s). Rich loads inside ``Rows.print``."""

from __future__ import annotations

from typing import Any

from tuicrm.i18n import _, ngettext


class Rows:
    """A borderless Rich table printed to fit the console: ``cut`` columns (names, free text) get
    what width is left and end in an ellipsis, ``wrap`` columns wrap; the figures never do."""

    def __init__(
        self,
        *columns: str,
        right: tuple[int, ...] = (),
        cut: tuple[int, ...] = (),
        wrap: tuple[int, ...] = (),
        title: str | None = None,
        bold_first: bool = False,
    ) -> None:
        self.columns, self.right, self.cut, self.wrap, self.title = columns, right, cut, wrap, title
        self.bold_first = bold_first
        self.rows: list[tuple[Any, ...]] = []
        self.sections: set[int] = set()

    def add(self, *cells: Any, end_section: bool = False) -> None:
        if end_section:
            self.sections.add(len(self.rows))
        self.rows.append(cells)

    def print(self, console: Any) -> None:
        from rich.cells import cell_len
        from rich.table import Table
        from rich.text import Text

        def width(cell: Any) -> int:
            return cell.cell_len if isinstance(cell, Text) else cell_len(str(cell))

        natural = [max([cell_len(c)] + [width(r[i]) for r in self.rows]) for i, c in enumerate(self.columns)]
        limits: dict[int, int] = {}
        total = sum(natural) + 2 * (len(natural) - 1)
        if self.cut and total > console.width:
            fixed = sum(w for i, w in enumerate(natural) if i not in self.cut) + 2 * (len(natural) - 1)
            room = max(8 * len(self.cut), console.width - fixed)
            want = sum(natural[i] for i in self.cut) or 1
            for i in self.cut:
                limits[i] = max(8, room * natural[i] // want)
        if self.title:
            console.print(Text(self.title, style="bold"))
        show_header = any(self.columns)
        table = Table(box=None, pad_edge=False, header_style="bold", show_header=show_header)
        for i, c in enumerate(self.columns):
            table.add_column(
                c,
                justify="right" if i in self.right else "left",
                no_wrap=i not in self.wrap,
                overflow="fold" if i in self.wrap else "ellipsis",
                max_width=limits.get(i),
                style="bold" if (i == 0 and self.bold_first) else None,
            )
        for n, r in enumerate(self.rows):
            table.add_row(*r, end_section=(n + 1) in self.sections)
        console.print(table)


def bar(value: float, top: float, width: int) -> str:
    """A horizontal bar of block characters (eighths), ``width`` cells at ``top``."""
    if top <= 0 or value <= 0:
        return ""
    eighths = round(value / top * width * 8)
    return "█" * (eighths // 8) + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[eighths % 8]


def money(v: Any) -> str:
    from tuicrm.domain.reports import money_label

    return money_label(v)


def days(v: float | None) -> str:
    return "—" if v is None else f"{v:.1f}"


def customers(n: int) -> str:
    return ngettext("{n} customer", "{n} customers", n).format(n=n)


def deals(n: int) -> str:
    return ngettext("{n} deal", "{n} deals", n).format(n=n)


def more_line(n: int) -> str:
    return _("… and {count} more").format(count=n)
