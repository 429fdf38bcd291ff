"""vCard (.vcf) in and out, through vobject. vCard 3.0 (RFC 2426) and 4.0 (RFC 6350).

Reading turns each card into one contact row (a :class:`~tuicrm.io.readers.Sheet`
with a preset header match), so the importer treats a .vcf like a contact sheet:
``ORG`` names the customer, the person becomes a contact. Writing produces one
card per contact with its customer as ``ORG`` (the export writes the same bytes faster:
``tuicrm.io.vcard_text``).
"""

from __future__ import annotations

import quopri
import re
from datetime import date
from typing import Any
from urllib.parse import unquote

from tuicrm.io.headers import HeaderMatch
from tuicrm.io.sheet import FileError, Sheet

# The fields a card row carries, in column order.
VCARD_FIELDS = (
    "name",
    "first_name",
    "last_name",
    "customer_name",
    "department",
    "title",
    "phone",
    "mobile",
    "email",
    "im",
    "birthday",
    "address",
    "notes",
)

_BLOCK = re.compile(r"(?ims)^[ \t]*BEGIN:VCARD[ \t]*\r?$.*?^[ \t]*END:VCARD[ \t]*\r?$")


_QP_PARAM = re.compile(r";(ENCODING=)?QUOTED-PRINTABLE", re.IGNORECASE)
_CHARSET = re.compile(r";CHARSET=([^;:]+)", re.IGNORECASE)


def _decode_qp(block: str) -> str:
    """vCard 2.1 quoted-printable values decoded before vobject reads the card: soft line breaks
    (a line ending in ``=``) joined first, so a line split inside a UTF-8 character decodes
    whole; the value is then plain text with its CHARSET (UTF-8 when none is named)."""
    lines = block.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        head, sep, value = line.partition(":")
        if sep and _QP_PARAM.search(head):
            while value.endswith("=") and i + 1 < len(lines):
                i += 1
                value = value[:-1] + lines[i]
            m = _CHARSET.search(head)
            charset = m[1] if m else "utf-8"
            raw = quopri.decodestring(value.encode("ascii", errors="replace"))
            try:
                text = raw.decode(charset, errors="replace")
            except LookupError:
                text = raw.decode("utf-8", errors="replace")
            text = text.replace("\r\n", "\n").replace("\n", "\\n")
            head = _CHARSET.sub("", _QP_PARAM.sub("", head))
            line = f"{head}:{text}"
        out.append(line)
        i += 1
    return "\n".join(out)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value if _text(v))
    return str(value).strip()


def _types(prop: Any) -> set[str]:
    """TYPE values in any spelling: TYPE=WORK;TYPE=pref (3.0), TYPE=HOME,VOICE, PREF=1 (4.0), and
    vCard 2.1's bare parameters (TEL;CELL;VOICE)."""
    out: set[str] = set()
    for key, values in prop.params.items():
        if key.upper() == "TYPE":
            for v in values:
                out.update(t.strip().lower() for t in str(v).split(","))
        elif key.upper() == "PREF":
            out.add("pref")
        elif not values or values == [""]:
            out.add(key.strip().lower())
    out.update(str(v).strip().lower() for v in getattr(prop, "singletonparams", []) or [])
    return out


def _tel(value: str) -> str:
    value = _text(value)
    return value[4:] if value.lower().startswith("tel:") else value


def _im(value: str) -> str:
    value = unquote(_text(value))
    m = re.match(r"^(aim|xmpp|sip|skype|msnim|ymsgr|icq|irc|wechat|weixin|im):(.*)$", value, re.IGNORECASE)
    return m[2] if m else value


def _address(adr: Any) -> str:
    v = adr.value
    parts = [getattr(v, k, "") for k in ("box", "extended", "street", "city", "region", "code", "country")]
    flat = []
    for p in parts:
        p = _text(p)
        if p:
            flat.append(p.replace("\n", " "))
    return ", ".join(flat)


def _bday(value: str) -> str:
    value = _text(value)
    m = re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})(T.*)?", value)
    return f"{m[1]}-{m[2]}-{m[3]}" if m else value


