"""`trailtui metrics --live`: the account's metric filter (moto), its metric once per dimension values
ListMetrics knows, through GetMetricData (moto, on data put as the filter would publish it)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest

from trailtui.cli import main
from trailtui.events.model import Event

from .conftest import TRAIL_GROUP
from .live_cli import Account, patched_account, write_json


@pytest.fixture
def account(
    moto_url: str,
    corpus_groups: dict[str, list[Event]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> Account:
    return patched_account(moto_url, monkeypatch, tmp_path)


def metric_filter(name: str, metric: str, dimensions: dict[str, str] | None = None) -> dict[str, Any]:
    transformation: dict[str, Any] = {
        "metricName": metric,
        "metricNamespace": "CliLive",
        "metricValue": "1",
        "defaultValue": 0.0,
    }
    if dimensions:
        transformation["dimensions"] = dimensions
    return {
        "filterName": name,
        "filterPattern": "{ $.eventSource = * }",
        "logGroupName": "CloudTrail/DefaultLogGroup",
        "metricTransformations": [transformation],
    }


def test_each_published_dimension_value_is_a_result_over_the_last_hour(
    account: Account, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = metric_filter("cli-calls-by-source", "CallsBySource", {"EventSource": "$.eventSource"})
    account.clients.logs.put_metric_filter(**{**body, "logGroupName": TRAIL_GROUP})
    minute = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=10)
    published = [("iam.amazonaws.com", 3.0), ("iam.amazonaws.com", 1.0), ("sts.amazonaws.com", 2.0)]
    for source, value in published:
        datum = {"MetricName": "CallsBySource", "Timestamp": minute, "Value": value}
        dimensions = [{"Name": "EventSource", "Value": source}]
        account.clients.cloudwatch.put_metric_data(
            Namespace="CliLive", MetricData=[{**datum, "Dimensions": dimensions}]
        )
    other = {"MetricName": "CallsBySource", "Timestamp": minute, "Value": 9.0}
    other_dimensions = [{"Name": "Other", "Value": "x"}]
    account.clients.cloudwatch.put_metric_data(
        Namespace="CliLive", MetricData=[{**other, "Dimensions": other_dimensions}]
    )
    arguments = ["metrics", write_json(tmp_path / "f.json", body), *account.live("--format", "json")]
    assert main(arguments) == 0
    captured = capsys.readouterr()
    assert (
        captured.err == f"trailtui: using log group {TRAIL_GROUP}, where trail main-trail sends its events\n"
    )
    results = orjson.loads(captured.out)["MetricDataResults"]
    by_label = {result["Label"]: result for result in results}
    assert set(by_label) == {
        "CallsBySource EventSource=iam.amazonaws.com",
        "CallsBySource EventSource=sts.amazonaws.com",
    }
    assert sorted(result["Id"] for result in results) == ["m1", "m2"]
    bucket = (minute - timedelta(minutes=minute.minute % 5)).strftime("%Y-%m-%dT%H:%M:%S")
    assert by_label["CallsBySource EventSource=iam.amazonaws.com"]["Values"] == [4.0]
    assert by_label["CallsBySource EventSource=iam.amazonaws.com"]["Timestamps"][0].startswith(bucket)
    assert by_label["CallsBySource EventSource=sts.amazonaws.com"]["Values"] == [2.0]


def test_the_table_and_the_stat_are_the_local_ones(
    account: Account, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = metric_filter("cli-plain-metric", "PlainCalls")
    account.clients.logs.put_metric_filter(**{**body, "logGroupName": TRAIL_GROUP})
    minute = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=3)
    for value in (5.0, 7.0):
        datum = {"MetricName": "PlainCalls", "Timestamp": minute, "Value": value}
        account.clients.cloudwatch.put_metric_data(Namespace="CliLive", MetricData=[datum])
    arguments = ["metrics", write_json(tmp_path / "f.json", body), "--stat", "Maximum", "--period", "1m"]
    assert main([*arguments, *account.live("--log-group", TRAIL_GROUP)]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    lines = captured.out.splitlines()
    assert lines[0].split() == ["Timestamp", "Label", "Value"]
    assert lines[2].split() == [minute.strftime("%Y-%m-%dT%H:%M:%SZ"), "PlainCalls", "7"]


def test_a_missing_filter_is_created_only_with_yes(
    account: Account, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_json(tmp_path / "f.json", metric_filter("cli-new-filter", "NewCalls"))
    group = ["--log-group", TRAIL_GROUP]
    assert main(["metrics", path, *account.live(*group)]) == 2
    assert capsys.readouterr().err == (
        "trailtui: no metric filter named 'cli-new-filter' in the account: pass --yes to create it "
        "(PutMetricFilter)\n"
    )
    assert main(["metrics", path, *account.live(*group, "--yes")]) == 0
    captured = capsys.readouterr()
    assert captured.err == (
        f"trailtui: created metric filter cli-new-filter on {TRAIL_GROUP}: it publishes CliLive/NewCalls "
        "for events from now on\n"
    )
    assert captured.out == "(no datapoints)\n"
    filters = account.clients.logs.describe_metric_filters(logGroupName=TRAIL_GROUP)["metricFilters"]
    [created] = [item for item in filters if item["filterName"] == "cli-new-filter"]
    assert created["filterPattern"] == "{ $.eventSource = * }"
    assert created["metricTransformations"][0]["metricName"] == "NewCalls"
