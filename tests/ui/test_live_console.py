"""The console on a live account: moto's server with the corpus (tests/moto_account.py), a backend
read-only as `trailtui --live` makes it. Calls moto lacks (QueryDefinitions) and a refused call
(AccessDenied) are answered in the service's shapes by a botocore `before-call` hook on that one
operation, so every other call still goes to moto."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from textual.widgets import Input, Static

from moto_account import FAST_RETRIES, FAST_TAIL, OTHER_GROUP, REGION, TRAIL_GROUP, backend_on
from trailtui.backends.aws import AwsBackend
from trailtui.backends.aws_session import AwsOptions, open_clients
from trailtui.cli.console_command import build_console
from trailtui.ui.app import TrailApp
from trailtui.ui.config import load_config
from trailtui.ui.screens.confirm import ConfirmScreen
from trailtui.ui.screens.log_group_picker import LogGroupPicker
from trailtui.ui.screens.query_picker import QueryPicker
from trailtui.ui.screens.rule_editor import RuleEditorScreen
from trailtui.ui.widgets.metric_chart import MetricChart
from trailtui.ui.widgets.replay_line import ReplayLine
from trailtui.ui.widgets.status_line import StatusLine

from .helpers import run_query, settle, show_tab, type_query

ACCOUNT = "123456789012"


@pytest.fixture
def live_console(moto_url: str, corpus_groups: dict[str, Any]) -> Callable[..., TrailApp]:
    """Build the console on moto's account, read-only unless asked otherwise."""

    def build(*, read_only: bool = True, log_groups: tuple[str, ...] = ()) -> TrailApp:
        return TrailApp(backend_on(moto_url, log_groups, read_only=read_only), config=load_config())

    return build


def answer(
    backend: AwsBackend, service: str, operation: str, respond: Callable[[dict[str, Any]], Any]
) -> None:
    """Answer `operation` from `respond(params)` (a response, or an error code to refuse it with) instead
    of sending it; the client's other operations still go to moto."""
    client = getattr(backend.clients, service)
    service_id = client.meta.service_model.service_id.hyphenize()

    def remember(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context["answered_params"] = dict(params)

    def before_call(context: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        response = respond(context.get("answered_params", {}))
        if isinstance(response, str):
            error = {"Error": {"Code": response, "Message": f"not authorized to perform {operation}"}}
            return AWSResponse("", 400, {}, None), error  # type: ignore[arg-type]
        return AWSResponse("", 200, {}, None), response  # type: ignore[arg-type]

    client.meta.events.register(f"before-parameter-build.{service_id}.{operation}", remember)
    client.meta.events.register(f"before-call.{service_id}.{operation}", before_call)


def rule_names(moto_clients: Any) -> list[str]:
    return sorted(
        rule["Name"] for rule in moto_clients.cloudwatch.describe_insight_rules().get("InsightRules", [])
    )


async def open_new_rule(pilot: Any, name: str) -> None:
    await show_tab(pilot, "contributors")
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, RuleEditorScreen)
    pilot.app.screen.query_one("#rule-name", Input).value = name
    await pilot.press("ctrl+s")
    await pilot.pause()


def shown(widget: Any) -> str:
    return str(widget.render())


async def test_the_status_names_account_region_and_log_group_and_says_why_that_group(live_console) -> None:
    app = live_console()
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        status = app.screen.query_one(StatusLine)
        assert status.backend == f"live: {ACCOUNT} {REGION} {TRAIL_GROUP}"
        notice = f"using log group {TRAIL_GROUP}, where trail main-trail sends its events"
        assert app.screen.query_one(ReplayLine).notice == notice
        assert notice in shown(app.screen.query_one(ReplayLine))
        assert [n.message for n in app._notifications if notice in n.message] == [notice]


async def test_a_query_runs_in_the_account(live_console) -> None:
    app = live_console()
    async with app.run_test() as pilot:
        table = await run_query(pilot, "fields @timestamp, eventName | limit 5")
        assert app.screen.query_one(StatusLine).query_state.status == "Complete"
        assert table.row_count == 5


async def test_put_insight_rule_waits_for_confirmation_and_cancel_writes_nothing(
    live_console, moto_clients
) -> None:
    name = f"ui-cancelled-{uuid.uuid4().hex[:8]}"
    before = rule_names(moto_clients)
    app = live_console()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_new_rule(pilot, name)
        assert isinstance(app.screen, ConfirmScreen)
        message = shown(app.screen.query_one("#confirm-message", Static))
        assert "PutInsightRule" in message and name in message and f"{ACCOUNT} {REGION}" in message
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, RuleEditorScreen)
        assert any("Nothing written" in n.message for n in app._notifications)
    assert rule_names(moto_clients) == before


