"""Packs: the built-in definitions, the user's folder beside them, and broken user files skipped in a line."""

from __future__ import annotations

from pathlib import Path

import orjson

from trailtui.backends.local_definitions import compile_packs
from trailtui.insights import executor
from trailtui.packs import load_builtin_packs, load_packs, user_packs_dir, write_user_definition


def write_json(path: Path, body: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(orjson.dumps(body))
    return path


def test_builtin_packs_hold_the_design_definitions_and_every_cis_filter_with_its_alarm() -> None:
    contents = load_builtin_packs()
    assert contents.problems == []
    by_kind = {
        kind: {d.name for d in contents.of_kind(kind)} for kind in ("query", "rule", "metric-filter", "alarm")
    }
    assert len(by_kind["query"]) == 4
    assert by_kind["rule"] == {
        "top-api-calls-excluding-assumerole",
        "throttled-apis-and-callers",
        "access-denied-by-principal",
    }
    cis_filters = {name for name in by_kind["metric-filter"] if name.startswith("cis-")}
    assert len(cis_filters) == 16
    assert cis_filters <= by_kind["alarm"]
    assert {"assume-role-duration"} == by_kind["metric-filter"] - cis_filters


def test_every_builtin_definition_passes_its_engine() -> None:
    compiled = compile_packs(load_builtin_packs())
    assert compiled.problems == []
    assert len(compiled.accepted) == len(load_builtin_packs().definitions)


def test_builtin_queries_are_the_design_queries_verbatim_and_compile(corpus_dir: Path) -> None:
    design = (corpus_dir.parent.parent / "design.md").read_text()
    queries = [d.body["queryString"] for d in load_builtin_packs().of_kind("query")]
    assert len(queries) == 4
    for query in queries:
        assert f"`{query}`" in design
        executor.compile_query(query)


def test_every_cis_alarm_is_sum_at_least_one_in_five_minutes() -> None:
    contents = load_builtin_packs()
    for alarm in contents.of_kind("alarm"):
        if alarm.pack != "cis-aws-foundations":
            continue
        metric_filter = contents.find("metric-filter", alarm.name)
        assert metric_filter is not None
        transformation = metric_filter.body["metricTransformations"][0]
        assert (alarm.body["Namespace"], alarm.body["MetricName"]) == (
            transformation["metricNamespace"],
            transformation["metricName"],
        )
        assert {
            key: alarm.body[key] for key in ("Statistic", "Period", "EvaluationPeriods", "Threshold")
        } == {
            "Statistic": "Sum",
            "Period": 300,
            "EvaluationPeriods": 1,
            "Threshold": 1,
        }
        assert alarm.body["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
        assert alarm.body["TreatMissingData"] == "notBreaching"


def test_user_definitions_sit_beside_and_replace_builtin_ones(tmp_path: Path) -> None:
    rule = load_builtin_packs().find("rule", "access-denied-by-principal")
    assert rule is not None
    write_json(tmp_path / "mine" / "rules" / "denied-by-ip.json", rule.body)
    override = write_json(
        tmp_path / "mine" / "queries" / "x.json", {"name": "RDS instances created", "queryString": "limit 1"}
    )
    contents = load_packs(tmp_path)
    assert contents.find("rule", "denied-by-ip") is not None
    found = contents.find("query", "RDS instances created")
    assert found is not None and found.source == str(override)
    assert contents.find("rule", "access-denied-by-principal") is not None


def test_broken_user_files_are_reported_in_one_line_each_and_skipped(tmp_path: Path) -> None:
    (tmp_path / "mine" / "alarms").mkdir(parents=True)
    (tmp_path / "mine" / "alarms" / "half.json").write_text('{"AlarmName": ')
    write_json(tmp_path / "mine" / "metric-filters" / "nameless.json", {"filterPattern": "x"})
    write_json(tmp_path / "stray.json", {})
    bad_rule = write_json(tmp_path / "mine" / "rules" / "bad.json", {"Schema": {"Name": "CloudWatchLogRule"}})
    compiled = compile_packs(load_packs(tmp_path))
    assert sorted(line.split(": skipped: ")[0] for line in compiled.problems) == sorted(
        str(path)
        for path in (
            tmp_path / "mine" / "alarms" / "half.json",
            tmp_path / "mine" / "metric-filters" / "nameless.json",
            tmp_path / "stray.json",
            bad_rule,
        )
    )
    assert all("\n" not in line for line in compiled.problems)
    assert len(compiled.rules) == 3


def test_user_folder_from_the_environment() -> None:
    assert user_packs_dir({"TRAILTUI_PACKS_DIR": "/p", "XDG_CONFIG_HOME": "/x"}) == Path("/p")
    assert user_packs_dir({"XDG_CONFIG_HOME": "/x"}) == Path("/x/trailtui/packs")
    assert user_packs_dir({}) == Path.home() / ".config" / "trailtui" / "packs"


def test_writing_a_user_definition_leaves_no_temporary_file_and_can_refuse_to_replace(tmp_path: Path) -> None:
    body = {"name": "q", "queryString": "limit 1"}
    path = write_user_definition("query", "q", body, tmp_path)
    assert path is not None and orjson.loads(path.read_bytes()) == body
    assert write_user_definition("query", "q", {"name": "other"}, tmp_path, replace=False) is None
    assert orjson.loads(path.read_bytes()) == body
    assert [p.name for p in path.parent.iterdir()] == ["q.json"]
