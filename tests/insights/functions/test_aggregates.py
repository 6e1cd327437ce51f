"""The `stats` aggregators (spec §9.8): results, missing and non-numeric values, ties, and merge().

Merging the partials of any split of the input equals one pass over it, also after pickling the
partials (as a worker process would send them).
"""

import math
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trailtui.insights.aggregates import AGGREGATE_FUNCTIONS, AggregateFunction, Aggregator
from trailtui.insights.values import Timestamp, render


def aggregate(name, values, *constants, timestamps=None):
    aggregator = AGGREGATE_FUNCTIONS[name.lower()].factory(list(constants))
    for index, value in enumerate(values):
        aggregator.add(value, timestamps[index] if timestamps else index)
    return aggregator.result()


# --- the table ------------------------------------------------------------------------------------


def test_every_documented_aggregate_is_registered_under_its_lowercase_name():
    documented = ["count", "count_distinct", "sum", "avg", "min", "max", "pct", "stddev", "earliest",
                  "latest", "sortsFirst", "sortsLast"]  # fmt: skip
    assert sorted(AGGREGATE_FUNCTIONS) == sorted(name.lower() for name in documented)
    for name in documented:
        function = AGGREGATE_FUNCTIONS[name.lower()]
        assert isinstance(function, AggregateFunction)
        assert function.name == name
        assert function.doc
        assert isinstance(function.factory([50] if name == "pct" else []), Aggregator)


def test_arity_counts_the_field():
    assert (AGGREGATE_FUNCTIONS["count"].min_args, AGGREGATE_FUNCTIONS["count"].max_args) == (0, 1)
    assert (AGGREGATE_FUNCTIONS["pct"].min_args, AGGREGATE_FUNCTIONS["pct"].max_args) == (2, 2)
    assert (AGGREGATE_FUNCTIONS["sum"].min_args, AGGREGATE_FUNCTIONS["sum"].max_args) == (1, 1)


# --- count ----------------------------------------------------------------------------------------


def test_count_star_counts_every_record():
    assert aggregate("count", [True, True, True]) == 3


def test_count_of_a_field_counts_present_values_only():
    assert aggregate("count", ["a", None, "", 0, None]) == 3


def test_count_of_nothing_is_zero():
    assert aggregate("count", []) == 0


def test_count_distinct_is_exact_and_ignores_missing():
    assert aggregate("count_distinct", ["a", "b", "a", None, "c"]) == 3


def test_count_distinct_counts_rendered_values():
    assert aggregate("count_distinct", [1, "1", 1.0, True]) == 1


# --- sum and avg ----------------------------------------------------------------------------------


def test_sum_parses_numeric_text_and_ignores_the_rest():
    assert aggregate("sum", [1, "2", "x", None, 3.5]) == 6.5


def test_sum_of_integers_stays_an_integer():
    total = aggregate("sum", ["1", 2, 3])
    assert total == 6
    assert isinstance(total, int)


def test_sum_is_correctly_rounded():
    assert aggregate("sum", [0.1] * 10) == 1.0


def test_sum_without_numbers_is_missing():
    assert aggregate("sum", ["x", None]) is None


def test_sum_overflow_becomes_infinite():
    assert aggregate("sum", [1e308, 1e308]) == math.inf


def test_avg_is_the_mean_of_numeric_values():
    assert aggregate("avg", [1, "2", "nope", None, 4]) == pytest.approx(7 / 3)
    assert render(aggregate("avg", [2, 2])) == "2"
    assert aggregate("avg", []) is None


# --- min and max ----------------------------------------------------------------------------------


def test_min_and_max_are_numeric_when_values_are_numeric():
    assert aggregate("min", ["10", "9", 100]) == 9
    assert aggregate("max", ["10", "9", 100]) == 100


def test_min_and_max_prefer_numbers_over_text():
    assert aggregate("max", ["zebra", "3", "1"]) == 3
    assert aggregate("min", ["apple", "3"]) == 3


def test_min_and_max_of_text_use_natural_order():
    assert aggregate("min", ["b10", "b9", "a"]) == "a"
    assert aggregate("max", ["b10", "b9", "a"]) == "b10"


def test_min_and_max_keep_timestamps():
    earliest = aggregate("min", [Timestamp(5), Timestamp(3), Timestamp(9)])
    assert isinstance(earliest, Timestamp)
    assert earliest == 3


def test_min_and_max_of_nothing_are_missing():
    assert aggregate("min", [None]) is None
    assert aggregate("max", []) is None


# --- pct ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("percentile", "expected"), [(0, 1), (1, 1), (50, 50), (90, 90), (99, 99), (100, 100)]
)
def test_pct_is_nearest_rank(percentile, expected):
    assert aggregate("pct", list(range(100, 0, -1)), percentile) == expected


