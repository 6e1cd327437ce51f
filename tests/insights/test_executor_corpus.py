"""The four Logs Insights use cases of design.md over the real corpus, checked against plain Python."""

from collections import Counter
from typing import Any

from trailtui.insights.executor import compile_query, run_query

from . import queries
from .helpers import rows_of


def dig(record: dict[str, Any], path: str) -> Any:
    """A dotted path's leaf value, None when missing, null or not a leaf."""
    value: Any = record
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return None if isinstance(value, dict | list) else value


def text(value: Any) -> str | None:
    return None if value is None else str(value)


def test_console_signin_failures_grouped_like_a_counter(corpus_events):
    group_paths = (
        "sourceIPAddress",
        "errorMessage",
        "awsRegion",
        "userIdentity.arn",
        "additionalEventData.MFAUsed",
    )
    expected = Counter(
        tuple(text(dig(event.record, path)) for path in group_paths)
        for event in corpus_events
        if event.record.get("eventSource") == "signin.amazonaws.com"
        and event.record.get("eventName") == "ConsoleLogin"
        and dig(event.record, "responseElements.ConsoleLogin") == "Failure"
    )
    rows = rows_of(run_query(queries.CONSOLE_SIGNIN_FAILURES, corpus_events))
    columns = ("Source_IP", "Reason", "AWS_Region", "IAM_Arn", "MFA_Used")
    actual = {tuple(row.get(column) for column in columns): int(row["Total_Count"]) for row in rows}
    assert actual == dict(expected)
    assert sum(expected.values()) > 5


def test_kms_keys_not_equal_is_literal_so_aws_kms_keys_stay(corpus_events):
    expected = {
        event.ptr
        for event in corpus_events
        if event.record.get("eventName") == "CreateKey"
        and dig(event.record, "requestParameters.origin") is not None
        and dig(event.record, "requestParameters.origin") != "AWS_*"
    }
    compiled = compile_query(queries.KMS_KEYS_NON_AWS_MATERIAL)
    rows = rows_of(run_query(compiled, corpus_events))
    assert {row["@ptr"] for row in rows} == expected
    assert "AWS_KMS" in {row["keyMaterial"] for row in rows}
    assert [warning.column for warning in compiled.warnings] == [len(queries.KMS_KEYS_NON_AWS_MATERIAL) - 6]


def test_rds_instances_created(corpus_events):
    expected = sorted(
        (
            -event.timestamp_ms,
            text(event.record.get("awsRegion")),
            text(dig(event.record, "requestParameters.dBInstanceIdentifier")),
            text(dig(event.record, "userIdentity.arn")),
        )
        for event in corpus_events
        if event.record.get("eventSource") == "rds.amazonaws.com"
        and event.record.get("eventName") == "CreateDBInstance"
    )
    rows = rows_of(run_query(queries.RDS_INSTANCES_CREATED, corpus_events))
    assert [(row.get("AWS_Region"), row.get("Database_Name"), row.get("IAM_Arn")) for row in rows] == [
        expected_row[1:] for expected_row in expected
    ]
    assert [list(row)[:3] for row in rows] == [["AWS_Region", "Database_Name", "IAM_Arn"]] * len(rows)


def test_rds_instances_modified_with_parse(corpus_events):
    marker = 'requestParameters":{'
    expected = {}
    for event in corpus_events:
        if (
            event.record.get("eventSource") == "rds.amazonaws.com"
            and event.record.get("eventName") == "ModifyDBInstance"
        ):
            message = event.message
            start = message.find(marker)
            end = message.find("}", start + len(marker)) if start >= 0 else -1
            expected[event.ptr] = message[start + len(marker) : end] if end >= 0 else None
    rows = rows_of(run_query(queries.RDS_INSTANCES_MODIFIED, corpus_events))
    assert {row["@ptr"]: row.get("dbChanges") for row in rows} == expected
    assert len(expected) > 3
    assert all(set(row) <= {"AWS_Region", "Database_Name", "IAM_Arn", "dbChanges", "@ptr"} for row in rows)