def card_to_row(card: Any) -> dict[str, str]:
    """One vobject card as {field: text}."""
    c = card.contents
    row: dict[str, str] = {}
    notes: list[str] = []  # the card's own notes first, then everything kept as a note line
    others: list[str] = []
    _names(c, row)
    _organisation(c, row, notes)
    if not row.get("name"):  # a card with only a nickname or an organisation is filed under it
        nick = next((_text(p.value) for p in c.get("nickname", []) if _text(p.value)), "")
        row["name"] = nick or row.get("customer_name", "")
    _phones(c, row, others)
    _emails(c, row, others)
    _ims(c, row, others)
    if "bday" in c:
        row["birthday"] = _bday(c["bday"][0].value)
    _addresses(c, row, others)
    for key, label in (("nickname", "Nickname"), ("url", "Web"), ("categories", "Categories")):
        for p in c.get(key, []):
            value = _text(p.value).replace("\\:", ":")
            if value:
                others.append(f"{label}: {value}")
    for p in c.get("note", []):
        value = _text(p.value)
        if value:
            notes.insert(0, value)
    notes += others
    if notes:
        row["notes"] = "\n".join(notes)
    return {k: v for k, v in row.items() if v}


def _names(c: dict[str, Any], row: dict[str, str]) -> None:
    if "n" in c:
        n = c["n"][0].value
        row["first_name"] = " ".join(x for x in (_text(n.given), _text(n.additional)) if x)
        row["last_name"] = _text(n.family)
    fn = [p for p in c.get("fn", []) if not p.params.get("LANGUAGE")] or c.get("fn", [])
    if fn:
        row["name"] = _text(fn[0].value)
    if not row.get("name"):
        row["name"] = " ".join(x for x in (row.get("first_name"), row.get("last_name")) if x)


def _organisation(c: dict[str, Any], row: dict[str, str], notes: list[str]) -> None:
    if "org" in c:
        org = c["org"][0].value
        parts = [_text(x) for x in (org if isinstance(org, (list, tuple)) else [org])]
        parts = [p for p in parts if p]
        if parts:
            row["customer_name"] = parts[0]
            if len(parts) > 1:
                row["department"] = " / ".join(parts[1:])
    if "title" in c:
        row["title"] = _text(c["title"][0].value)
    if "role" in c:
        role = _text(c["role"][0].value)
        if role and not row.get("title"):
            row["title"] = role
        elif role:
            notes.append(f"Role: {role}")


def _phones(c: dict[str, Any], row: dict[str, str], others: list[str]) -> None:
    phones: list[str] = []
    mobiles: list[str] = []
    faxes: list[str] = []
    for tel in c.get("tel", []):
        number = _tel(tel.value)
        if not number:
            continue
        t = _types(tel)
        if "fax" in t:
            faxes.append(number)
        elif t & {"cell", "mobile", "iphone"} or any("mobile" in x or "cell" in x for x in t):
            mobiles.append(number)
        elif t & {"pager"}:
            others.append(f"Pager: {number}")
        else:
            (phones.insert(0, number) if "pref" in t else phones.append(number))
    if phones:
        row["phone"] = phones[0]
        others += [f"Phone: {p}" for p in phones[1:]]
    if mobiles:
        row["mobile"] = mobiles[0]
        others += [f"Mobile: {p}" for p in mobiles[1:]]
    others += [f"Fax: {p}" for p in faxes]


def _emails(c: dict[str, Any], row: dict[str, str], others: list[str]) -> None:
    emails: list[str] = []
    for em in c.get("email", []):
        value = _text(em.value)
        if value:
            (emails.insert(0, value) if "pref" in _types(em) else emails.append(value))
    if emails:
        valid = [e for e in emails if "@" in e]
        row["email"] = valid[0] if valid else ""
        others += [f"Email: {e}" for e in emails if e != row["email"]]


