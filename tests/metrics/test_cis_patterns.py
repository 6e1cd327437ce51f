"""The CIS AWS Foundations CloudTrail patterns (spec §8) as the built-in pack ships them; §8.16 checklist."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from trailtui.metrics.patterns import FilterPattern, parse_pattern
from trailtui.metrics.patterns.parser import parse_selector
from trailtui.metrics.patterns.syntax import (
    And,
    Check,
    Comparison,
    Group,
    JsonPattern,
    KeywordCheck,
    Or,
    StringValue,
)
from trailtui.packs import load_builtin_packs

from .helpers import corpus_events, dig, matches

CIS_PATTERNS = {
    definition.name: definition.body["filterPattern"]
    for definition in load_builtin_packs().of_kind("metric-filter")
    if definition.pack == "cis-aws-foundations"
}


# ---------------------------------------------------------------- plain-Python answers, for the corpus


def is_scalar(value: Any) -> bool:
    return value is not None and not isinstance(value, dict | list)


def names_in(*names: str) -> Callable[[dict[str, Any]], bool]:
    return lambda record: record.get("eventName") in names


def source_and_names(source: str, *names: str) -> Callable[[dict[str, Any]], bool]:
    return lambda record: record.get("eventSource") == source and record.get("eventName") in names


def unauthorized(record: dict[str, Any]) -> bool:
    code = record.get("errorCode")
    return isinstance(code, str) and (
        code.endswith("UnauthorizedOperation") or code.startswith("AccessDenied")
    )


def sign_in_without_mfa(record: dict[str, Any]) -> bool:
    mfa = dig(record, "additionalEventData", "MFAUsed")
    return record.get("eventName") == "ConsoleLogin" and is_scalar(mfa) and mfa != "Yes"


def iam_user_sign_in_without_mfa(record: dict[str, Any]) -> bool:
    return (
        sign_in_without_mfa(record)
        and dig(record, "userIdentity", "type") == "IAMUser"
        and dig(record, "responseElements", "ConsoleLogin") == "Success"
    )


def root_usage(record: dict[str, Any]) -> bool:
    identity = record.get("userIdentity")
    event_type = record.get("eventType")
    return (
        isinstance(identity, dict)
        and identity.get("type") == "Root"
        and "invokedBy" not in identity
        and is_scalar(event_type)
        and event_type != "AwsServiceEvent"
    )


def failed_console_authentication(record: dict[str, Any]) -> bool:
    return record.get("eventName") == "ConsoleLogin" and record.get("errorMessage") == "Failed authentication"


EXPECTED: dict[str, Callable[[dict[str, Any]], bool]] = {
    "cis-unauthorized-api-calls": unauthorized,
    "cis-console-sign-in-without-mfa": sign_in_without_mfa,
    "cis-console-sign-in-without-mfa-iam-user": iam_user_sign_in_without_mfa,
    "cis-root-account-usage": root_usage,
    "cis-iam-policy-changes": names_in(
        *[
            "DeleteGroupPolicy",
            "DeleteRolePolicy",
            "DeleteUserPolicy",
            "PutGroupPolicy",
            "PutRolePolicy",
            "PutUserPolicy",
            "CreatePolicy",
            "DeletePolicy",
            "CreatePolicyVersion",
            "DeletePolicyVersion",
            "AttachRolePolicy",
            "DetachRolePolicy",
            "AttachUserPolicy",
            "DetachUserPolicy",
            "AttachGroupPolicy",
            "DetachGroupPolicy",
        ]
    ),
    "cis-cloudtrail-configuration-changes": names_in(
        "CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging"
    ),
    "cis-console-authentication-failures": failed_console_authentication,
    "cis-kms-key-disable-or-deletion": source_and_names(
        "kms.amazonaws.com", "DisableKey", "ScheduleKeyDeletion"
    ),
    "cis-s3-bucket-policy-changes": source_and_names(
        "s3.amazonaws.com",
        *[
            "PutBucketAcl",
            "PutBucketPolicy",
            "PutBucketCors",
            "PutBucketLifecycle",
            "PutBucketReplication",
            "DeleteBucketPolicy",
            "DeleteBucketCors",
            "DeleteBucketLifecycle",
            "DeleteBucketReplication",
        ],
    ),
    "cis-aws-config-changes": source_and_names(
        "config.amazonaws.com",
        "StopConfigurationRecorder",
        "DeleteDeliveryChannel",
        "PutDeliveryChannel",
        "PutConfigurationRecorder",
    ),
    "cis-security-group-changes": names_in(
        *[
            "AuthorizeSecurityGroupIngress",
            "AuthorizeSecurityGroupEgress",
            "RevokeSecurityGroupIngress",
            "RevokeSecurityGroupEgress",
            "CreateSecurityGroup",
            "DeleteSecurityGroup",
        ]
    ),
    "cis-network-acl-changes": names_in(
        *[
            "CreateNetworkAcl",
            "CreateNetworkAclEntry",
            "DeleteNetworkAcl",
            "DeleteNetworkAclEntry",
            "ReplaceNetworkAclEntry",
            "ReplaceNetworkAclAssociation",
        ]
    ),
    "cis-network-gateway-changes": names_in(
        *[
            "CreateCustomerGateway",
            "DeleteCustomerGateway",
            "AttachInternetGateway",
            "CreateInternetGateway",
            "DeleteInternetGateway",
            "DetachInternetGateway",
        ]
    ),
    "cis-route-table-changes": names_in(
        *[
            "CreateRoute",
            "CreateRouteTable",
            "ReplaceRoute",
            "ReplaceRouteTableAssociation",
            "DeleteRouteTable",
            "DeleteRoute",
            "DisassociateRouteTable",
        ]
    ),
    "cis-vpc-changes": names_in(
        *[
            "CreateVpc",
            "DeleteVpc",
            "ModifyVpcAttribute",
            "AcceptVpcPeeringConnection",
            "CreateVpcPeeringConnection",
            "DeleteVpcPeeringConnection",
            "RejectVpcPeeringConnection",
            "AttachClassicLinkVpc",
            "DetachClassicLinkVpc",
            "DisableVpcClassicLink",
            "EnableVpcClassicLink",
        ]
    ),
    "cis-organizations-changes": source_and_names(
        "organizations.amazonaws.com",
        *[
            "AcceptHandshake",
            "AttachPolicy",
            "CreateAccount",
            "CreateOrganizationalUnit",
            "CreatePolicy",
            "DeclineHandshake",
            "DeleteOrganization",
            "DeleteOrganizationalUnit",
            "DeletePolicy",
            "DetachPolicy",
            "DisablePolicyType",
            "EnablePolicyType",
            "InviteAccountToOrganization",
            "LeaveOrganization",
            "MoveAccount",
            "RemoveAccountFromOrganization",
            "UpdatePolicy",
            "UpdateOrganizationalUnit",
        ],
    ),
}


def test_the_pack_holds_every_cis_pattern() -> None:
    assert set(CIS_PATTERNS) == set(EXPECTED)


@pytest.mark.parametrize("name", CIS_PATTERNS)
def test_cis_pattern_parses_exactly_as_published(name: str) -> None:
    assert isinstance(parse_pattern(CIS_PATTERNS[name]), JsonPattern)


@pytest.mark.parametrize("name", CIS_PATTERNS)
def test_cis_pattern_counts_on_the_real_corpus_equal_a_plain_python_count(name: str) -> None:
    pattern = FilterPattern.parse(CIS_PATTERNS[name])
    events = corpus_events()
    engine = [event.ordinal for event in events if pattern.matches(event)]
    plain = [event.ordinal for event in events if EXPECTED[name](event.record)]
    assert engine == plain


@pytest.mark.parametrize("name", CIS_PATTERNS)
def test_cis_pattern_matches_something_in_the_corpus(name: str) -> None:
    pattern = FilterPattern.parse(CIS_PATTERNS[name])
    assert any(pattern.matches(event) for event in corpus_events())


def spaced(pattern: str) -> str:
    return re.sub(r"\s*(!=|=|&&|\|\||\(|\))\s*", r" \1 ", pattern)


def compact(pattern: str) -> str:
    return re.sub(r"\s*(!=|=|&&|\|\||\(|\))\s*", r"\1", pattern)


@pytest.mark.parametrize("name", CIS_PATTERNS)
def test_whitespace_around_operators_does_not_change_the_tree(name: str) -> None:
    text = CIS_PATTERNS[name]
    assert parse_pattern(spaced(text)) == parse_pattern(text) == parse_pattern(compact(text))


# ---------------------------------------------------------------- §8.16 checklist on handmade events


def test_unquoted_dotted_value_is_one_bare_string() -> None:
    tree = parse_pattern("{$.eventSource=kms.amazonaws.com}")
    assert isinstance(tree, JsonPattern) and isinstance(tree.expression, Comparison)
    assert tree.expression.value == StringValue("kms.amazonaws.com", quoted=False)


@pytest.mark.parametrize(
    ("error_code", "expected"),
    [
        ("Client.UnauthorizedOperation", True),
        ("UnauthorizedOperation", True),
        ("AccessDenied", True),
        ("AccessDeniedException", True),
        ("UnauthorizedOperationX", False),
        ("XAccessDenied", False),
        ("ThrottlingException", False),
    ],
)
def test_leading_and_trailing_wildcards_in_quotes(error_code: str, expected: bool) -> None:
    pattern = CIS_PATTERNS["cis-unauthorized-api-calls"]
    assert matches(pattern, {"errorCode": error_code}) is expected


def test_unauthorized_calls_needs_an_error_code() -> None:
    assert not matches(CIS_PATTERNS["cis-unauthorized-api-calls"], {"eventName": "GetObject"})


ROOT = {"type": "Root", "arn": "arn:aws:iam::123456789012:root"}


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ({"userIdentity": ROOT, "eventType": "AwsApiCall"}, True),
        ({"userIdentity": ROOT, "eventType": "AwsConsoleSignIn"}, True),
        ({"userIdentity": {**ROOT, "invokedBy": "s3.amazonaws.com"}, "eventType": "AwsApiCall"}, False),
        ({"userIdentity": ROOT, "eventType": "AwsServiceEvent"}, False),
        ({"userIdentity": {"type": "IAMUser"}, "eventType": "AwsApiCall"}, False),
        ({"userIdentity": ROOT}, False),
    ],
)
def test_not_exists_mixed_with_and_and_no_space_before_the_value(
    record: dict[str, Any], expected: bool
) -> None:
    assert matches(CIS_PATTERNS["cis-root-account-usage"], record) is expected


def test_not_exists_binds_inside_the_and_chain() -> None:
    tree = parse_pattern(CIS_PATTERNS["cis-root-account-usage"])
    assert isinstance(tree, JsonPattern) and isinstance(tree.expression, And)
    not_exists = KeywordCheck(parse_selector("$.userIdentity.invokedBy"), Check.NOT_EXISTS)
    assert tree.expression.operands[1] == not_exists


def test_sixteen_alternatives_in_one_or_chain() -> None:
    tree = parse_pattern(CIS_PATTERNS["cis-iam-policy-changes"])
    assert isinstance(tree, JsonPattern) and isinstance(tree.expression, Or)
    assert len(tree.expression.operands) == 16
    assert all(isinstance(operand, Group) for operand in tree.expression.operands)


@pytest.mark.parametrize("event_name", ["DeleteGroupPolicy", "AttachRolePolicy", "DetachGroupPolicy"])
def test_every_alternative_of_a_long_chain_matches(event_name: str) -> None:
    assert matches(CIS_PATTERNS["cis-iam-policy-changes"], {"eventName": event_name})


def test_a_name_outside_the_chain_does_not_match() -> None:
    assert not matches(CIS_PATTERNS["cis-iam-policy-changes"], {"eventName": "GetPolicy"})


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ({"eventSource": "kms.amazonaws.com", "eventName": "DisableKey"}, True),
        ({"eventSource": "kms.amazonaws.com", "eventName": "ScheduleKeyDeletion"}, True),
        ({"eventSource": "kms.amazonaws.com", "eventName": "EnableKey"}, False),
        ({"eventSource": "ec2.amazonaws.com", "eventName": "DisableKey"}, False),
    ],
)
def test_nested_parentheses_group_an_or_inside_an_and(record: dict[str, Any], expected: bool) -> None:
    assert matches(CIS_PATTERNS["cis-kms-key-disable-or-deletion"], record) is expected


@pytest.mark.parametrize(
    ("mfa_used", "user_type", "outcome", "expected"),
    [
        ("No", "IAMUser", "Success", True),
        ("Yes", "IAMUser", "Success", False),
        ("No", "AssumedRole", "Success", False),
        ("No", "IAMUser", "Failure", False),
    ],
)
def test_current_sign_in_without_mfa_pattern(
    mfa_used: str, user_type: str, outcome: str, expected: bool
) -> None:
    record = {
        "eventName": "ConsoleLogin",
        "additionalEventData": {"MFAUsed": mfa_used},
        "userIdentity": {"type": user_type},
        "responseElements": {"ConsoleLogin": outcome},
    }
    assert matches(CIS_PATTERNS["cis-console-sign-in-without-mfa-iam-user"], record) is expected


def test_sign_in_without_the_mfa_field_is_not_counted() -> None:
    assert not matches(CIS_PATTERNS["cis-console-sign-in-without-mfa"], {"eventName": "ConsoleLogin"})


def test_quoted_and_bare_event_names_match_the_same_events() -> None:
    quoted = '{($.eventSource = "organizations.amazonaws.com") && ($.eventName = "MoveAccount")}'
    bare = "{($.eventSource = organizations.amazonaws.com) && ($.eventName = MoveAccount)}"
    record = {"eventSource": "organizations.amazonaws.com", "eventName": "MoveAccount"}
    assert matches(quoted, record) and matches(bare, record)
    assert matches(CIS_PATTERNS["cis-organizations-changes"], record)
