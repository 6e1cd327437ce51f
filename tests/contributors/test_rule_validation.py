"""Rule bodies are accepted or refused as PutInsightRule does, with the reason and its JSON location."""

from __future__ import annotations

import contextlib
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trailtui.contributors import Filter, RuleError, parse_rule
from trailtui.contributors.rules import validate_rule_name, validate_rule_state

from .helpers import VALID_BODY, body


def contribution(**changes: Any) -> dict[str, Any]:
    result: dict[str, Any] = {"Keys": ["$.eventName"], "Filters": []}
    result.update(changes)
    return result


def one_filter(entry: Any) -> dict[str, Any]:
    return body(Contribution=contribution(Filters=[entry]))


def refusal(definition: Any) -> RuleError:
    with pytest.raises(RuleError) as caught:
        parse_rule(definition)
    return caught.value


def test_a_valid_body_parses_from_text_bytes_and_mapping() -> None:
    text = orjson.dumps(VALID_BODY).decode()
    for definition in (text, text.encode(), VALID_BODY):
        rule = parse_rule(definition)
        assert rule.keys == ("$.eventName",)
        assert rule.aggregate_on == "Count"
        assert rule.log_format == "JSON"
        assert rule.log_group_names == ("CloudTrail/DefaultLogGroup",)


def test_the_spec_example_parses_with_all_its_parts() -> None:
    rule = parse_rule(
        body(
            LogGroupNames=["CloudTrail/Default", "API-Gateway-Access-Logs*"],
            Contribution={
                "Keys": ["$.userIdentity.arn", "$.eventName"],
                "ValueOf": "$.requestParameters.durationSeconds",
                "Filters": [{"Match": "$.errorCode", "In": ["AccessDenied", "UnauthorizedOperation"]}],
            },
            AggregateOn="Sum",
        )
    )
    assert rule.value_of == "$.requestParameters.durationSeconds"
    assert rule.filters == (Filter("$.errorCode", "In", ("AccessDenied", "UnauthorizedOperation")),)


def test_error_text_is_location_then_reason() -> None:
    filters = [{"Match": "$.a", "In": ["x"]}, {"Match": "$.b", "In": []}]
    error = refusal(body(Contribution=contribution(Filters=filters)))
    assert str(error) == "Contribution.Filters[1].In: must be a non-empty array of at most 10 strings"
    assert error.location == "Contribution.Filters[1].In"
    assert error.reason == "must be a non-empty array of at most 10 strings"