def _ims(c: dict[str, Any], row: dict[str, str], others: list[str]) -> None:
    ims: list[str] = []
    for key in ("impp", "x-aim", "x-jabber", "x-skype", "x-icq", "x-msn", "x-qq", "x-wechat"):
        for p in c.get(key, []):
            value = _im(p.value)
            if value and value not in ims:
                ims.append(value)
    if ims:
        row["im"] = ims[0]
        others += [f"IM: {x}" for x in ims[1:]]


def _addresses(c: dict[str, Any], row: dict[str, str], others: list[str]) -> None:
    adrs = c.get("adr", [])
    if adrs:
        adrs = sorted(adrs, key=lambda a: 0 if "pref" in _types(a) or "work" in _types(a) else 1)
        row["address"] = _address(adrs[0])
        others += [f"Address: {_address(a)}" for a in adrs[1:] if _address(a)]


def read_vcards(name: str, decoded: tuple[str, str]) -> Sheet:
    """A .vcf file as one contact sheet; a card vobject cannot read becomes a row with an error marker."""
    import vobject

    text, encoding = decoded
    blocks = _BLOCK.findall(text)
    if not blocks:
        raise FileError(f"{name} has no vCard in it (no BEGIN:VCARD … END:VCARD).")
    rows: list[list[Any]] = []
    numbers: list[int] = []
    errors: dict[int, str] = {}
    for number, block in enumerate(blocks, start=1):
        try:
            if "QUOTED-PRINTABLE" in block.upper():
                block = _decode_qp(block)
            card = vobject.readOne(block, ignoreUnreadable=True)
            data = card_to_row(card)
        except Exception as exc:  # vobject raises many kinds of errors on malformed cards
            errors[len(rows)] = f"this card cannot be read ({type(exc).__name__})"
            data = {}
        rows.append([data.get(f) for f in VCARD_FIELDS])
        numbers.append(number)
    match = HeaderMatch(
        kind="contacts", columns={i: f for i, f in enumerate(VCARD_FIELDS)}, reason="vCard file"
    )
    match.score = float(len(VCARD_FIELDS))
    return Sheet(
        source=name,
        name="",
        rows=rows,
        row_numbers=numbers,
        encoding=encoding,
        match=match,
        row_errors=errors,
    )


# ---------------------------------------------------------------------------
# Writing


def write_vcards(contacts: list[dict[str, Any]], version: str = "3.0") -> str:
    """Cards for contact dicts with keys name, customer_name, department, title, phone, mobile, email,
    im, birthday (date), notes, uid."""
    import vobject

    out = []
    for x in contacts:
        card = vobject.vCard()
        card.add("version").value = version
        name = x.get("name") or ""
        card.add("fn").value = name
        family, given = _split_name(name)
        card.add("n").value = vobject.vcard.Name(family=family, given=given)
        if x.get("customer_name"):
            org = [x["customer_name"]] + ([x["department"]] if x.get("department") else [])
            card.add("org").value = org
        if x.get("title"):
            card.add("title").value = x["title"]
        for key, kind in (("phone", "WORK"), ("mobile", "CELL")):
            if x.get(key):
                tel = card.add("tel")
                tel.value = x[key]
                tel.type_param = kind if version.startswith("3") else kind.lower()
        if x.get("email"):
            em = card.add("email")
            em.value = x["email"]
            if version.startswith("3"):
                em.type_param = "INTERNET"
        if x.get("im"):
            card.add("impp").value = x["im"]
        if isinstance(x.get("birthday"), date):
            card.add("bday").value = (
                x["birthday"].isoformat() if version.startswith("3") else x["birthday"].strftime("%Y%m%d")
            )
        if x.get("notes"):
            card.add("note").value = x["notes"]
        if x.get("role"):
            card.add("role").value = x["role"]
        if x.get("uid"):
            card.add("uid").value = x["uid"]
        out.append(card.serialize())
    return "".join(out)


def _split_name(name: str) -> tuple[str, str]:
    name = name.strip()
    if not name:
        return "", ""
    if re.fullmatch(r"[\u3400-\u9fff]{2,4}", name):
        return name[0], name[1:]  # 张伟 → family 张, given 伟
    parts = name.rsplit(" ", 1)
    return (parts[1], parts[0]) if len(parts) == 2 else (name, "")
