"""The .vcf cards written as text (``tuicrm.io.vcard_text``) are the bytes vobject gives through
``tuicrm.io.vcard.write_vcards``: escapes, folding at every boundary, property order."""

from datetime import date

import pytest

from tuicrm.io.vcard import write_vcards
from tuicrm.io.vcard_text import card

TEXTS = [
    "plain",
    "a,b;c\\d \\N e\r\nf\ng\rh",
    "张伟",
    "Li Na Wang",
    "",
    "客户名称，有限公司；" * 6,
    "emoji 😀" * 12,
    "\x01\u2028 end",
]
TEXTS += ["x" * k + "中" * 10 for k in range(60, 78)]  # a 3-octet character at each fold position
TEXTS += ["é" * k + "😀" * 5 for k in range(28, 40)]


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_cards_are_vobject_bytes(version):
    for n, t in enumerate(TEXTS):
        item = {
            "name": t,
            "customer_name": t or None,
            "department": t if n % 2 else None,
            "title": t,
            "phone": t if n % 3 else None,
            "mobile": t or None,
            "email": t,
            "im": t,
            "birthday": date(1980, 1, 1 + n % 28) if n % 4 else "1980-01-02",
            "notes": t,
            "role": t,
            "uid": f"contact-{n}-{t}@tuicrm" if n % 5 else None,
        }
        assert card(item, version) == write_vcards([item], version).encode("utf-8"), t
    assert card({"name": "A"}, version) == write_vcards([{"name": "A"}], version).encode("utf-8")
