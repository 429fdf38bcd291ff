"""The .vcf export's cards written as text (issue #20): the bytes ``tuicrm.io.vcard.write_vcards``
gives through vobject, without building a vobject card per contact (nearly all of a 100 000-
customer export's time).

The rules are vobject's (0.9.x), held equal by ``tests/io/test_vcard_text.py``: VERSION and UID
first, then the properties alphabetically (two TELs in the order added); every value
backslash-escaped (``\\``, ``;``, ``,``; CRLF, LF and CR as ``\\n``), N and ORG field by field
joined by ``;``; a line of 75 characters or more folded where it would pass 75 octets (74 after
the first line's), never inside a UTF-8 character.
"""

from __future__ import annotations

from datetime import date
from typing import Any

LINE = 75


def escape(text: str) -> str:
    """vobject's ``backslashEscape``."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> bytes:
    """vobject's ``foldOneLine``, ended with CRLF."""
    data = line.encode("utf-8")
    if len(line) < LINE:
        return data + b"\r\n"
    parts = []
    start, room = 0, LINE
    while len(data) - start > room:
        cut = start + room
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: back to the character's start
            cut -= 1
        parts.append(data[start:cut])
        start, room = cut, LINE - 1  # the folded line's leading space counts
    parts.append(data[start:])
    return b"\r\n ".join(parts) + b"\r\n"


def card(x: dict[str, Any], version: str = "3.0") -> bytes:
    """One contact's card (the keys of ``write_vcards``' dicts)."""
    from tuicrm.io.vcard import _split_name

    three = version.startswith("3")
    name = x.get("name") or ""
    family, given = _split_name(name)
    props: list[tuple[str, str]] = [
        ("fn", "FN:" + escape(name)),
        ("n", f"N:{escape(family)};{escape(given)};;;"),
    ]
    if x.get("customer_name"):
        org = [x["customer_name"]] + ([x["department"]] if x.get("department") else [])
        props.append(("org", "ORG:" + ";".join(escape(v) for v in org)))
    if x.get("title"):
        props.append(("title", "TITLE:" + escape(x["title"])))
    for key, kind in (("phone", "WORK"), ("mobile", "CELL")):
        if x.get(key):
            props.append(("tel", f"TEL;TYPE={kind if three else kind.lower()}:{escape(x[key])}"))
    if x.get("email"):
        props.append(("email", ("EMAIL;TYPE=INTERNET:" if three else "EMAIL:") + escape(x["email"])))
    if x.get("im"):
        props.append(("impp", "IMPP:" + escape(x["im"])))
    if isinstance(x.get("birthday"), date):
        day = x["birthday"].isoformat() if three else x["birthday"].strftime("%Y%m%d")
        props.append(("bday", "BDAY:" + escape(day)))
    if x.get("notes"):
        props.append(("note", "NOTE:" + escape(x["notes"])))
    if x.get("role"):
        props.append(("role", "ROLE:" + escape(x["role"])))
    lines = ["BEGIN:VCARD", "VERSION:" + escape(version)]
    if x.get("uid"):
        lines.append("UID:" + escape(x["uid"]))
    props.sort(key=lambda p: p[0])  # stable: the two TELs stay in order
    lines += [line for _key, line in props]
    lines.append("END:VCARD")
    return b"".join(fold(line) for line in lines)
