"""Per-event evaluation: every filter operator, key extraction, values, CLF, and the spec §7 decisions."""

from __future__ import annotations

from typing import Any

import pytest

from trailtui.contributors import Rule, compile_rule, parse_rule
from trailtui.contributors.evaluate import split_clf
from trailtui.events.model import Event

from .helpers import body, json_rule, make_event


def matches(entry: dict[str, Any], record: dict[str, Any]) -> bool:
    contribution = compile_rule(json_rule(["$.eventName"], [entry]))
    return contribution(make_event({"eventName": "Probe", **record})) is not None


OPERATOR_CASES = [
    (
        {"Match": "$.errorCode", "In": ["AccessDenied", "UnauthorizedOperation"]},
        {"errorCode": "AccessDenied"},
        True,
    ),
    ({"Match": "$.errorCode", "In": ["AccessDenied"]}, {"errorCode": "accessdenied"}, False),
    ({"Match": "$.errorCode", "NotIn": ["AccessDenied"]}, {"errorCode": "Throttling"}, True),
    ({"Match": "$.errorCode", "NotIn": ["AccessDenied"]}, {"errorCode": "AccessDenied"}, False),
    ({"Match": "$.eventSource", "StartsWith": ["ec2", "ecs"]}, {"eventSource": "ecs.amazonaws.com"}, True),
    ({"Match": "$.eventSource", "StartsWith": ["ec2", "ecs"]}, {"eventSource": "s3.amazonaws.com"}, False),
    ({"Match": "$.status", "EqualTo": 200}, {"status": 200}, True),
    ({"Match": "$.status", "EqualTo": 200}, {"status": 200.0}, True),
    ({"Match": "$.status", "EqualTo": 200}, {"status": 404}, False),
    ({"Match": "$.status", "NotEqualTo": 200}, {"status": 404}, True),
    ({"Match": "$.status", "NotEqualTo": 200}, {"status": 200}, False),
    ({"Match": "$.bytes", "GreaterThan": 10000}, {"bytes": 10001}, True),
    ({"Match": "$.bytes", "GreaterThan": 10000}, {"bytes": 10000}, False),
    ({"Match": "$.bytes", "LessThan": 10000}, {"bytes": 9999.5}, True),
    ({"Match": "$.bytes", "LessThan": 10000}, {"bytes": 10000}, False),
    ({"Match": "$.errorCode", "IsPresent": True}, {"errorCode": "AccessDenied"}, True),
    ({"Match": "$.errorCode", "IsPresent": True}, {}, False),
    ({"Match": "$.errorCode", "IsPresent": False}, {}, True),
    ({"Match": "$.errorCode", "IsPresent": False}, {"errorCode": "AccessDenied"}, False),
]


@pytest.mark.parametrize(("entry", "record", "expected"), OPERATOR_CASES)
def test_each_operator_matches_as_documented(
    entry: dict[str, Any], record: dict[str, Any], expected: bool
) -> None:
    assert matches(entry, record) is expected


@pytest.mark.parametrize(
    "entry",
    [
        {"Match": "$.missing", "In": ["x"]},
        {"Match": "$.missing", "NotIn": ["x"]},
        {"Match": "$.missing", "StartsWith": [""]},
        {"Match": "$.missing", "EqualTo": 0},
        {"Match": "$.missing", "NotEqualTo": 0},
        {"Match": "$.missing", "GreaterThan": -1},
        {"Match": "$.missing", "LessThan": 1},
    ],
)
def test_every_operator_but_is_present_false_fails_on_a_missing_field(entry: dict[str, Any]) -> None:
    """Spec §7.2: `NotIn` and `NotEqualTo` on a missing field do not match (undocumented)."""
    assert not matches(entry, {})


def test_json_null_reads_as_absent() -> None:
    """Decision: a null leaf is not present, as in the project's event model (undocumented for CI)."""
    assert matches({"Match": "$.errorCode", "IsPresent": False}, {"errorCode": None})
    assert not matches({"Match": "$.errorCode", "NotIn": ["x"]}, {"errorCode": None})


