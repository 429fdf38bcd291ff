"""The .csv and .json writers: rows go from the cursor to the file one at a time.

The JSON file is the same text ``json.dumps(data, ensure_ascii=False, indent=2)`` gives for the
whole export, written section by section and row by row: each row is encoded by the C encoder
with the indented separators (rows hold only scalars, so the text is identical)."""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, BinaryIO

from tuicrm.io.export.common import STEP, Progress, cell, columns, counted, guard, label

ROW_INDENT = "\n      "
CHUNK = 1000
ROW_OPEN, ROW_NEXT = b"\n    ", b",\n    "  # before a section's first row, between rows


def write_csv(
    fh: BinaryIO, kind: str, records: Iterable[dict[str, Any]], lang: str, progress: Progress | None
) -> int:
    """One kind as CSV: UTF-8 with a BOM (Excel opens Chinese text correctly; the importer strips
    the BOM), formula-looking text guarded. Returns the rows written."""
    fh.write(codecs.BOM_UTF8)
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    cols = columns(kind)
    w.writerow([label(kind, c, lang) for c in cols])
    n = 0
    for r in counted(records, progress):
        w.writerow([cell(guard(r.get(c)), for_csv=True) for c in cols])
        n += 1
        if n % CHUNK == 0:  # one encode and write per chunk, not per row
            fh.write(buf.getvalue().encode("utf-8"))
            buf.seek(0)
            buf.truncate()
    fh.write(buf.getvalue().encode("utf-8"))
    return n


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


_row_encoder = json.JSONEncoder(ensure_ascii=False, separators=("," + ROW_INDENT, ": "), default=_default)
_value_encoder = json.JSONEncoder(ensure_ascii=False, default=_default)


def _row_text(row: dict[str, Any]) -> str:
    body = _row_encoder.encode(row)
    if body == "{}":
        return "{}"
    return "{" + ROW_INDENT + body[1:-1] + "\n    }"


@dataclass
class RowTexts:
    """A section's rows as UTF-8 JSON texts (``_row_text``'s), a batch (list) at a time."""

    batches: Iterator[list[bytes]]

    def __iter__(self) -> Iterator[list[bytes]]:
        return self.batches


def write_json(
    fh: BinaryIO,
    head: dict[str, Any],
    sections: Iterable[tuple[str, Iterable[dict[str, Any]] | RowTexts]],
    progress: Progress | None,
) -> dict[str, int]:
    """``head``'s scalar keys, then each section as a list of rows: dicts, or ``RowTexts``
    (each row's UTF-8 text as ``_row_text`` makes it, a batch at a time). Returns the rows per
    section."""
    from tuicrm.io.export.sink import threaded_writes

    with threaded_writes(fh) as out:
        return _write_json(out, head, sections, progress)


def _write_json(
    fh: Any,
    head: dict[str, Any],
    sections: Iterable[tuple[str, Iterable[dict[str, Any]] | RowTexts]],
    progress: Progress | None,
) -> dict[str, int]:
    def text(s: str) -> bytes:
        return s.encode("utf-8")

    fh.write(b"{")
    first = True
    for key, value in head.items():
        fh.write(
            text(
                ("\n" if first else ",\n") + f"  {_value_encoder.encode(key)}: {_value_encoder.encode(value)}"
            )
        )
        first = False
    counts: dict[str, int] = {}
    for key, rows in sections:
        fh.write(text(("\n" if first else ",\n") + f"  {_value_encoder.encode(key)}: ["))
        first = False
        batches = rows if isinstance(rows, RowTexts) else _text_batches(rows)
        n = 0
        heard = 0
        for batch in batches:
            if not batch:
                continue
            batch[0] = (ROW_OPEN if n == 0 else ROW_NEXT) + batch[0]  # one write per batch, one join
            fh.write(ROW_NEXT.join(batch))
            n += len(batch)
            if progress is not None and n - heard >= STEP:
                progress.advance(n - heard)
                heard = n
        if progress is not None and n > heard:
            progress.advance(n - heard)
        fh.write(b"\n  ]" if n else b"]")
        counts[key] = n
    fh.write(b"\n}" if not first else b"}")
    return counts


def _text_batches(rows: Iterable[dict[str, Any]]) -> Iterator[list[bytes]]:
    chunk: list[bytes] = []
    for row in rows:
        chunk.append(_row_text(row).encode("utf-8"))
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    yield chunk
