"""`trailtui contributors --live`: the account's rule (moto) reported by GetInsightRuleReport (a Stubber, as
moto lacks it); a missing rule created only with --yes, on the command's log group."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest

from trailtui.cli import main
from trailtui.events.model import Event

from .conftest import TRAIL_GROUP
from .live_cli import Account, PartialStubber, patched_account, write_json

RULE_BODY = {
    "Schema": {"Name": "CloudWatchLogRule", "Version": 1},
    "LogGroupNames": ["CloudTrail/DefaultLogGroup"],
    "LogFormat": "JSON",
    "Contribution": {"Keys": ["$.eventName"], "Filters": []},
    "AggregateOn": "Count",
}
T0 = datetime(2024, 3, 1, 10, 0, tzinfo=UTC)
REPORT = {
    "KeyLabels": ["$.eventName"],
    "AggregationStatistic": "Count",
    "AggregateValue": 7.0,
    "ApproximateUniqueCount": 2,
    "Contributors": [
        {
            "Keys": ["AssumeRole"],
            "ApproximateAggregateValue": 5.0,
            "Datapoints": [{"Timestamp": T0, "ApproximateValue": 5.0}],
        },
        {
            "Keys": ["GetUser"],
            "ApproximateAggregateValue": 2.0,
            "Datapoints": [{"Timestamp": T0, "ApproximateValue": 2.0}],
        },
    ],
    "MetricDatapoints": [{"Timestamp": T0, "UniqueContributors": 2.0, "Sum": 7.0}],
}


@pytest.fixture
def account(moto_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Account:
    return patched_account(moto_url, monkeypatch, tmp_path)


METRICS = ["UniqueContributors", "MaxContributorValue", "SampleCount", "Sum", "Minimum", "Maximum", "Average"]


def rule_file(tmp_path: Path, name: str) -> str:
    return write_json(tmp_path / f"{name}.json", RULE_BODY)


def test_an_account_rule_is_reported_with_the_options_in_the_request(
    account: Account, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    account.clients.cloudwatch.put_insight_rule(
        RuleName="cli-existing-rule", RuleState="ENABLED", RuleDefinition=orjson.dumps(RULE_BODY).decode()
    )
    stubber = PartialStubber(account.clients.cloudwatch, "GetInsightRuleReport")
    expected = {
        "RuleName": "cli-existing-rule",
        "StartTime": T0,
        "EndTime": T0 + timedelta(hours=2),
        "Period": 3600,
        "MaxContributorCount": 3,
        "OrderBy": "Maximum",
        "Metrics": METRICS,
    }
    stubber.add_response("get_insight_rule_report", REPORT, expected)
    options = ["--period", "1h", "--top", "3", "--order-by", "Maximum", "--format", "json"]
    window = ["--start", "2024-03-01T10:00:00Z", "--end", "2024-03-01T11:59:59Z"]
    with stubber:
        code = main(
            ["contributors", rule_file(tmp_path, "cli-existing-rule"), *account.live(*options, *window)]
        )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    report = orjson.loads(captured.out)
    assert report["Contributors"][0]["Datapoints"] == [
        {"Timestamp": "2024-03-01T10:00:00Z", "ApproximateValue": 5.0}
    ]
    assert report["AggregateValue"] == 7.0
    assert captured.err == ""
    stubber.assert_no_pending_responses()
    assert account.closed == 1


def test_the_table_is_the_local_ranking_and_the_default_window_is_the_last_hour(
    account: Account, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    account.clients.cloudwatch.put_insight_rule(
        RuleName="cli-table-rule", RuleState="ENABLED", RuleDefinition=orjson.dumps(RULE_BODY).decode()
    )
    stubber = PartialStubber(account.clients.cloudwatch, "GetInsightRuleReport")
    stubber.add_response("get_insight_rule_report", REPORT)
    requests = account.captured(account.clients.cloudwatch, "GetInsightRuleReport")
    before = datetime.now(UTC)
    with stubber:
        assert main(["contributors", rule_file(tmp_path, "cli-table-rule"), *account.live()]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[2].split()[:3] == ["1", "AssumeRole", "5"]
    assert lines[3].split()[:3] == ["2", "GetUser", "2"]
    assert lines[-1] == "7 in all (Count), 2 distinct contributors"
    [request] = requests
    assert (request["Period"], request["MaxContributorCount"], request["OrderBy"]) == (300, 10, "Sum")
    assert request["EndTime"] >= before - timedelta(seconds=1)
    span = request["EndTime"] - request["StartTime"]
    assert timedelta(hours=1) <= span < timedelta(hours=1, minutes=5)
    assert request["StartTime"].timestamp() % 300 == 0


def test_a_missing_rule_is_not_created_without_yes(
    account: Account, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["contributors", rule_file(tmp_path, "cli-absent-rule"), *account.live()]) == 2
    assert capsys.readouterr().err == (
        "trailtui: no Contributor Insights rule named 'cli-absent-rule' in the account: "
        "pass --yes to create it (PutInsightRule)\n"
    )
    rules = account.clients.cloudwatch.describe_insight_rules()["InsightRules"]
    assert "cli-absent-rule" not in {rule["Name"] for rule in rules}


def test_yes_creates_a_missing_rule_on_the_trails_log_group(
    account: Account,
    corpus_groups: dict[str, list[Event]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    stubber = PartialStubber(account.clients.cloudwatch, "GetInsightRuleReport")
    empty = {
        "KeyLabels": ["$.eventName"],
        "AggregationStatistic": "Count",
        "AggregateValue": 0.0,
        "ApproximateUniqueCount": 0,
        "Contributors": [],
        "MetricDatapoints": [],
    }
    stubber.add_response("get_insight_rule_report", empty)
    with stubber:
        code = main(["contributors", rule_file(tmp_path, "cli-new-rule"), *account.live("--yes")])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.err.splitlines() == [
        f"trailtui: using log group {TRAIL_GROUP}, where trail main-trail sends its events",
        f"trailtui: created Contributor Insights rule cli-new-rule on {TRAIL_GROUP}: it counts events from "
        "now on, so its first reports are empty",
    ]
    assert (
        captured.out == "(no rows)\n0 in all (Count), 0 distinct contributors\n" or "0 in all" in captured.out
    )
    rules = account.clients.cloudwatch.describe_insight_rules()["InsightRules"]
    [rule] = [rule for rule in rules if rule["Name"] == "cli-new-rule"]
    assert rule["State"] == "ENABLED"
    assert orjson.loads(rule["Definition"]) == {**RULE_BODY, "LogGroupNames": [TRAIL_GROUP]}
