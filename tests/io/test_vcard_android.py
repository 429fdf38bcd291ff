"""vCard 2.1 from phones: quoted-printable split inside a character, mobile types, several
numbers and e-mails, cards with only a nickname or an organisation (#15)."""

from __future__ import annotations

import quopri

import sqlalchemy as sa

from tuicrm.io.importing import import_files
from tuicrm.models import Contact, Customer


def rows(store, model) -> list[dict]:
    with store.read() as s:
        t = model.__table__
        return [dict(r) for r in s.connection().execute(sa.select(t).order_by(t.c.id)).mappings()]


def qp(text: str) -> str:
    return quopri.encodestring(text.encode("utf-8")).decode("ascii").replace("\n", "")


def test_qp_line_split_inside_a_character(store, tmp_path):
    encoded = qp("欧阳娜娜")  # =E6=AC=A7=E9=98=B3=E5=A8=9C=E5=A8=9C
    split = encoded[:6] + "=\r\n" + encoded[6:]  # soft break after "=E6=AC": inside 欧
    card = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\n"
        f"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:;{split};;;\r\n"
        f"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{split}\r\n"
        "TEL;TYPE=Xmobile:13800138000\r\nTEL;CELL:13900139000\r\nTEL;HOME:010-12345678\r\n"
        "EMAIL;HOME:a@x.cn\r\nEMAIL;WORK:b@x.cn\r\n"
        "END:VCARD\r\n"
    )
    f = tmp_path / "android.vcf"
    f.write_bytes(card.encode("ascii"))
    report = import_files(store, [f])
    assert not report.rejected
    (person,) = rows(store, Contact)
    assert person["name"] == "欧阳娜娜"
    assert person["mobile"] == "13800138000" and person["phone"] == "010-12345678"
    assert person["email"] == "a@x.cn"
    assert "Mobile: 13900139000" in person["notes"] and "Email: b@x.cn" in person["notes"]


def test_cards_with_only_a_nickname_or_an_organisation(store, tmp_path):
    f = tmp_path / "few.vcf"
    f.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nNICKNAME:妈妈\nTEL;TYPE=CELL:13700137000\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nORG:顺丰快递\nTEL:95338\nEND:VCARD\n",
        encoding="utf-8",
    )
    report = import_files(store, [f])
    assert not report.rejected
    names = {x["name"] for x in rows(store, Contact)} | {c["name"] for c in rows(store, Customer)}
    assert "妈妈" in names and "顺丰快递" in names