F0 = "Contribution.Filters[0]"
ARN = "arn:aws:logs:us-east-1:123456789012:log-group:x"
INVALID_BODIES = [
    ("{not json", "RuleDefinition", "not valid JSON"),
    ("", "RuleDefinition", "must not be empty"),
    ("[1, 2]", "RuleDefinition", "must be a JSON object"),
    ('{"Schema": "\u00e9"}', "RuleDefinition", "ASCII"),
    (body(Extra=1), "Extra", "unknown key"),
    (body(Schema=None), "Schema", "is required"),
    (body(Schema="CloudWatchLogRule"), "Schema", "must be"),
    (body(Schema={"Name": "ServiceLogRule", "Version": 1}), "Schema.Name", "CloudWatchLogRule"),
    (body(Schema={"Name": "CloudWatchLogRule", "Version": 2}), "Schema.Version", "must be 1"),
    (body(Schema={"Name": "CloudWatchLogRule", "Version": True}), "Schema.Version", "must be 1"),
    (body(Schema={"Name": "CloudWatchLogRule"}), "Schema.Version", "is required"),
    (body(Schema={"Name": "CloudWatchLogRule", "Version": 1, "X": 1}), "Schema.X", "unknown key"),
    (body(LogFormat=None), "LogFormat", "is required"),
    (body(LogFormat="json"), "LogFormat", "JSON, CLF"),
    (body(AggregateOn=None), "AggregateOn", "is required"),
    (body(AggregateOn="Average"), "AggregateOn", "Count, Sum"),
    (body(LogGroupNames=None), "LogGroupNames", "exactly one of"),
    (
        body(LogGroupARNs=["arn:aws:logs:us-east-1:123456789012:log-group:x"]),
        "LogGroupNames",
        "exactly one of",
    ),
    (body(LogGroupNames=[]), "LogGroupNames", "non-empty array"),
    (body(LogGroupNames="CloudTrail"), "LogGroupNames", "non-empty array"),
    (body(LogGroupNames=["ok", 7]), "LogGroupNames[1]", "log group name"),
    (body(LogGroupNames=["Cloud*Trail"]), "LogGroupNames[0]", "trailing *"),
    (body(LogGroupNames=["has space"]), "LogGroupNames[0]", "log group name"),
    (
        body(LogGroupNames=None, LogGroupARNs=["arn:aws:logs:us-east-1:12345*:log-group:x"]),
        "LogGroupARNs[0]",
        "log group ARN",
    ),
    (body(LogGroupNames=None, LogGroupARNs=["not-an-arn"]), "LogGroupARNs[0]", "log group ARN"),
    (body(Contribution=None), "Contribution", "is required"),
    (body(Contribution=["$.eventName"]), "Contribution", "must be an object"),
    (body(Contribution=contribution(Dimensions=[])), "Contribution.Dimensions", "unknown key"),
    (body(Contribution={"Filters": []}), "Contribution.Keys", "is required"),
    (body(Contribution=contribution(Keys=[])), "Contribution.Keys", "1 to 4"),
    (
        body(Contribution=contribution(Keys=["$.a", "$.b", "$.c", "$.d", "$.f"])),
        "Contribution.Keys",
        "1 to 4",
    ),
    (body(Contribution=contribution(Keys="$.eventName")), "Contribution.Keys", "1 to 4"),
    (body(Contribution=contribution(Keys=[1])), "Contribution.Keys[0]", "JSON property path"),
    (body(Contribution=contribution(Keys=["eventName"])), "Contribution.Keys[0]", "JSON property path"),
    (body(Contribution=contribution(Keys=["$"])), "Contribution.Keys[0]", "JSON property path"),
    (body(Contribution=contribution(Keys=["$.a.*"])), "Contribution.Keys[0]", "no wildcards"),
    (body(Contribution=contribution(Keys=["$.a[*]"])), "Contribution.Keys[0]", "no wildcards"),
    (body(Contribution=contribution(Keys=["$.['a.b']"])), "Contribution.Keys[0]", "JSON property path"),
    (body(Contribution=contribution(Keys=["$.a..b"])), "Contribution.Keys[0]", "JSON property path"),
    (body(Contribution=contribution(ValueOf="$.bytes")), "Contribution.ValueOf", "only allowed when"),
    (body(AggregateOn="Sum"), "Contribution.ValueOf", "required when AggregateOn is Sum"),
    (body(AggregateOn="Sum", Contribution=contribution(ValueOf="bytes")), "Contribution.ValueOf", "path"),
    (body(Contribution=contribution(Filters={})), "Contribution.Filters", "at most 4 filters"),
    (
        body(Contribution=contribution(Filters=[{"Match": "$.a", "IsPresent": True}] * 5)),
        "Contribution.Filters",
        "at most 4 filters",
    ),
    (one_filter("$.a"), F0, "must be an object"),
    (one_filter({"In": ["x"]}), F0 + ".Match", "is required"),
    (one_filter({"Match": "a", "In": ["x"]}), F0 + ".Match", "JSON property path"),
    (one_filter({"Match": "$.a"}), F0, "exactly one operator, found 0"),
    (one_filter({"Match": "$.a", "In": ["x"], "NotIn": ["y"]}), F0, "found 2"),
    (
        one_filter({"Match": "$.a", "NotStartsWith": ["x"]}),
        F0 + ".NotStartsWith",
        "unknown",
    ),
    (
        one_filter({"Match": "$.a", "GreaterThanOrEqualTo": 1}),
        F0 + ".GreaterThanOrEqualTo",
        "",
    ),
    (one_filter({"Match": "$.a", "LessThanOrEqualTo": 1}), F0 + ".LessThanOrEqualTo", ""),
    (one_filter({"Match": "$.a", "in": ["x"]}), F0 + ".in", "unknown operator"),
    (one_filter({"Match": "$.a", "In": []}), F0 + ".In", "at most 10 strings"),
    (one_filter({"Match": "$.a", "In": "x"}), F0 + ".In", "at most 10 strings"),
    (one_filter({"Match": "$.a", "NotIn": [str(n) for n in range(11)]}), F0 + ".NotIn", ""),
    (one_filter({"Match": "$.a", "StartsWith": ["x", 1]}), F0 + ".StartsWith", "strings"),
    (one_filter({"Match": "$.a", "EqualTo": "200"}), F0 + ".EqualTo", "must be a number"),
    (
        one_filter({"Match": "$.a", "NotEqualTo": True}),
        F0 + ".NotEqualTo",
        "must be a number",
    ),
    (one_filter({"Match": "$.a", "GreaterThan": [1]}), F0 + ".GreaterThan", "number"),
    (one_filter({"Match": "$.a", "LessThan": float("inf")}), F0 + ".LessThan", "number"),
    (one_filter({"Match": "$.a", "IsPresent": "true"}), F0 + ".IsPresent", "true or false"),
    (body(Fields={"1": "a"}), "Fields", "only allowed with LogFormat CLF"),
    (body(LogFormat="CLF", Fields=["a"]), "Fields", "must be an object"),
    (body(LogFormat="CLF", Fields={"0": "a"}), "Fields.0", "1-based"),
    (body(LogFormat="CLF", Fields={"four": "a"}), "Fields.four", "1-based"),
    (body(LogFormat="CLF", Fields={"4": ""}), "Fields.4", "alias"),
    (body(Schema={1: 2}), "RuleDefinition", "not JSON-serialisable"),
    ({"Schema": "\u00e9"}, "RuleDefinition", "ASCII"),
    (body(LogFormat="CLF"), "Contribution.Keys[0]", "CLF field position or an alias"),
    (
        body(LogFormat="CLF", Fields={"4": "IpAddress"}, Contribution=contribution(Keys=["Status"])),
        "Contribution.Keys[0]",
        "alias from Fields",
    ),
]


