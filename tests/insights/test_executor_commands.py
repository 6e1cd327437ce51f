"""Each command and operator on small hand-made events, with the spec's documented examples."""

import pytest

from trailtui.insights.executor import compile_query, run_query

from .helpers import events_from, rows_of, run

EVENTS = events_from(
    {
        "eventTime": "2024-01-01T00:00:01Z",
        "eventName": "CreateKey",
        "origin": "AWS_KMS",
        "code": "200",
        "n": 5,
    },
    {
        "eventTime": "2024-01-01T00:00:03Z",
        "eventName": "CreateKey",
        "origin": "EXTERNAL",
        "code": "404",
        "n": 7,
    },
    {"eventTime": "2024-01-01T00:00:02Z", "eventName": "DeleteKey", "code": 500, "n": "x"},
    {"eventTime": "2024-01-01T00:07:00Z", "eventName": "ListKeys", "origin": "AWS_*", "list": '["a","b"]'},
)


def names(rows):
    return [row.get("eventName") for row in rows]


def test_without_fields_rows_carry_timestamp_message_and_ptr_newest_first():
    rows = rows_of(run_query("limit 2", EVENTS))
    assert [list(row) for row in rows] == [["@timestamp", "@message", "@ptr"]] * 2
    assert [row["@timestamp"] for row in rows] == ["2024-01-01 00:07:00.000", "2024-01-01 00:00:03.000"]
    assert rows[0]["@message"] == EVENTS[3].message
    assert rows[0]["@ptr"] == EVENTS[3].ptr


def test_fields_columns_are_union_of_fields_commands_in_order_with_ptr_last():
    rows = run("fields eventName | fields origin as o, eventName", EVENTS)
    assert list(rows[0]) == ["eventName", "o", "@ptr"]
    assert "o" not in rows[2]


def test_unaliased_expression_column_is_its_source_text():
    rows = run("fields abs(n-10), concat(eventName, '-', code) as opStatus | limit 1", EVENTS)
    assert rows == [{"opStatus": "ListKeys-", "@ptr": EVENTS[3].ptr}]
    rows = run("filter eventName = 'CreateKey' | fields abs(n-10)", EVENTS)
    assert [row["abs(n-10)"] for row in rows] == ["3", "5"]


def test_not_equal_compares_literally_and_never_matches_a_missing_field():
    assert names(run("filter origin != 'AWS_*' | fields eventName", EVENTS)) == ["CreateKey", "CreateKey"]
    assert names(run("filter origin = 'AWS_*' | fields eventName", EVENTS)) == ["ListKeys"]


def test_star_in_an_equality_literal_produces_a_warning_with_position():
    compiled = compile_query('filter keyMaterial!="AWS_*"')
    [warning] = compiled.warnings
    assert (warning.line, warning.column) == (1, 21)
    assert "not like /^AWS_/" in warning.message


def test_missing_fields_fail_not_like_and_not_in():
    assert names(run("filter origin not like /^AWS_/ | fields eventName", EVENTS)) == ["CreateKey"]
    assert names(run("filter origin not in ['AWS_KMS'] | fields eventName", EVENTS)) == [
        "ListKeys",
        "CreateKey",
    ]


def test_comparisons_are_numeric_when_both_sides_are_numbers():
    assert names(run("filter code in [200, 500] | fields eventName", EVENTS)) == ["DeleteKey", "CreateKey"]
    assert names(run("filter code >= 300 | fields eventName", EVENTS)) == ["CreateKey", "DeleteKey"]
    assert names(run("filter n < 6 | fields eventName", EVENTS)) == ["CreateKey"]


def test_like_is_a_case_sensitive_substring_and_regex_search():
    assert names(run("filter eventName like 'Key' and eventName like /^C/ | fields eventName", EVENTS)) == [
        "CreateKey",
        "CreateKey",
    ]
    assert names(run("filter eventName like 'key' | fields eventName", EVENTS)) == []
    assert names(run("filter eventName like /(?i)^listk/ | fields eventName", EVENTS)) == ["ListKeys"]
    assert names(run("filter code =~ /^[45]\\d\\d$/ | fields eventName", EVENTS)) == [
        "CreateKey",
        "DeleteKey",
    ]


def test_arithmetic_operators_and_non_numbers():
    rows = run("fields -2 ^ 2 as a, 10 % 3 as b, (1 + 2) * 3 as c, 7 / 2 as d, n * 2 as e | limit 2", EVENTS)
    assert rows[0] == {"a": "4", "b": "1", "c": "9", "d": "3.5", "@ptr": EVENTS[3].ptr}
    assert rows[1]["e"] == "14"