def test_is_present_looks_at_leaves_only() -> None:
    """Spec §1.2: a filter on `c-count` does not look inside `details.c-count.c1`."""
    record = {"details": {"c-count": {"c1": 5}}}
    assert not matches({"Match": "$.details.c-count", "IsPresent": True}, record)
    assert matches({"Match": "$.details.c-count.c1", "IsPresent": True}, record)


def test_objects_and_arrays_never_match_string_operators() -> None:
    assert not matches({"Match": "$.requestParameters", "NotIn": ["x"]}, {"requestParameters": {"a": 1}})
    assert not matches({"Match": "$.resources", "NotIn": ["x"]}, {"resources": [1]})


def test_numeric_strings_compare_as_numbers() -> None:
    """Spec §7.4: `"200"` against `EqualTo: 200` matches (undocumented)."""
    assert matches({"Match": "$.status", "EqualTo": 200}, {"status": "200"})
    assert matches({"Match": "$.status", "GreaterThan": 1.5}, {"status": "2e0"})


@pytest.mark.parametrize("value", ["abc", "", " 200", "0x10", "NaN", "Infinity", "1_000", True, False])
def test_non_numeric_values_fail_numeric_operators(value: Any) -> None:
    """Spec §2.3: numeric operators on non-numeric values fail (unconfirmed); booleans are not numbers."""
    assert not matches({"Match": "$.status", "NotEqualTo": 12345}, {"status": value})


def test_in_compares_the_json_text_of_numbers_and_booleans() -> None:
    """Spec §7.5: `"In": ["200"]` matches the JSON number 200 (undocumented)."""
    assert matches({"Match": "$.status", "In": ["200"]}, {"status": 200})
    assert matches({"Match": "$.readOnly", "In": ["true"]}, {"readOnly": True})
    assert matches({"Match": "$.status", "StartsWith": ["2"]}, {"status": 204})
    assert not matches({"Match": "$.status", "In": ["200.0"]}, {"status": 200})


def test_all_filters_must_match() -> None:
    filters = [
        {"Match": "$.eventSource", "StartsWith": ["ec2"]},
        {"Match": "$.errorCode", "In": ["Client.UnauthorizedOperation"]},
    ]
    contribution = compile_rule(json_rule(["$.eventName"], filters))
    both = {
        "eventName": "RunInstances",
        "eventSource": "ec2.amazonaws.com",
        "errorCode": "Client.UnauthorizedOperation",
    }
    one = {"eventName": "RunInstances", "eventSource": "ec2.amazonaws.com", "errorCode": "Other"}
    assert contribution(make_event(both)) == (("RunInstances",), 1.0)
    assert contribution(make_event(one)) is None


def test_keys_are_read_from_nested_paths_and_array_indexes() -> None:
    contribution = compile_rule(
        json_rule(["$.userIdentity.arn", "$.resources[1].ARN", "$.a.b.c", "$.eventName"])
    )
    record = {
        "eventName": "GetObject",
        "userIdentity": {"arn": "arn:aws:iam::1:user/alice"},
        "resources": [{"ARN": "first"}, {"ARN": "second"}],
        "a": {"b": {"c": 3}},
    }
    assert contribution(make_event(record)) == (
        ("arn:aws:iam::1:user/alice", "second", "3", "GetObject"),
        1.0,
    )


def test_an_index_past_the_end_or_on_an_object_is_absent() -> None:
    contribution = compile_rule(json_rule(["$.resources[2].ARN"]))
    assert contribution(make_event({"resources": [{"ARN": "x"}]})) is None
    assert contribution(make_event({"resources": {"ARN": "x"}})) is None


def test_a_dotted_name_is_not_a_nested_key() -> None:
    contribution = compile_rule(json_rule(["$.a.b"]))
    assert contribution(make_event({"a.b": "flat"})) is None


