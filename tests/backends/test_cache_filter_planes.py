"""A pushed-down filter over cached codes keeps exactly the rows whose code it selects, whatever the codes'
width (1, 2 or 4 bytes, as a cache file stores them) and however many codes it selects."""

from __future__ import annotations

import random
from array import array

import pytest

from trailtui.backends.local_cache import MAX_CODE_GROUPS, _flagged_rows, _row_flags

ROWS = 5000


def kept_rows(codes: array, mask: bytes) -> list[int]:
    flags = _row_flags(memoryview(codes), mask).to_bytes(len(codes), "little")
    return _flagged_rows(flags)


@pytest.mark.parametrize(("typecode", "distinct"), [("B", 200), ("H", 3000), ("I", 70_000)])
@pytest.mark.parametrize("selected", [0, 1, 3, MAX_CODE_GROUPS * 256 + 1, "all"])
def test_kept_rows_are_those_whose_code_is_selected(typecode: str, distinct: int, selected: object) -> None:
    chooser = random.Random(f"{typecode}{distinct}{selected}")
    codes = array(typecode, (chooser.randrange(distinct) for _ in range(ROWS)))
    if selected == "all":
        chosen = set(range(distinct))
    elif selected == 0:
        chosen = set()
    else:
        assert isinstance(selected, int)
        chosen = {codes[ROWS // 2], *chooser.sample(range(distinct), min(selected, distinct) - 1)}
    mask = bytes(code in chosen for code in range(distinct))
    assert kept_rows(codes, mask) == [row for row, code in enumerate(codes) if code in chosen]


def test_dense_and_sparse_flags_give_their_positions() -> None:
    sparse = bytes(row % 997 == 3 for row in range(ROWS))
    dense = bytes(row % 3 != 0 for row in range(ROWS))
    for flags in (sparse, dense, bytes(ROWS)):
        assert _flagged_rows(flags) == [row for row, flag in enumerate(flags) if flag]