def test_ephemeral_fields_from_fields_feed_later_filters():
    rows = run("fields concat(eventName, code) as ec | filter ec like 'Key4' | display ec", EVENTS)
    assert rows == [{"ec": "CreateKey404", "@ptr": EVENTS[1].ptr}]


def test_alias_may_shadow_a_raw_field_once():
    rows = run("fields if(ispresent(origin), origin, 'unknown') as origin | display origin", EVENTS)
    assert [row["origin"] for row in rows] == ["AWS_*", "EXTERNAL", "unknown", "AWS_KMS"]


def test_booleans_render_as_one_and_zero():
    rows = run("fields ispresent(origin) as has_origin | sort has_origin asc | limit 1", EVENTS)
    assert rows[0]["has_origin"] == "0"


def test_parse_glob_documented_example():
    event = events_from(
        {
            "eventTime": "2024-01-01T00:00:00Z",
            "line": "25 May 2019 10:24:39,474 [ERROR] {foo=2, bar=data} "
            "The error was: DataIntegrityException",
        }
    )
    rows = run(
        'parse line "[*] * The error was: *" as level, config, exception | display level, config, exception',
        event,
    )
    assert rows == [
        {
            "level": "ERROR",
            "config": "{foo=2, bar=data}",
            "exception": "DataIntegrityException",
            "@ptr": event[0].ptr,
        }
    ]


def test_parse_glob_lazy_middle_and_greedy_trailing_star():
    event = events_from({"eventTime": "2024-01-01T00:00:00Z", "s": "a=1;b=2;c=3"})
    rows = run('parse s "=*;*" as first, rest | display first, rest', event)
    assert (rows[0]["first"], rows[0]["rest"]) == ("1", "b=2;c=3")


def test_parse_non_match_keeps_the_record_without_fields():
    rows = run('parse eventName "Create*" as what | display eventName, what', EVENTS)
    assert [(row["eventName"], row.get("what")) for row in rows] == [
        ("ListKeys", None),
        ("CreateKey", "Key"),
        ("DeleteKey", None),
        ("CreateKey", "Key"),
    ]


def test_parse_regex_named_groups_and_multi():
    rows = run(
        'parse @message /"eventName":"(?<verb>[A-Z][a-z]+)(?<noun>\\w+)"/ | display verb, noun', EVENTS
    )
    assert (rows[0]["verb"], rows[0]["noun"]) == ("List", "Keys")
    rows = run(
        "filter eventName = 'ListKeys' | parse list /\"(\\w)\"/ as letter multi | display letter", EVENTS
    )
    assert [row["letter"] for row in rows] == ["a", "b"]


def test_dedup_keeps_the_newest_by_default_and_all_missing_keys():
    rows = run("fields eventName, origin | dedup origin", EVENTS)
    assert names(rows) == ["ListKeys", "CreateKey", "DeleteKey", "CreateKey"]
    rows = run("fields eventName | dedup eventName", EVENTS)
    assert names(rows) == ["ListKeys", "CreateKey", "DeleteKey"]
    assert rows[1]["@ptr"] == EVENTS[1].ptr


def test_dedup_follows_a_preceding_sort():
    rows = run("fields eventName, n | sort n asc | dedup eventName", EVENTS)
    assert [(row["eventName"], row.get("n")) for row in rows] == [
        ("DeleteKey", "x"),
        ("CreateKey", "5"),
        ("ListKeys", None),
    ]


def test_unnest_a_json_list():
    rows = run(
        "filter eventName = 'ListKeys' | fields jsonParse(list) as js | unnest js into item | display item",
        EVENTS,
    )
    assert [row["item"] for row in rows] == ["a", "b"]


def test_sort_natural_order_missing_last_in_both_directions():
    ascending = run("fields n | sort n asc", EVENTS)
    descending = run("fields n | sort n desc", EVENTS)
    assert [row.get("n") for row in ascending] == ["x", "5", "7", None]
    assert [row.get("n") for row in descending] == ["7", "5", "x", None]


def test_sort_without_direction_is_descending():
    assert run("fields n | sort n", EVENTS) == run("fields n | sort n desc", EVENTS)


def test_sort_on_several_keys():
    rows = run("fields eventName, n | sort eventName asc, n desc", EVENTS)
    assert [(row["eventName"], row.get("n")) for row in rows][:2] == [("CreateKey", "7"), ("CreateKey", "5")]


def test_limit_query_and_api_the_smaller_wins():
    assert len(run("limit 3", EVENTS)) == 3
    assert len(run("limit 3", EVENTS, limit=2)) == 2
    assert len(run("fields eventName", EVENTS, limit=1)) == 1


