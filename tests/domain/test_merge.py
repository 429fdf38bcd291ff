from __future__ import annotations

import pytest

from tuicrm.domain.merge import FieldConflict, three_way

BASE = {"industry": "steel", "notes": "n", "tags": "a"}


@pytest.mark.parametrize(
    ("mine", "theirs", "writes", "conflicts"),
    [
        # nobody else wrote: only what the rep changed is written
        ({"industry": "glass", "notes": "n"}, BASE, {"industry": "glass"}, []),
        # the rep changed nothing: nothing is written, their change stays
        (dict(BASE), {**BASE, "notes": "theirs"}, {}, []),
        # different fields: both survive (only the rep's field is written)
        ({**BASE, "industry": "glass"}, {**BASE, "notes": "theirs"}, {"industry": "glass"}, []),
        # same field, same new value: nothing to write, no conflict
        ({**BASE, "industry": "glass"}, {**BASE, "industry": "glass"}, {}, []),
        # same field, different values: a conflict, not written
        (
            {**BASE, "industry": "glass", "tags": "b"},
            {**BASE, "industry": "wood"},
            {"tags": "b"},
            [FieldConflict("industry", "steel", "glass", "wood")],
        ),
        # cleared by the rep while another writer changed it: a conflict too
        (
            {**BASE, "notes": None},
            {**BASE, "notes": "theirs"},
            {},
            [FieldConflict("notes", "n", None, "theirs")],
        ),
        # a field the form did not read counts as changed
        ({"owner": "lin"}, BASE, {"owner": "lin"}, []),
    ],
)
def test_three_way(mine, theirs, writes, conflicts):
    merged = three_way(BASE, mine, theirs)
    assert merged.writes == writes
    assert list(merged.conflicts) == conflicts
