"""The three seed rules (design use cases 5, 6, 7) over the real corpus, checked against plain Counters."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from trailtui.contributors import Ranking, Rule, build_report

from .helpers import corpus_events, load_rule, make_event

TOP_API_CALLS = "top-api-calls-excluding-assumerole"
THROTTLED_APIS = "throttled-apis-and-callers"
ACCESS_DENIED = "access-denied-by-principal"
EVERYTHING = ("1970-01-01T00:00:00Z", "2030-01-01T00:00:00Z")
YEAR_SECONDS = 365 * 86_400


def whole_corpus_report(rule: Rule, events: Any = None) -> dict[str, Any]:
    ranking = Ranking(rule)
    ranking.add_batch(corpus_events() if events is None else events)
    return build_report(ranking, *EVERYTHING, YEAR_SECONDS, max_contributor_count=100)


def ranked(counts: Counter[Any]) -> list[tuple[list[str], float]]:
    """A Counter in report order: by count descending, then by key tuple."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:100]
    return [(list(keys), float(count)) for keys, count in ordered]


def contributors(report: dict[str, Any]) -> list[tuple[list[str], float]]:
    return [(entry["Keys"], entry["ApproximateAggregateValue"]) for entry in report["Contributors"]]


def arn_of(record: dict[str, Any]) -> Any:
    identity = record.get("userIdentity")
    return identity.get("arn") if isinstance(identity, dict) else None


def test_seed_rules_are_the_design_use_cases() -> None:
    top, throttled, denied = load_rule(TOP_API_CALLS), load_rule(THROTTLED_APIS), load_rule(ACCESS_DENIED)
    assert (top.keys, top.aggregate_on) == (("$.eventName",), "Count")
    assert [(f.match, f.operator, f.operand) for f in top.filters] == [
        ("$.eventName", "NotIn", ("AssumeRole",))
    ]
    assert throttled.keys == ("$.eventName", "$.userIdentity.arn")
    assert [(f.match, f.operator, f.operand) for f in throttled.filters] == [
        ("$.errorCode", "In", ("Client.RequestLimitExceeded",))
    ]
    assert denied.keys == ("$.userIdentity.arn", "$.eventName")
    assert [(f.match, f.operator, f.operand) for f in denied.filters] == [
        ("$.errorCode", "In", ("AccessDenied", "UnauthorizedOperation"))
    ]


def test_top_api_calls_excluding_assume_role_over_the_corpus() -> None:
    records = [event.record for event in corpus_events()]
    expected = Counter(
        (record["eventName"],)
        for record in records
        if isinstance(record.get("eventName"), str) and record["eventName"] != "AssumeRole"
    )
    report = whole_corpus_report(load_rule(TOP_API_CALLS))
    assert contributors(report) == ranked(expected)
    assert report["AggregateValue"] == float(expected.total())
    assert report["ApproximateUniqueCount"] == len(expected)
    assert ("AssumeRole",) not in {tuple(keys) for keys, _ in contributors(report)}


def test_access_denied_by_principal_over_the_corpus() -> None:
    records = [event.record for event in corpus_events()]
    denied = {"AccessDenied", "UnauthorizedOperation"}
    expected = Counter(
        (arn_of(record), record["eventName"])
        for record in records
        if record.get("errorCode") in denied and isinstance(arn_of(record), str) and "eventName" in record
    )
    assert expected, "the corpus holds AccessDenied events"
    report = whole_corpus_report(load_rule(ACCESS_DENIED))
    assert contributors(report) == ranked(expected)
    assert report["AggregateValue"] == float(expected.total())


def test_throttled_apis_over_the_corpus_finds_nothing() -> None:
    """The corpus has ThrottlingException but no Client.RequestLimitExceeded: the filter is exact."""
    assert not any(
        event.record.get("errorCode") == "Client.RequestLimitExceeded" for event in corpus_events()
    )
    report = whole_corpus_report(load_rule(THROTTLED_APIS))
    assert report["Contributors"] == []
    assert report["AggregateValue"] == 0.0


def throttled_event(name: str, arn: str | None, error_code: str, minute: int) -> Any:
    record: dict[str, Any] = {"eventName": name, "errorCode": error_code, "userIdentity": {"type": "IAMUser"}}
    if arn is not None:
        record["userIdentity"]["arn"] = arn
    return make_event(record, 1_700_000_000_000 + minute * 60_000, ordinal=minute)


HANDMADE_THROTTLING = [
    throttled_event("DescribeInstances", "arn:aws:iam::1:user/ci", "Client.RequestLimitExceeded", 0),
    throttled_event("DescribeInstances", "arn:aws:iam::1:user/ci", "Client.RequestLimitExceeded", 1),
    throttled_event("DescribeInstances", "arn:aws:iam::1:user/ci", "Client.RequestLimitExceeded", 2),
    throttled_event("DescribeVolumes", "arn:aws:iam::1:user/ci", "Client.RequestLimitExceeded", 3),
    throttled_event("DescribeInstances", "arn:aws:iam::1:role/app", "Client.RequestLimitExceeded", 4),
    throttled_event("DescribeInstances", "arn:aws:iam::1:role/app", "ThrottlingException", 5),
    throttled_event("DescribeInstances", "arn:aws:iam::1:role/app", "client.requestlimitexceeded", 6),
    throttled_event("DescribeInstances", None, "Client.RequestLimitExceeded", 7),
]


def test_throttled_apis_and_callers_on_handmade_events() -> None:
    expected = Counter(
        (event.record["eventName"], event.record["userIdentity"]["arn"])
        for event in HANDMADE_THROTTLING
        if event.record["errorCode"] == "Client.RequestLimitExceeded"
        and "arn" in event.record["userIdentity"]
    )
    report = whole_corpus_report(load_rule(THROTTLED_APIS), HANDMADE_THROTTLING)
    assert contributors(report) == ranked(expected)
    assert contributors(report)[0] == (["DescribeInstances", "arn:aws:iam::1:user/ci"], 3.0)
    assert report["KeyLabels"] == ["$.eventName", "$.userIdentity.arn"]


@pytest.mark.parametrize("name", [TOP_API_CALLS, THROTTLED_APIS, ACCESS_DENIED])
def test_seed_rules_per_period_sums_add_up_to_the_window_total(name: str) -> None:
    report = whole_corpus_report(load_rule(name))
    assert sum(point["Sum"] for point in report["MetricDatapoints"]) == report["AggregateValue"]
    for entry in report["Contributors"]:
        assert (
            sum(point["ApproximateValue"] for point in entry["Datapoints"])
            == entry["ApproximateAggregateValue"]
        )