@pytest.mark.parametrize(("definition", "location", "reason"), INVALID_BODIES)
def test_invalid_bodies_are_refused_with_location_and_reason(
    definition: Any, location: str, reason: str
) -> None:
    error = refusal(definition)
    assert error.location == location
    assert reason in error.reason


def test_definition_longer_than_8192_characters_is_refused_and_8192_accepted() -> None:
    text = orjson.dumps(VALID_BODY).decode()
    assert parse_rule(text + " " * (8192 - len(text))).keys == ("$.eventName",)
    error = refusal(text + " " * (8193 - len(text)))
    assert (error.location, error.reason) == ("RuleDefinition", "must be at most 8192 characters")


def test_limits_at_their_maximum_are_accepted() -> None:
    filters = [{"Match": "$.a", "In": [str(n) for n in range(10)]}] * 4
    rule = parse_rule(body(Contribution=contribution(Keys=["$.a", "$.b", "$.c", "$.d"], Filters=filters)))
    assert len(rule.keys) == 4
    assert len(rule.filters) == 4


@pytest.mark.parametrize(
    "path", ["$.userAgent", "$.endpoints[0]", "$.users[1].name", "$.a[0][2]", "$.c-count", "$.x_y.z9"]
)
def test_documented_json_paths_are_accepted(path: str) -> None:
    assert parse_rule(body(Contribution=contribution(Keys=[path]))).keys == (path,)


@pytest.mark.parametrize(
    "entry",
    [
        {"Match": "$.httpMethod", "In": ["PUT"]},
        {"Match": "$.httpMethod", "NotIn": ["PUT"]},
        {"Match": "$.eventSource", "StartsWith": ["ec2", "ecs"]},
        {"Match": "$.StatusCode", "EqualTo": 200},
        {"Match": "$.StatusCode", "NotEqualTo": 200.5},
        {"Match": "$.BytesReceived", "GreaterThan": 10000},
        {"Match": "$.BytesReceived", "LessThan": -1},
        {"Match": "$.errorCode", "IsPresent": False},
    ],
)
def test_each_of_the_eight_operators_is_accepted(entry: dict[str, Any]) -> None:
    (parsed,) = parse_rule(one_filter(entry)).filters
    operator = next(key for key in entry if key != "Match")
    assert parsed.operator == operator


def test_log_group_arns_allow_a_star_account_and_a_name_prefix() -> None:
    arns = ["arn:aws:logs:us-west-1:*:log-group/Name", "arn:aws:logs:us-east-1:123456789012:log-group:Trail*"]
    rule = parse_rule(body(LogGroupNames=None, LogGroupARNs=arns))
    assert rule.log_group_arns == tuple(arns)
    assert rule.log_group_names == ()


