"""``--json`` for the reports, byte for byte what ``tuicrm.cli.output.print_json`` writes
(``json.dumps(data, ensure_ascii=False, indent=2, default=str)``), at C speed.

With ``indent`` the standard library encodes in Python, a few seconds for the value report's
100 000 customers. Without it the encoder is C; its item separator may hold the newline and
the indentation, so a dict or list whose members are scalars comes out indented in one call,
and a list of such dicts (the reports' customer lists) in one call too: the separator between
two dicts is then the only place a ``}`` is followed by that separator and a ``{`` (a string
never holds a raw newline), where the outer list's indentation is put back.
"""

from __future__ import annotations

import json

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

_SCALARS = (str, int, float, bool, type(None))
_INDENT = "  "
_encoders: dict[int, json.JSONEncoder] = {}


def _flat_encoder(depth: int) -> json.JSONEncoder:
    """The C encoder whose item separator ends a line and indents the next item at ``depth``."""
    encoder = _encoders.get(depth)
    if encoder is None:
        encoder = json.JSONEncoder(
            ensure_ascii=False, separators=(",\n" + _INDENT * depth, ": "), default=str
        )
        _encoders[depth] = encoder
    return encoder


def _flat(value: Any) -> bool:
    """A value the indented form writes on one line: anything but a non-empty dict, list or tuple."""
    return isinstance(value, _SCALARS) or not isinstance(value, (dict, list, tuple)) or not value


def _flat_dicts(rows: list[Any] | tuple[Any, ...]) -> bool:
    """Whether every row is a non-empty dict of scalars (by the set of their values' types: fast)."""
    if not all(type(r) is dict and r for r in rows):
        return False
    kinds = {type(v) for r in rows for v in r.values()}
    return not any(issubclass(k, (dict, list, tuple)) for k in kinds)


def dumps(data: Any) -> str:
    """``json.dumps(data, ensure_ascii=False, indent=2, default=str)``."""
    pieces: list[str] = []
    _encode(data, 0, pieces.append)
    return "".join(pieces)


def _encode(data: Any, depth: int, emit: Callable[[str], object]) -> None:
    """``data`` indented at ``depth``, as pieces (a large list is one piece: never copied whole again)."""
    pad, inner = _INDENT * depth, _INDENT * (depth + 1)
    if isinstance(data, dict) and data:
        if all(_flat(v) for v in data.values()):
            emit("{\n" + inner + _flat_encoder(depth + 1).encode(data)[1:-1] + "\n" + pad + "}")
            return
        encode_key = _flat_encoder(0).encode
        for n, (key, value) in enumerate(data.items()):
            # json's own key rules (1 -> "1", True -> "true") for keys that are not text
            name = encode_key(key) if isinstance(key, str) else encode_key({key: None})[1:-7]
            emit(("{\n" if n == 0 else ",\n") + inner + name + ": ")
            _encode(value, depth + 1, emit)
        emit("\n" + pad + "}")
        return
    if isinstance(data, (list, tuple)) and data:
        if all(_flat(v) for v in data):
            emit("[\n" + inner + _flat_encoder(depth + 1).encode(data)[1:-1] + "\n" + pad + "]")
            return
        if _flat_dicts(data):
            keys = _INDENT * (depth + 2)
            body = _flat_encoder(depth + 2).encode(data)
            emit("[\n" + inner + "{\n" + keys)
            emit(body.replace("},\n" + keys + "{", "\n" + inner + "},\n" + inner + "{\n" + keys)[2:-2])
            emit("\n" + inner + "}\n" + pad + "]")
            return
        for n, value in enumerate(data):
            emit(("[\n" if n == 0 else ",\n") + inner)
            _encode(value, depth + 1, emit)
        emit("\n" + pad + "]")
        return
    emit(_flat_encoder(0).encode(data))


def print_json(data: Any) -> None:
    """``tuicrm.cli.output.print_json``, written in pieces: faster on large reports."""
    import sys

    from tuicrm.cli.output import _printable
    from tuicrm.domain.privacy import json_escape_controls

    def emit(piece: str) -> None:
        piece = json_escape_controls(piece)
        # out()'s safety net, piece by piece: JSON escapes ESC, so no sequence spans two pieces
        if not piece.replace("\n", "").replace("\t", "").isprintable():
            piece = _printable(piece)
        sys.stdout.write(piece)

    _encode(data, 0, emit)
    sys.stdout.write("\n")
