"""The local backend's rules, metric filters, alarms, saved queries, tail and replay controls (AWS shapes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from small_trails import START, event, write_trail
from trailtui.backends.base import (
    BackendError,
    InvalidDefinition,
    InvalidPattern,
    NotFound,
    RuleReportRequest,
    TailRequest,
)
from trailtui.backends.local import LocalBackend
from trailtui.backends.local_replay import ReplaySettings
from trailtui.packs import PackContents

START_MS = int(START.timestamp() * 1000)
TRAIL = [event(minute, "GetUser" if minute % 2 else "ListRoles") for minute in range(20)]


def backend(tmp_path: Path, settings: ReplaySettings | None = None, **kwargs: Any) -> LocalBackend:
    trail = write_trail(tmp_path / "trail", TRAIL)
    return LocalBackend([str(trail)], replay=settings, user_packs_dir=tmp_path / "user-packs", **kwargs)


async def test_packs_are_loaded_and_described_in_aws_shapes(tmp_path: Path) -> None:
    local = backend(tmp_path)
    rules = (await local.describe_insight_rules())["InsightRules"]
    assert {rule["Name"] for rule in rules} >= {
        "access-denied-by-principal",
        "top-api-calls-excluding-assumerole",
    }
    assert rules[0]["Schema"] == "CloudWatchLogRule/1"
    assert orjson.loads(rules[0]["Definition"])["Schema"]["Name"] == "CloudWatchLogRule"
    filters = (await local.describe_metric_filters())["metricFilters"]
    assert len(filters) == 17 and {"filterName", "filterPattern", "creationTime"} <= set(filters[0])
    alarms = (await local.describe_alarms())["MetricAlarms"]
    assert {alarm["StateValue"] for alarm in alarms} == {"INSUFFICIENT_DATA"}
    await local.close()


async def test_a_refused_rule_raises_with_its_location(tmp_path: Path) -> None:
    local = backend(tmp_path, packs=PackContents())
    with pytest.raises(InvalidDefinition, match=r"Contribution\.Filters\[0\]") as refused:
        await local.put_insight_rule(
            "bad",
            orjson.dumps(
                {
                    "Schema": {"Name": "CloudWatchLogRule", "Version": 1},
                    "LogGroupNames": ["g"],
                    "LogFormat": "JSON",
                    "Contribution": {"Keys": ["$.a"], "Filters": [{"Match": "$.a", "Like": ["x"]}]},
                    "AggregateOn": "Count",
                }
            ).decode(),
        )
    assert refused.value.location == "Contribution.Filters[0].Like"
    with pytest.raises(NotFound):
        await local.get_insight_rule_report(RuleReportRequest("bad", 0, 1))
    await local.close()


async def test_a_malformed_tail_pattern_names_its_column(tmp_path: Path) -> None:
    local = backend(tmp_path, packs=PackContents())
    with pytest.raises(InvalidPattern) as refused:
        await anext(aiter(local.tail(TailRequest('{ $.eventName = "x" '))))
    assert refused.value.column is not None and refused.value.column > 1
    await local.close()


async def test_seeking_after_the_end_replays_again_from_there(tmp_path: Path) -> None:
    local = backend(tmp_path, packs=PackContents())
    await local.replay_to_end()
    local.replay.seek(START_MS + 15 * 60_000)
    await local.replay_to_end()
    status = local.replay.status()
    assert (status.finished, status.events_delivered, status.clock_ms) == (True, 5, START_MS + 19 * 60_000)
    await local.close()


async def test_rules_count_the_replayed_events(tmp_path: Path) -> None:
    local = backend(tmp_path)
    await local.replay_to_end()
    report = await local.get_insight_rule_report(
        RuleReportRequest("top-api-calls-excluding-assumerole", START_MS, START_MS + 3_600_000, 3600)
    )
    assert [(c["Keys"], c["ApproximateAggregateValue"]) for c in report["Contributors"]] == [
        (["GetUser"], 10.0),
        (["ListRoles"], 10.0),
    ]
    assert local.processed_span_ms() == (START_MS, START_MS + 19 * 60_000)
    await local.close()


async def test_saved_queries_are_written_to_the_user_folder(tmp_path: Path) -> None:
    local = backend(tmp_path)
    definition_id = await local.put_query_definition("Top callers", "stats count(*) by userIdentity.arn")
    path = tmp_path / "user-packs" / "saved" / "queries" / "Top-callers.json"
    assert orjson.loads(path.read_bytes()) == {
        "name": "Top callers",
        "queryString": "stats count(*) by userIdentity.arn",
    }
    assert await local.put_query_definition("Top callers", "limit 5") == definition_id
    assert orjson.loads(path.read_bytes())["queryString"] == "limit 5"
    await local.put_query_definition("Top/callers", "limit 1")
    assert sorted(p.name for p in path.parent.iterdir()) == ["Top-callers-2.json", "Top-callers.json"]
    listed = (await local.describe_query_definitions())["queryDefinitions"]
    assert {"Top callers", "Top/callers", "Console sign-in failures"} <= {q["name"] for q in listed}
    with pytest.raises(BackendError, match="malformed query"):
        await local.put_query_definition("broken", "stats count(")
    await local.close()


async def test_tail_is_a_session_start_then_updates_of_matching_events(tmp_path: Path) -> None:
    local = backend(tmp_path, packs=PackContents())
    items = [item async for item in local.tail(TailRequest('{$.eventName = "GetUser"}'))]
    assert items[0]["sessionStart"]["logEventFilterPattern"] == '{$.eventName = "GetUser"}'
    results = [result for item in items[1:] for result in item["sessionUpdate"]["sessionResults"]]
    assert all(item["sessionUpdate"]["sessionMetadata"] == {"sampled": False} for item in items[1:])
    assert len(results) == 10
    assert set(results[0]) == {"logStreamName", "logGroupIdentifier", "message", "timestamp", "ingestionTime"}
    assert results[0]["logStreamName"] == "111122223333_CloudTrail_us-east-1"
    assert [orjson.loads(r["message"])["eventName"] for r in results] == ["GetUser"] * 10
    assert [r["timestamp"] for r in results] == sorted(r["timestamp"] for r in results)
    await local.close()


async def test_controls_before_the_start_become_its_settings(tmp_path: Path) -> None:
    local = backend(tmp_path, packs=PackContents())
    local.replay.pause()
    local.replay.seek(START_MS + 10 * 60_000)
    assert local.replay.status().paused
    local.start_replay()
    assert not local.replay.wait(0.5)
    local.replay.resume()
    await local.replay_to_end()
    status = local.replay.status()
    assert (status.finished, status.events_delivered) == (True, 10)
    await local.close()


async def test_metric_data_and_alarm_history_after_a_replay(tmp_path: Path) -> None:
    local = backend(tmp_path, packs=PackContents())
    await local.put_metric_filter(
        {
            "filterName": "list-roles",
            "filterPattern": '{$.eventName = "ListRoles"}',
            "logGroupName": "CloudTrail/DefaultLogGroup",
            "metricTransformations": [
                {"metricName": "ListRoles", "metricNamespace": "T", "metricValue": "1"}
            ],
        }
    )
    await local.put_metric_alarm(
        {
            "AlarmName": "many-lists",
            "MetricName": "ListRoles",
            "Namespace": "T",
            "Statistic": "Sum",
            "Period": 600,
            "EvaluationPeriods": 1,
            "Threshold": 5,
            "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        }
    )
    changes: list[Any] = []
    local.on_alarm(changes.append)
    await local.replay_to_end()
    data = await local.get_metric_data(
        [
            {
                "Id": "a",
                "MetricStat": {
                    "Metric": {"Namespace": "T", "MetricName": "ListRoles"},
                    "Period": 600,
                    "Stat": "Sum",
                },
            }
        ],
        START_MS,
        START_MS + 3_600_000,
    )
    assert data["MetricDataResults"][0]["Values"] == [5.0, 5.0]
    history = (await local.describe_alarm_history("many-lists"))["AlarmHistoryItems"]
    assert [item["HistorySummary"] for item in history] == ["Alarm updated from INSUFFICIENT_DATA to ALARM"]
    assert [str(change.new_state) for change in changes] == ["ALARM"]
    with pytest.raises(BackendError):
        await local.get_metric_data([{"Id": "Bad"}], START_MS, START_MS + 1)
    await local.close()
