"""Work on cached codes done a byte plane at a time gives what row-by-row work gives, whatever the codes'
width (1, 2 or 4 bytes, as a cache file stores them): a pushed-down filter keeps exactly the rows whose
code it selects, however many codes it selects; rows are counted per combination of codes exactly as
`Counter(zip(...))` counts them, in the same order."""

from __future__ import annotations

import random
from array import array
from collections import Counter

import pytest

from trailtui.backends.local_cache import MAX_CODE_GROUPS, _flagged_rows, _packed_counts, _row_flags

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


@pytest.mark.parametrize("typecodes", ["BB", "BH", "HB", "HH", "BBB", "IB", "HHH", "IHB", "II"])
def test_packed_counts_are_the_counts_of_code_tuples_in_first_seen_order(typecodes: str) -> None:
    chooser = random.Random(typecodes)
    largest = {"B": 2**8 - 1, "H": 2**16 - 1, "I": 2**32 - 1}
    columns = []
    for typecode in typecodes:
        distinct = [0, largest[typecode], *(chooser.randrange(largest[typecode]) for _ in range(40))]
        columns.append(memoryview(array(typecode, (chooser.choice(distinct) for _ in range(ROWS)))))
    counted = _packed_counts(columns)
    assert counted is not None
    assert list(counted.items()) == list(Counter(zip(*columns, strict=True)).items())


def test_codes_wider_than_eight_bytes_are_not_packed_and_no_rows_count_nothing() -> None:
    columns = [memoryview(array("I", [1, 2])), memoryview(array("I", [3, 4])), memoryview(array("B", [5, 6]))]
    assert _packed_counts(columns) is None
    assert _packed_counts([memoryview(array("B")), memoryview(array("H"))]) == Counter()
