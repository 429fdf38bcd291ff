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
from itertools import chain

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
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


def _flat_dicts(rows: Any) -> bool:
    """Whether every row is a non-empty dict of scalars (by the set of their values' types: fast)."""
    if set(map(type, rows)) != {dict} or not all(rows):
        return False
    kinds = set(map(type, chain.from_iterable(map(dict.values, rows))))  # C loops
    return not any(issubclass(k, (dict, list, tuple)) for k in kinds)


def _rows_of_flat_dicts(rows: Any) -> list[str] | None:
    """The keys holding dicts when every row is a non-empty dict whose values are scalars or
    non-empty flat dicts (the same keys in every row); None otherwise."""
    if not rows or set(map(type, rows)) != {dict} or not all(rows):
        return None
    nested = [k for k, v in rows[0].items() if type(v) is dict]
    if not nested:
        return None
    inner = [r.get(k) for r in rows for k in nested]
    if not _flat_dicts(inner):  # also: every row holds a dict under each of those keys
        return None
    types = list(map(type, chain.from_iterable(map(dict.values, rows))))  # C loops
    if types.count(dict) != len(inner):  # a dict under another key: the plain way
        return None
    if any(issubclass(t, (dict, list, tuple)) for t in set(types) - {dict}):
        return None
    return nested


def _flat_dict_bodies(dicts: list[dict[str, Any]], depth: int) -> list[str]:
    """Each flat dict indented at ``depth`` (its keys one level deeper), from one C encoding."""
    keys, pad = _INDENT * (depth + 1), _INDENT * depth
    parts = _flat_encoder(depth + 1).encode(dicts)[2:-2].split("},\n" + keys + "{")
    return ["{\n" + keys + part + "\n" + pad + "}" for part in parts]


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
        nested = _rows_of_flat_dicts(data)
        if nested is not None:
            _encode_rows(data, nested, depth, emit)
            return
        for n, value in enumerate(data):
            emit(("[\n" if n == 0 else ",\n") + inner)
            _encode(value, depth + 1, emit)
        emit("\n" + pad + "]")
        return
    emit(_flat_encoder(0).encode(data))


def _encode_rows(rows: Any, nested: list[str], depth: int, emit: Callable[[str], object]) -> None:
    """A list of dicts holding flat dicts under ``nested``: the rows encoded in one call with a
    marker in place of each inner dict, the inner dicts in another, then put in place."""
    import secrets

    marker = "\x00" + secrets.token_hex(16)  # no stored text holds it
    shallow = [{**r, **dict.fromkeys(nested, marker)} for r in rows]
    inner_dicts = [r[k] for r in rows for k in nested]
    bodies = _flat_dict_bodies(inner_dicts, depth + 2)
    pieces: list[str] = []
    _encode(shallow, depth, pieces.append)
    encoded_marker = _flat_encoder(0).encode(marker)
    parts = "".join(pieces).split(encoded_marker)
    if len(parts) != len(bodies) + 1:  # cannot happen; the plain way if it ever does
        for n, value in enumerate(rows):
            emit(("[\n" if n == 0 else ",\n") + _INDENT * (depth + 1))
            _encode(value, depth + 1, emit)
        emit("\n" + _INDENT * depth + "]")
        return
    joined = [parts[0]]
    for body, part in zip(bodies, parts[1:], strict=True):
        joined += (body, part)
    emit("".join(joined))


def print_json(data: Any) -> None:
    """``tuicrm.cli.output.print_json``, written in pieces: faster on large reports."""
    import sys

    _encode(data, 0, _emitter())
    sys.stdout.write("\n")


def print_json_pieces(pieces: Iterable[str], *, escaped: bool = False) -> None:
    """JSON text already encoded (``ensure_ascii=False``, indented), written as ``print_json`` writes
    it; ``escaped``: its strings already went through ``privacy.json_escape_controls`` (then each
    piece is written as it is: the checks over tens of megabytes cost a quarter of a second)."""
    import sys

    emit = sys.stdout.write if escaped else _emitter()
    for piece in pieces:
        emit(piece)
    sys.stdout.write("\n")


def _emitter() -> Callable[[str], None]:
    import sys

    from tuicrm.cli.output import _printable
    from tuicrm.domain.privacy import json_escape_controls

    def emit(piece: str) -> None:
        piece = json_escape_controls(piece)
        # out()'s safety net, piece by piece: JSON escapes ESC, so no sequence spans two pieces
        if not piece.replace("\n", "").replace("\t", "").isprintable():
            piece = _printable(piece)
        sys.stdout.write(piece)

    return emit