def test_an_event_missing_any_key_does_not_contribute() -> None:
    """Spec §7.1: missing key field → skip the event (undocumented)."""
    contribution = compile_rule(json_rule(["$.eventName", "$.userIdentity.arn"]))
    assert contribution(make_event({"eventName": "GetObject", "userIdentity": {"type": "Root"}})) is None
    assert contribution(make_event({"userIdentity": {"arn": "a"}})) is None


def test_an_object_or_array_as_key_value_does_not_contribute() -> None:
    """Spec §7.3: key values that are JSON objects or arrays are skipped (undocumented)."""
    contribution = compile_rule(json_rule(["$.requestParameters", "$.eventName"]))
    assert contribution(make_event({"eventName": "X", "requestParameters": {"a": 1}})) is None
    assert contribution(make_event({"eventName": "X", "requestParameters": [1]})) is None


def test_key_values_are_case_sensitive_strings_in_json_text_form() -> None:
    """Spec §2.4: numbers are stringified as JSON text (canonical form; the original text is gone)."""
    contribution = compile_rule(json_rule(["$.v", "$.flag", "$.name"]))
    assert contribution(make_event({"v": 1.5, "flag": False, "name": "Alice"})) == (
        ("1.5", "false", "Alice"),
        1.0,
    )


def test_sum_rules_contribute_the_numeric_value_of() -> None:
    contribution = compile_rule(json_rule(["$.eventName"], value_of="$.requestParameters.durationSeconds"))

    def value(duration: Any) -> float | None:
        result = contribution(
            make_event({"eventName": "AssumeRole", "requestParameters": {"durationSeconds": duration}})
        )
        return None if result is None else result[1]

    assert value(3600) == 3600.0
    assert value("900") == 900.0
    assert value(-1.5) == -1.5


def test_sum_rules_ignore_events_with_a_missing_or_non_numeric_value() -> None:
    """Spec §2.5: `ValueOf` missing or non-numeric → event ignored (unconfirmed)."""
    contribution = compile_rule(json_rule(["$.eventName"], value_of="$.bytes"))
    assert contribution(make_event({"eventName": "GetObject"})) is None
    assert contribution(make_event({"eventName": "GetObject", "bytes": "lots"})) is None
    assert contribution(make_event({"eventName": "GetObject", "bytes": True})) is None


def test_clf_lines_split_on_spaces_keeping_quoted_and_bracketed_fields_whole() -> None:
    line = '10.0.0.1 - alice [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 200 2326'
    assert split_clf(line) == [
        "10.0.0.1",
        "-",
        "alice",
        "10/Oct/2000:13:55:36 -0700",
        "GET /a.gif HTTP/1.0",
        "200",
        "2326",
    ]


def clf_rule(**contribution: Any) -> Rule:
    return parse_rule(
        body(
            LogFormat="CLF",
            Fields={"1": "IpAddress", "6": "StatusCode", "7": "Bytes"},
            Contribution={"Keys": ["IpAddress"], **contribution},
            AggregateOn="Sum" if "ValueOf" in contribution else "Count",
        )
    )


def _event_with_message(line: str) -> Event:
    return Event({}, 0, source="test", ordinal=0, account="123456789012", region="us-east-1", message=line)


def test_clf_rules_read_fields_by_alias_and_position() -> None:
    contribution = compile_rule(
        clf_rule(Keys=["IpAddress", "3"], Filters=[{"Match": "StatusCode", "EqualTo": 200}], ValueOf="Bytes")
    )
    ok = '10.0.0.1 - alice [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 200 2326'
    failed = '10.0.0.2 - bob [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 404 12'
    assert contribution(_event_with_message(ok)) == (("10.0.0.1", "alice"), 2326.0)
    assert contribution(_event_with_message(failed)) is None


def test_clf_fields_beyond_the_line_are_absent() -> None:
    contribution = compile_rule(clf_rule(Keys=["9"]))
    assert contribution(_event_with_message("only three fields")) is None
    presence = compile_rule(clf_rule(Filters=[{"Match": "9", "IsPresent": False}]))
    assert presence(_event_with_message("10.0.0.1 two three")) == (("10.0.0.1",), 1.0)
