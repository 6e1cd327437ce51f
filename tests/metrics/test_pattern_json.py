"""JSON patterns (spec §4): selectors, comparisons, wildcards, keywords, && / || and parentheses."""

from __future__ import annotations

from typing import Any

import pytest

from trailtui.metrics.patterns import FilterPattern, parse_pattern
from trailtui.metrics.patterns.syntax import Comparison, Index, JsonPattern, Key

from .helpers import make_event, matches

SAMPLE = {
    "user": {"id": 1, "email": "John.Stiles@example.com"},
    "users": [{"id": 2, "email": "John.Doe@example.com"}, {"id": 3, "email": "Jane.Doe@example.com"}],
    "actions": ["GET", "PUT", "DELETE"],
    "coordinates": [[0, 1, 2], [4, 5, 6], [7, 8, 9]],
}

DOCUMENTED_RESULTS = [
    ('{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', True),
    (
        '{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch" '
        '&& $.actions[2] = "nonmatch" }',
        True,
    ),
    (
        '{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch") '
        '&& $.actions[2] = "nonmatch" }',
        False,
    ),
    ('{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }', False),
]


@pytest.mark.parametrize(("pattern", "expected"), DOCUMENTED_RESULTS)
def test_documented_worked_results(pattern: str, expected: bool) -> None:
    assert matches(pattern, SAMPLE) is expected


RECORD: dict[str, Any] = {
    "eventName": "AssumeRole",
    "eventSource": "sts.amazonaws.com",
    "sourceIPAddress": "123.123.10.4",
    "errorCode": None,
    "readOnly": True,
    "managementEvent": False,
    "requestParameters": {"durationSeconds": 900, "roleSessionName": "ci", "limit": "25"},
    "resources": [{"ARN": "arn:aws:iam::1:role/a", "type": "AWS::IAM::Role"}, {"ARN": "arn:b"}],
    "tags": {"team": "blue", "cost": "7"},
    "cluster.name": "prod",
    "latency": 1.5e-3,
}