async def test_a_confirmed_rule_is_put_once(live_console, moto_clients) -> None:
    name = f"ui-confirmed-{uuid.uuid4().hex[:8]}"
    app = live_console()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_new_rule(pilot, name)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(app.screen, RuleEditorScreen | ConfirmScreen)
        assert name in rule_names(moto_clients)
        backend = app.backend
        assert isinstance(backend, AwsBackend) and backend.read_only
        with pytest.raises(Exception, match="read-only"):
            await backend.put_insight_rule(f"{name}-again", "{}")
    assert f"{name}-again" not in rule_names(moto_clients)


async def test_yes_on_the_command_line_skips_the_confirmation(moto_url, corpus_groups, moto_clients) -> None:
    name = f"ui-yes-{uuid.uuid4().hex[:8]}"
    app = build_console(["--live", "--endpoint-url", moto_url, "--region", REGION, "--yes"])
    assert isinstance(app, TrailApp) and isinstance(app.backend, AwsBackend)
    assert app.backend.read_only is False
    async with app.run_test(size=(120, 40)) as pilot:
        await open_new_rule(pilot, name)
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen | RuleEditorScreen)
    assert name in rule_names(moto_clients)


@pytest.mark.parametrize(
    ("arguments", "reason"),
    [
        (["trail.json", "--live"], "--live reads the account, not files"),
        (["--live", "--speed", "4"], "--speed replays files"),
        (["--live", "--follow"], "--follow replays files"),
        (["--log-group", "g"], "--log-group needs --live"),
        (["--yes"], "--yes needs --live"),
    ],
)
def test_live_options_are_checked_before_the_console_starts(
    arguments: list[str], reason: str, moto_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        build_console([*arguments, "--endpoint-url", moto_url] if "--live" in arguments else arguments) == 2
    )
    assert reason in capsys.readouterr().err


class QueryDefinitions:
    """DescribeQueryDefinitions and PutQueryDefinition as CloudWatch Logs answers them (moto has neither)."""

    def __init__(self) -> None:
        self.saved: dict[str, dict[str, Any]] = {}
        self.puts: list[dict[str, Any]] = []

    def describe(self, params: dict[str, Any]) -> dict[str, Any]:
        prefix = params.get("queryDefinitionNamePrefix", "")
        return {"queryDefinitions": [item for name, item in self.saved.items() if name.startswith(prefix)]}

    def put(self, params: dict[str, Any]) -> dict[str, Any]:
        self.puts.append(params)
        definition_id = params.get("queryDefinitionId") or str(uuid.uuid4())
        self.saved[params["name"]] = {
            "queryDefinitionId": definition_id,
            "name": params["name"],
            "queryString": params["queryString"],
            "lastModified": 1_700_000_000_000,
            "logGroupNames": params.get("logGroupNames", []),
        }
        return {"queryDefinitionId": definition_id}


@pytest.fixture
def query_definitions(live_console) -> Iterator[tuple[TrailApp, QueryDefinitions]]:
    app = live_console()
    assert isinstance(app.backend, AwsBackend)
    definitions = QueryDefinitions()
    answer(app.backend, "logs", "DescribeQueryDefinitions", definitions.describe)
    answer(app.backend, "logs", "PutQueryDefinition", definitions.put)
    yield app, definitions


async def test_saving_a_query_asks_first_and_cancel_writes_nothing(query_definitions) -> None:
    app, definitions = query_definitions
    async with app.run_test() as pilot:
        await type_query(pilot, "fields eventName | limit 3")
        await pilot.press("ctrl+s", *"mine", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "PutQueryDefinition" in shown(app.screen.query_one("#confirm-message", Static))
        await pilot.press("escape")
        await settle(pilot)
    assert definitions.puts == []


async def test_a_confirmed_query_is_saved_in_query_definitions_and_f4_lists_it(query_definitions) -> None:
    app, definitions = query_definitions
    async with app.run_test() as pilot:
        await type_query(pilot, "fields eventName | limit 3")
        await pilot.press("ctrl+s", *"mine", "enter")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert [(put["name"], put["queryString"], put["logGroupNames"]) for put in definitions.puts] == [
            ("mine", "fields eventName | limit 3", [TRAIL_GROUP])
        ]
        assert any("Saved mine in the account's saved queries" in n.message for n in app._notifications)
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, QueryPicker)
        assert [(query.name, query.query) for query in app.screen.queries] == [
            ("mine", "fields eventName | limit 3")
        ]