def test_a_trailing_star_makes_a_log_group_name_a_prefix() -> None:
    rule = parse_rule(body(LogGroupNames=["CloudTrail/Default", "API-Gateway-Access-Logs*"]))
    assert rule.matches_log_group("CloudTrail/Default")
    assert rule.matches_log_group("API-Gateway-Access-Logs_prod")
    assert not rule.matches_log_group("CloudTrail/DefaultLogGroup")


def test_clf_rules_accept_positions_and_aliases() -> None:
    rule = parse_rule(
        body(
            LogFormat="CLF",
            Fields={"4": "IpAddress", "7": "StatusCode"},
            Contribution=contribution(
                Keys=["IpAddress", "2"], Filters=[{"Match": "StatusCode", "EqualTo": 200}], ValueOf="10"
            ),
            AggregateOn="Sum",
        )
    )
    assert rule.fields == ((4, "IpAddress"), (7, "StatusCode"))
    assert rule.keys == ("IpAddress", "2")


def test_unknown_top_level_key_is_refused_by_name() -> None:
    """Spec §1.3: AWS behaviour unconfirmed; we refuse, naming the key."""
    assert refusal(body(RuleName="x")).location == "RuleName"


def test_sum_without_value_of_is_refused() -> None:
    """Spec §1.3: unconfirmed whether AWS refuses it; we do."""
    assert refusal(body(AggregateOn="Sum")).location == "Contribution.ValueOf"


@pytest.mark.parametrize("name", ["a", "Top-API_calls.v1", "x" * 128, "with space ~!"])
def test_rule_names_of_printable_ascii_are_accepted(name: str) -> None:
    assert validate_rule_name(name) == name


@pytest.mark.parametrize("name", ["", "x" * 129, "tab\there", "caf\u00e9", None])
def test_rule_names_outside_printable_ascii_are_refused(name: Any) -> None:
    with pytest.raises(RuleError, match="RuleName: must be 1 to 128 printable ASCII"):
        validate_rule_name(name)


def test_rule_state_is_enabled_or_disabled() -> None:
    assert validate_rule_state("ENABLED") == "ENABLED"
    assert validate_rule_state("DISABLED") == "DISABLED"
    with pytest.raises(RuleError, match="RuleState"):
        validate_rule_state("enabled")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=25,
)
rule_keys = st.sampled_from(
    [
        "Schema",
        "LogGroupNames",
        "LogFormat",
        "Fields",
        "Contribution",
        "AggregateOn",
        "Keys",
        "Filters",
        "Match",
    ]
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_arbitrary_json_values_only_ever_raise_rule_error(value: Any) -> None:
    with contextlib.suppress(RuleError):
        parse_rule(value)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(rule_keys, json_values, max_size=6), st.sampled_from(list(VALID_BODY)))
def test_valid_bodies_with_arbitrary_parts_only_ever_raise_rule_error(
    changes: dict[str, Any], drop: str
) -> None:
    mutated = {key: value for key, value in VALID_BODY.items() if key != drop} | changes
    with contextlib.suppress(RuleError):
        parse_rule(mutated)


filter_objects = st.dictionaries(
    st.sampled_from(
        ["Match", "In", "NotIn", "StartsWith", "EqualTo", "GreaterThan", "IsPresent", "NotStartsWith"]
    ),
    st.just("$.a") | st.just(["x"]) | json_values,
    max_size=3,
)
contributions = st.dictionaries(
    st.sampled_from(["Keys", "ValueOf", "Filters"]),
    st.just(["$.a"]) | st.lists(filter_objects, max_size=5) | json_values,
    max_size=3,
)


@settings(max_examples=300, deadline=None)
@given(contributions, st.sampled_from(["Count", "Sum"]), st.sampled_from(["JSON", "CLF"]))
def test_arbitrary_contributions_only_ever_raise_rule_error(
    contribution_body: dict[str, Any], aggregate_on: str, log_format: str
) -> None:
    with contextlib.suppress(RuleError):
        parse_rule(body(Contribution=contribution_body, AggregateOn=aggregate_on, LogFormat=log_format))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200) | st.binary(max_size=200))
def test_arbitrary_text_only_ever_raises_rule_error(text: str | bytes) -> None:
    with contextlib.suppress(RuleError):
        parse_rule(text)
