"""Logs Insights through the live backend: moto's server for the plumbing it implements, a Stubber for the
rest (malformed queries, partial results, paging, StopQuery, GetLogRecord, QueryDefinitions)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from botocore.stub import Stubber

from trailtui.backends.aws import AwsBackend
from trailtui.backends.base import TERMINAL_STATUSES, BackendError, MalformedQuery, NotFound, QueryRequest
from trailtui.events.model import Event

from .conftest import OTHER_GROUP, TRAIL_GROUP, TRAIL_GROUP_ARN, backend_on

STATISTICS = {"recordsMatched": 2.0, "recordsScanned": 40.0, "bytesScanned": 9000.0}
ROW_A = [{"field": "eventName", "value": "AssumeRole"}, {"field": "@ptr", "value": "CmAKJQoh"}]
ROW_B = [{"field": "eventName", "value": "CreateKey"}, {"field": "@ptr", "value": "CmAKJQoi"}]


async def run_query(backend: AwsBackend, request: QueryRequest) -> dict[str, Any]:
    query_id = await backend.start_query(request)
    while True:
        results = await backend.get_query_results(query_id)
        if results["status"] in TERMINAL_STATUSES:
            return results
        await asyncio.sleep(0.01)


async def test_a_query_answers_in_the_get_query_results_shape(live_backend: AwsBackend) -> None:
    results = await run_query(live_backend, QueryRequest("fields @timestamp, @message | limit 5"))
    assert results["status"] == "Complete"
    assert results["queryLanguage"] == "CWLI"
    assert set(results["statistics"]) >= {"recordsMatched", "recordsScanned", "bytesScanned"}
    assert len(results["results"]) == 5
    for row in results["results"]:
        assert all(set(cell) == {"field", "value"} and isinstance(cell["value"], str) for cell in row)
        assert {cell["field"] for cell in row} >= {"@ptr", "@message"}


async def test_the_default_log_group_is_the_trails_and_the_user_is_told(live_backend: AwsBackend) -> None:
    groups = await live_backend.log_groups()
    assert [group.name for group in groups] == [TRAIL_GROUP]
    assert live_backend.notices == [f"using log group {TRAIL_GROUP}, where trail main-trail sends its events"]
    assert live_backend.description == f"live: 123456789012 us-east-1 {TRAIL_GROUP}"


async def test_a_query_reads_every_log_group_named(
    moto_url: str, corpus_groups: dict[str, list[Event]]
) -> None:
    backend = backend_on(moto_url, (TRAIL_GROUP, OTHER_GROUP))
    results = await run_query(backend, QueryRequest("fields @message | limit 10000", limit=10_000))
    await backend.close()
    assert len(results["results"]) == len(corpus_groups[TRAIL_GROUP]) + len(corpus_groups[OTHER_GROUP])


async def test_an_unknown_log_group_is_not_found(moto_url: str) -> None:
    backend = backend_on(moto_url, ("no/such-group",))
    with pytest.raises(NotFound, match="log group 'no/such-group' not found in us-east-1"):
        await backend.start_query(QueryRequest("fields @message"))
    await backend.close()


async def test_start_query_takes_epoch_seconds_inclusive_and_the_row_limit(
    stubbed_logs: tuple[AwsBackend, Stubber],
) -> None:
    backend, stubber = stubbed_logs
    expected = {
        "logGroupIdentifiers": [TRAIL_GROUP_ARN],
        "startTime": 1_700_000_000,
        "endTime": 1_700_003_600,
        "queryString": "fields eventName",
        "limit": 20,
    }
    stubber.add_response("start_query", {"queryId": "q-1"}, expected)
    request = QueryRequest("fields eventName", 1_700_000_000_000, 1_700_003_600_999, 20)
    assert await backend.start_query(request) == "q-1"


async def test_a_malformed_query_is_marked_at_its_compile_error_location(
    stubbed_logs: tuple[AwsBackend, Stubber],
) -> None:
    backend, stubber = stubbed_logs
    stubber.add_client_error(
        "start_query",
        service_error_code="MalformedQueryException",
        service_message="unexpected symbol",
        http_status_code=400,
        modeled_fields={
            "queryCompileError": {
                "location": {"startCharOffset": 20, "endCharOffset": 23},
                "message": "mismatched input 'fo' expecting {'fields', 'filter'}",
            }
        },
    )
    with pytest.raises(MalformedQuery) as caught:
        await backend.start_query(QueryRequest("fields eventName\n | fo x"))
    error = caught.value
    assert (error.line, error.column, error.start_offset, error.end_offset) == (2, 4, 20, 23)
    assert str(error) == "line 2:4: mismatched input 'fo' expecting {'fields', 'filter'}"


async def test_a_malformed_query_without_location_falls_back_to_the_message_position(
    stubbed_logs: tuple[AwsBackend, Stubber],
) -> None:
    backend, stubber = stubbed_logs
    stubber.add_client_error(
        "start_query", service_error_code="MalformedQueryException", service_message="line 2:3 bad token"
    )
    with pytest.raises(MalformedQuery) as caught:
        await backend.start_query(QueryRequest("fields a\n | x"))
    assert (caught.value.line, caught.value.column, caught.value.start_offset) == (2, 3, 11)


async def test_results_are_partial_while_running(stubbed_logs: tuple[AwsBackend, Stubber]) -> None:
    backend, stubber = stubbed_logs
    stubber.add_response("start_query", {"queryId": "q-2"})
    running = {"queryLanguage": "CWLI", "status": "Running", "statistics": STATISTICS, "results": [ROW_A]}
    stubber.add_response("get_query_results", running, {"queryId": "q-2"})
    complete = {**running, "status": "Complete", "results": [ROW_A, ROW_B]}
    stubber.add_response("get_query_results", complete, {"queryId": "q-2"})
    query_id = await backend.start_query(QueryRequest("fields eventName"))
    assert await backend.get_query_results(query_id) == running
    assert await backend.get_query_results(query_id) == complete


async def test_result_pages_are_joined(stubbed_logs: tuple[AwsBackend, Stubber]) -> None:
    backend, stubber = stubbed_logs
    first = {"status": "Complete", "statistics": STATISTICS, "results": [ROW_A], "nextToken": "page-2"}
    stubber.add_response("get_query_results", first, {"queryId": "q-3"})
    last = {"status": "Complete", "statistics": STATISTICS, "results": [ROW_B]}
    stubber.add_response("get_query_results", last, {"queryId": "q-3", "nextToken": "page-2"})
    results = await backend.get_query_results("q-3")
    expected = {"status": "Complete", "statistics": STATISTICS, "results": [ROW_A, ROW_B]}
    assert results == {"queryLanguage": "CWLI", **expected}


async def test_close_stops_queries_still_running_in_the_account(
    stubbed_logs: tuple[AwsBackend, Stubber],
) -> None:
    backend, stubber = stubbed_logs
    stubber.add_response("start_query", {"queryId": "q-running"})
    stubber.add_response("start_query", {"queryId": "q-done"})
    stubber.add_response("get_query_results", {"status": "Complete", "results": []}, {"queryId": "q-done"})
    stubber.add_response("stop_query", {"success": True}, {"queryId": "q-running"})
    await backend.start_query(QueryRequest("fields a"))
    await backend.get_query_results(await backend.start_query(QueryRequest("fields b")))
    await backend.close()
    stubber.assert_no_pending_responses()


async def test_stopping_a_query_that_ended_answers_false(stubbed_logs: tuple[AwsBackend, Stubber]) -> None:
    backend, stubber = stubbed_logs
    stubber.add_client_error(
        "stop_query", service_error_code="InvalidParameterException", service_message="query is not running"
    )
    assert await backend.stop_query("q-old") is False


async def test_a_log_record_is_every_field_with_the_exact_message(
    stubbed_logs: tuple[AwsBackend, Stubber],
) -> None:
    backend, stubber = stubbed_logs
    message = '{"eventVersion": "1.08", "eventName": "AssumeRole"}'
    record = {"@message": message, "eventName": "AssumeRole", "@timestamp": "1700000000000"}
    stubber.add_response("get_log_record", {"logRecord": record}, {"logRecordPointer": "CmAKJQoh"})
    assert await backend.get_log_record("CmAKJQoh") == record


async def test_an_unknown_pointer_is_not_found(stubbed_logs: tuple[AwsBackend, Stubber]) -> None:
    backend, stubber = stubbed_logs
    stubber.add_client_error(
        "get_log_record", service_error_code="ResourceNotFoundException", service_message="no such record"
    )
    with pytest.raises(NotFound, match="logs:GetLogRecord: no such record"):
        await backend.get_log_record("bogus")


SAVED = {
    "queryDefinitionId": "qd-1",
    "name": "sign-in failures",
    "queryString": "filter eventName = 'ConsoleLogin'",
    "lastModified": 1_700_000_000_000,
    "logGroupNames": [TRAIL_GROUP],
}


async def test_saved_queries_are_listed(stubbed_logs: tuple[AwsBackend, Stubber]) -> None:
    backend, stubber = stubbed_logs
    stubber.add_response("describe_query_definitions", {"queryDefinitions": [SAVED]})
    assert await backend.describe_query_definitions() == {"queryDefinitions": [SAVED]}


async def test_saving_a_query_is_refused_while_read_only(moto_url: str) -> None:
    backend = backend_on(moto_url, (TRAIL_GROUP_ARN,), read_only=True)
    with (
        Stubber(backend.clients.logs),
        pytest.raises(BackendError, match="PutQueryDefinition refused: read-only; confirm in the console"),
    ):
        await backend.put_query_definition("x", "fields a")


async def test_saving_a_query_under_a_known_name_replaces_it(
    stubbed_logs: tuple[AwsBackend, Stubber],
) -> None:
    backend, stubber = stubbed_logs
    stubber.add_response(
        "describe_query_definitions",
        {"queryDefinitions": [SAVED]},
        {"queryDefinitionNamePrefix": "sign-in failures"},
    )
    expected = {
        "name": "sign-in failures",
        "queryString": "fields eventName",
        "logGroupNames": [TRAIL_GROUP],
        "queryDefinitionId": "qd-1",
    }
    stubber.add_response("put_query_definition", {"queryDefinitionId": "qd-1"}, expected)
    assert await backend.put_query_definition("sign-in failures", "fields eventName") == "qd-1"
    stubber.assert_no_pending_responses()