async def test_the_log_group_picker_lists_the_accounts_groups_and_the_choice_is_read(live_console) -> None:
    app = live_console()
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, LogGroupPicker)
        names = [group.name for group in app.screen.groups]
        assert {TRAIL_GROUP, OTHER_GROUP} <= set(names)
        await pilot.press(*["down"] * (names.index(OTHER_GROUP) - names.index(TRAIL_GROUP)))
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one(StatusLine).backend == f"live: {ACCOUNT} {REGION} {OTHER_GROUP}"
        assert "chosen in the console" in app.screen.query_one(ReplayLine).notice
        table = await run_query(pilot, "fields @message | limit 1000")
        assert table.row_count == 50


async def test_access_denied_on_one_call_is_said_in_its_pane_and_the_rest_works(live_console) -> None:
    app = live_console()
    assert isinstance(app.backend, AwsBackend)
    answer(app.backend, "cloudwatch", "DescribeInsightRules", lambda _: "AccessDeniedException")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await show_tab(pilot, "contributors")
        summary = shown(app.screen.query_one("#contributors-summary", Static))
        assert "DescribeInsightRules failed: access denied" in summary
        table = await run_query(pilot, "fields eventName | limit 4")
        assert app.screen.query_one(StatusLine).query_state.status == "Complete" and table.row_count == 4


async def test_an_empty_region_says_why_the_panes_are_empty(moto_url: str) -> None:
    clients = open_clients(AwsOptions(region="eu-west-3", endpoint_url=moto_url))
    backend = AwsBackend(clients, policy=FAST_RETRIES, tail_settings=FAST_TAIL)
    app = TrailApp(backend, config=load_config())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert any(
            "no log groups in eu-west-3; pass --log-group NAME" in n.message for n in app._notifications
        )
        await show_tab(pilot, "contributors")
        await settle(pilot)
        summary = shown(app.screen.query_one("#contributors-summary", Static))
        assert "No Contributor Insights rules in this account" in summary
        await show_tab(pilot, "metrics")
        await settle(pilot)
        chart = app.screen.query_one(MetricChart)
        assert chart.title.startswith("DescribeMetricFilters failed: no log groups in eu-west-3")
        assert chart.points == []


async def test_the_confirmation_names_every_key_typed_before_ctrl_s(live_console) -> None:
    """ctrl+s is a priority binding: it must wait for the name's keys still queued in the input."""
    from textual import events

    app = live_console()
    async with app.run_test(size=(120, 40)) as pilot:
        await show_tab(pilot, "contributors")
        await pilot.press("n")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, RuleEditorScreen)
        name_input = editor.query_one("#rule-name", Input)
        assert app.focused is name_input
        for character in "typed-fast":
            name_input.post_message(events.Key("minus" if character == "-" else character, character))
        editor.action_save()  # what ctrl+s runs, while the keys still wait in the input's queue
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "typed-fast" in shown(app.screen.query_one("#confirm-message", Static))


async def test_adding_a_pack_metric_filter_asks_before_each_put(
    moto_url, corpus_groups, moto_clients
) -> None:
    from trailtui.ui.screens.choice_picker import ChoicePicker

    group = f"ui/metrics-{uuid.uuid4().hex[:8]}"
    moto_clients.logs.create_log_group(logGroupName=group)
    app = TrailApp(backend_on(moto_url, (group,), read_only=True), config=load_config())

    def filters() -> list[str]:
        return [
            f["filterName"]
            for f in moto_clients.logs.describe_metric_filters(logGroupName=group)["metricFilters"]
        ]

    async with app.run_test(size=(120, 40)) as pilot:
        await show_tab(pilot, "metrics")
        await settle(pilot)
        chart = app.screen.query_one(MetricChart)
        assert (
            chart.title == "No metric filters on the log group read (DescribeMetricFilters): nothing to graph"
        )
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ChoicePicker)
        names = [name for name, _ in app.screen.choices]
        await pilot.press(*["down"] * names.index("assume-role-duration"), "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "PutMetricFilter" in shown(app.screen.query_one("#confirm-message", Static))
        await pilot.press("n")
        await settle(pilot)
        assert filters() == []
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*["down"] * names.index("assume-role-duration"), "enter")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert filters() == ["assume-role-duration"]
        assert isinstance(app.screen, ConfirmScreen)
        message = shown(app.screen.query_one("#confirm-message", Static))
        assert "PutMetricAlarm" in message and "assume-role-duration-over-an-hour" in message
        await pilot.press("y")
        await settle(pilot)
    alarms = moto_clients.cloudwatch.describe_alarms(AlarmNames=["assume-role-duration-over-an-hour"])
    assert [alarm["Threshold"] for alarm in alarms["MetricAlarms"]] == [3600.0]