def test_limit_any_stops_scanning_once_enough_records_matched():
    response = run_query("limit any 2", EVENTS)
    assert len(response["results"]) == 2
    assert response["statistics"]["recordsScanned"] == 2.0


def test_stats_count_by_group_without_ptr():
    rows = run("stats count(*) as c, count(origin) as with_origin by eventName", EVENTS)
    assert rows == [
        {"eventName": "CreateKey", "c": "2", "with_origin": "2"},
        {"eventName": "DeleteKey", "c": "1", "with_origin": "0"},
        {"eventName": "ListKeys", "c": "1", "with_origin": "1"},
    ]


def test_stats_arithmetic_over_aggregates_and_earlier_aliases():
    rows = run(
        "stats sum(n) as total, count(*) as c, total / c as mean, max(n) - min(n) by eventName | limit 1",
        EVENTS,
    )
    assert rows == [{"eventName": "CreateKey", "total": "12", "c": "2", "mean": "6", "max(n) - min(n)": "2"}]


def test_stats_by_bin_and_group_aliases():
    rows = run("stats count(*) as c by bin(5m) as t | sort t asc", EVENTS)
    assert rows == [{"t": "2024-01-01 00:00:00.000", "c": "3"}, {"t": "2024-01-01 00:05:00.000", "c": "1"}]
    rows = run("stats count(*) by bin(1hr)", EVENTS)
    assert rows == [{"bin(1hr)": "2024-01-01 00:00:00.000", "count(*)": "4"}]


def test_stats_missing_group_value_is_its_own_group_without_that_field():
    rows = run("stats count(*) as c by origin | sort c desc", EVENTS)
    assert {"c": "1"} in rows


def test_two_stats_second_over_first_outputs():
    query = "stats count(*) as c by eventName | filter c > 0 | stats sum(c) as total, count(*) as groups"
    assert run(query, EVENTS) == [{"total": "4", "groups": "3"}]


def test_second_stats_can_bin_a_carried_timestamp():
    query = "stats max(@timestamp) as @t by eventName | stats count(*) as names by datefloor(@t, 1h) as hour"
    assert run(query, EVENTS) == [{"hour": "2024-01-01 00:00:00.000", "names": "3"}]


def test_earliest_and_latest_follow_timestamps():
    rows = run(
        "filter eventName = 'CreateKey' | stats earliest(origin) as first, latest(origin) as last", EVENTS
    )
    assert rows == [{"first": "AWS_KMS", "last": "EXTERNAL"}]


def test_display_last_one_wins_and_ptr_is_still_appended():
    rows = run("fields eventName, origin | display origin | display eventName | limit 1", EVENTS)
    assert rows == [{"eventName": "ListKeys", "@ptr": EVENTS[3].ptr}]


def test_statistics_count_scanned_matched_and_bytes():
    response = run_query("filter eventName = 'CreateKey' | limit 1", EVENTS)
    statistics = response["statistics"]
    assert statistics["recordsScanned"] == 4.0
    assert statistics["recordsMatched"] == 2.0
    assert statistics["bytesScanned"] == float(sum(len(event.message.encode()) for event in EVENTS))
    assert response["queryLanguage"] == "CWLI" and response["status"] == "Complete"


def test_size_of_hook_replaces_message_length():
    response = run_query("limit 1", EVENTS, size_of=lambda event: 100)
    assert response["statistics"]["bytesScanned"] == 400.0


def test_time_range_is_inclusive_in_milliseconds():
    start = EVENTS[0].timestamp_ms
    end = EVENTS[2].timestamp_ms
    rows = run("fields eventName", EVENTS, start_ms=start, end_ms=end)
    assert names(rows) == ["DeleteKey", "CreateKey"]


def test_now_and_query_window_functions_read_the_context():
    rows = run("fields now() as n, queryStartTime() as s | limit 1", EVENTS, start_ms=5, now_ms=7_000)
    assert (rows[0]["n"], rows[0]["s"]) == ("7", "5")


def test_where_filter_index_and_unmask_act_as_filter_and_no_op():
    rows = run(
        "where eventName = 'CreateKey' | filterIndex origin in ['EXTERNAL'] | unmask | fields origin", EVENTS
    )
    assert rows == [{"origin": "EXTERNAL", "@ptr": EVENTS[1].ptr}]


@pytest.mark.parametrize("value", ["true", True])
def test_json_booleans_equal_the_word_true(value):
    events = events_from({"eventTime": "2024-01-01T00:00:00Z", "flag": value})
    assert len(run("filter flag = 'true'", events)) == 1