def test_pct_nearest_rank_on_a_small_sample():
    # n = 5: the 40th percentile is the 2nd value, the 41st the 3rd.
    assert aggregate("pct", [15, 20, 35, 40, 50], 40) == 20
    assert aggregate("pct", [15, 20, 35, 40, 50], 41) == 35


def test_pct_ignores_non_numbers_and_clamps_the_percentile():
    assert aggregate("pct", ["5", "x", None, 1], 150) == 5
    assert aggregate("pct", ["x"], 50) is None


def test_pct_needs_a_numeric_percentile():
    with pytest.raises(ValueError, match="percentile"):
        AGGREGATE_FUNCTIONS["pct"].factory(["high"])
    with pytest.raises(ValueError, match="percentile"):
        AGGREGATE_FUNCTIONS["pct"].factory([])


# --- stddev ---------------------------------------------------------------------------------------


def test_stddev_is_the_sample_standard_deviation():
    assert aggregate("stddev", [2, 4, 4, 4, 5, 5, 7, 9]) == pytest.approx(math.sqrt(32 / 7))


def test_stddev_of_fewer_than_two_values_is_missing():
    assert aggregate("stddev", [5]) is None
    assert aggregate("stddev", ["x", None]) is None


def test_stddev_of_constant_values_is_zero():
    assert aggregate("stddev", [3, "3", 3.0]) == 0


# --- earliest, latest, sortsFirst, sortsLast ------------------------------------------------------


def test_earliest_and_latest_follow_timestamps_not_arrival_order():
    values, timestamps = ["b", "a", "c"], [20, 10, 30]
    assert aggregate("earliest", values, timestamps=timestamps) == "a"
    assert aggregate("latest", values, timestamps=timestamps) == "c"


def test_earliest_and_latest_ties_keep_the_first_seen():
    assert aggregate("earliest", ["first", "second"], timestamps=[5, 5]) == "first"
    assert aggregate("latest", ["first", "second"], timestamps=[5, 5]) == "first"


def test_earliest_and_latest_skip_records_without_the_field():
    assert aggregate("earliest", [None, "x"], timestamps=[1, 2]) == "x"
    assert aggregate("latest", ["x", None], timestamps=[1, 2]) == "x"
    assert aggregate("latest", [None]) is None


def test_sorts_first_and_last_use_natural_order():
    values = ["0#", "5A", "111A", "@", "1", "A"]
    assert aggregate("sortsFirst", values) == "0#"
    assert aggregate("sortsLast", values) == "1"


def test_sorts_first_and_last_skip_missing():
    assert aggregate("sortsFirst", [None, "b", "a"]) == "a"
    assert aggregate("sortsLast", [None]) is None


# --- merge ----------------------------------------------------------------------------------------


def test_merge_refuses_a_partial_of_another_kind():
    with pytest.raises(TypeError):
        AGGREGATE_FUNCTIONS["sum"].factory([]).merge(AGGREGATE_FUNCTIONS["avg"].factory([]))


field_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
    st.integers(min_value=-1000, max_value=1000).map(str),
    st.sampled_from(["a", "b10", "b9", "@_", "2345_", "x", "", "1.5"]),
    st.builds(Timestamp, st.integers(min_value=0, max_value=2**42)),
)
records = st.lists(st.tuples(field_values, st.integers(min_value=0, max_value=20)), max_size=40)
CONSTANTS = {"pct": [90]}


def run(name, records_part):
    aggregator = AGGREGATE_FUNCTIONS[name].factory(CONSTANTS.get(name, []))
    for value, timestamp_ms in records_part:
        aggregator.add(value, timestamp_ms)
    return aggregator


@settings(max_examples=150, deadline=None)
@given(
    records=records,
    split_at=st.integers(min_value=0, max_value=40),
    name=st.sampled_from(sorted(AGGREGATE_FUNCTIONS)),
)
def test_merging_partials_equals_one_pass(records, split_at, name):
    single_pass = run(name, records).result()
    first, second = run(name, records[:split_at]), run(name, records[split_at:])
    first = pickle.loads(pickle.dumps(first))
    first.merge(pickle.loads(pickle.dumps(second)))
    merged = first.result()
    if name == "stddev" and single_pass is not None:
        assert merged == pytest.approx(single_pass, rel=1e-9, abs=1e-6)
    else:
        assert merged == single_pass
        assert type(merged) is type(single_pass)


@settings(max_examples=50, deadline=None)
@given(records=records, name=st.sampled_from(sorted(AGGREGATE_FUNCTIONS)))
def test_merging_an_empty_partial_changes_nothing(records, name):
    aggregator = run(name, records)
    expected = aggregator.result()
    aggregator.merge(run(name, []))
    assert aggregator.result() == expected