# (pattern, matches RECORD): each line is one documented or decided behaviour.
BEHAVIOURS = [
    ('{ $.eventName = "AssumeRole" }', True),
    ("{ $.eventName = AssumeRole }", True),
    ('{ $.eventName = "assumerole" }', False),
    ('{ $.eventName = "Assume*" }', True),
    ('{ $.eventName = "*Role" }', True),
    ('{ $.eventName = "*sume*" }', True),
    ('{ $.eventName = "A*R*e" }', True),
    ('{ $.eventName = "A*X*e" }', False),
    ("{ $.sourceIPAddress = 123.123.* }", True),
    ("{ $.eventSource = sts.amazonaws.com }", True),
    ("{ $.resources[0].ARN = arn:aws:iam::1:role/a }", True),
    ("{ $.resources[0].ARN = arn:aws:iam::1:role/* }", True),
    ('{ $.eventName != "GetObject" }', True),
    ('{ $.eventName != "AssumeRole" }', False),
    # `= *` means "is a value node"; objects and arrays are not value nodes
    ("{ $.eventName = * }", True),
    ('{ $.eventName = "*" }', True),
    ("{ $.errorCode = * }", True),
    ("{ $.requestParameters = * }", False),
    ('{ $.resources = "*" }', False),
    ("{ $.missing = * }", False),
    # missing selectors fail every operator, != included (§9.4)
    ('{ $.missing != "x" }', False),
    ("{ $.missing != 3 }", False),
    # keywords
    ("{ $.errorCode IS NULL }", True),
    ("{ $.eventName IS NULL }", False),
    ("{ $.missing IS NULL }", False),
    ("{ $.readOnly IS TRUE }", True),
    ("{ $.readOnly IS FALSE }", False),
    ("{ $.managementEvent IS FALSE }", True),
    ("{ $.missing NOT EXISTS }", True),
    ("{ $.errorCode NOT EXISTS }", False),
    ("{ $.requestParameters NOT EXISTS }", False),
    ("{ $.errorCode is null }", True),
    ("{ $.missing not exists }", True),
    ("{ $.readOnly Is True }", True),
    # null is matched only by `*` and IS NULL
    ('{ $.errorCode = "null" }', False),
    ('{ $.errorCode != "x" }', False),
    # numbers, and numeric-looking strings (§9.6)
    ("{ $.requestParameters.durationSeconds = 900 }", True),
    ("{ $.requestParameters.durationSeconds >= 900 }", True),
    ("{ $.requestParameters.durationSeconds > 900 }", False),
    ("{ $.requestParameters.durationSeconds < 1e3 }", True),
    ("{ $.requestParameters.durationSeconds <= +900 }", True),
    ("{ $.requestParameters.durationSeconds != 900 }", False),
    ("{ $.requestParameters.durationSeconds != 901 }", True),
    ("{ $.requestParameters.limit > 20 }", True),
    ("{ $.requestParameters.limit = 25.0 }", True),
    ("{ $.latency < 2e-3 }", True),
    ("{ $.latency > -1 }", True),
    ("{ $.eventName > 1 }", False),
    ("{ $.eventName != 1 }", False),
    ("{ $.readOnly = 1 }", False),
    # text comparisons see numbers and booleans as their JSON text
    ('{ $.requestParameters.durationSeconds = "900" }', True),
    ('{ $.requestParameters.durationSeconds = "9*" }', True),
    ('{ $.readOnly = "true" }', True),
    # array indexes and wildcards
    ('{ $.resources[0].type = "AWS::IAM::Role" }', True),
    ('{ $.resources[1].type = "AWS::IAM::Role" }', False),
    ('{ $.resources[5].ARN = "*" }', False),
    ('{ $.resources[*].ARN = "arn:b" }', True),
    ('{ $.resources[*].ARN = "arn:c" }', False),
    ('{ $.resources[*].ARN != "arn:b" }', True),
    ('{ $.tags.* = "blue" }', True),
    ("{ $.tags.* > 5 }", True),
    ("{ $.tags.* > 7 }", False),
    ("{ $.resources[*].missing NOT EXISTS }", True),
    ("{ $.resources[*].ARN NOT EXISTS }", False),
    ('{ $.resources.* = "arn:b" }', False),
    ('{ $.tags[*] = "blue" }', False),
    ('{ $.eventName[0] = "A" }', False),
    # bracketed keys
    ("{ $.['cluster.name'] = prod }", True),
    ("{ $['cluster.name'] = prod }", True),
    ("{ $.cluster.name = prod }", False),
    # regular expressions are searched in the value's text
    ("{ $.eventName = %Role% }", True),
    ("{ $.eventName = %^Role% }", False),
    ("{ $.eventName != %^Role% }", True),
    ("{ $.sourceIPAddress = %^123\\.123\\.[0-9]+\\.4$% }", True),
    ("{ $.requestParameters.durationSeconds = %^9\\d\\d$% }", True),
    ("{ $.resources[*].ARN = %role/a$% }", True),
    # && binds tighter than ||; parentheses group
    ("{ $.eventName = X || $.eventName = AssumeRole && $.readOnly IS TRUE }", True),
    ("{ ($.eventName = X || $.eventName = AssumeRole) && $.readOnly IS FALSE }", False),
    ("{ ((($.eventName = AssumeRole))) }", True),
    ("{$.eventName=AssumeRole&&$.eventSource=sts.amazonaws.com}", True),
]


@pytest.mark.parametrize(("pattern", "expected"), BEHAVIOURS)
def test_behaviour(pattern: str, expected: bool) -> None:
    assert matches(pattern, RECORD) is expected


def test_or_of_equalities_folds_but_keeps_wildcards_and_other_selectors() -> None:
    pattern = (
        "{ $.eventName = A || $.eventName = Assume* || $.eventSource = sts.amazonaws.com || $.eventName = B }"
    )
    assert matches(pattern, {"eventName": "AssumeRoleWithSAML"})
    assert matches(pattern, {"eventSource": "sts.amazonaws.com"})
    assert matches(pattern, {"eventName": "B"})
    assert not matches(pattern, {"eventName": "C", "eventSource": "s3.amazonaws.com"})


def test_folded_equalities_see_numbers_as_text() -> None:
    assert matches("{ $.code = 200 || $.code = x }", {"code": "200"})
    assert matches('{ $.code = "200" || $.code = "x" }', {"code": 200})
    assert not matches('{ $.code = "200" || $.code = "x" }', {"code": {"200": 1}})


def test_json_patterns_read_the_record_never_the_message() -> None:
    unserialisable = {"eventName": "AssumeRole", "trap": {1, 2}}
    event = make_event(unserialisable)
    assert FilterPattern.parse("{ $.eventName = AssumeRole }").matches(event)


def test_selector_steps() -> None:
    tree = parse_pattern("{ $.coordinates[0][1] = 1 }")
    assert isinstance(tree, JsonPattern) and isinstance(tree.expression, Comparison)
    assert tree.expression.selector.steps == (Key("coordinates"), Index(0), Index(1))


def test_non_object_messages_never_match_a_json_pattern() -> None:
    pattern = FilterPattern.parse("{ $.a NOT EXISTS }")
    assert pattern.matches_message('{"b": 1}')
    assert not pattern.matches_message("[1, 2]")
    assert not pattern.matches_message("not json at all")
    assert not pattern.matches_message('"a string"')
