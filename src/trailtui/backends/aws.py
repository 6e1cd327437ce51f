"""The live backend: CloudWatch in an AWS account through boto3, answering as the local backend does.

Responses are the AWS responses without ResponseMetadata, with datetimes as ISO-8601 strings (aws_shapes).
Differences from the local backend that callers may notice:
- GetQueryResults rows come from CloudWatch (`@timestamp` as `YYYY-MM-DD HH:MM:SS.mmm`); a missing
  `statistics` (some CloudWatch-compatible endpoints) is filled with zeros; `query_progress` is None.
- `query_failure` is None: CloudWatch does not say why a query Failed.
- Writes (put_*) are refused while `read_only` is set (the default). After the user confirms one write,
  the caller lets exactly that call through with `allow_write(api)`; `--yes` clears `read_only`.
- `tail` may yield `sessionStatus` items (see aws_tail).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from contextlib import aclosing
from typing import Any

from trailtui.backends import aws_tail
from trailtui.backends.aws_calls import Caller, Health, RetryPolicy
from trailtui.backends.aws_errors import ServiceError
from trailtui.backends.aws_log_groups import LogGroup, LogGroupChoice, choose_log_groups, listed_group
from trailtui.backends.aws_session import AwsClients, AwsOptions, open_clients
from trailtui.backends.aws_shapes import (
    malformed_query,
    query_window,
    utc_datetime,
    utc_moment,
    with_times,
    zulu_time,
)
from trailtui.backends.base import (
    TERMINAL_STATUSES,
    BackendError,
    InputReport,
    NotFound,
    QueryRequest,
    QueryResults,
    ReplayControl,
    RuleReportRequest,
    ScanProgress,
    TailRequest,
)

RULE_METRICS = (
    "UniqueContributors",
    "MaxContributorValue",
    "SampleCount",
    "Sum",
    "Minimum",
    "Maximum",
    "Average",
)
EMPTY_STATISTICS = {"recordsMatched": 0.0, "recordsScanned": 0.0, "bytesScanned": 0.0}
MAX_LISTED_ITEMS = 1000


class AwsBackend:
    """Logs Insights, Contributor Insights, metric filters, alarms and Live Tail in an AWS account."""

    replay: ReplayControl | None = None

    def __init__(
        self,
        clients: AwsClients,
        log_groups: tuple[str, ...] = (),
        *,
        read_only: bool = True,
        policy: RetryPolicy | None = None,
        tail_settings: aws_tail.TailSettings | None = None,
    ) -> None:
        self.clients = clients
        self.read_only = read_only
        self.caller = Caller(policy)
        self.tail_settings = tail_settings or aws_tail.TailSettings()
        self.description = f"live: {clients.region}"
        self.notices: list[str] = []
        """Lines for the user about choices made for them (which log group was chosen, and why)."""
        self._wanted_groups = log_groups
        self._choice: LogGroupChoice | None = None
        self._choosing = asyncio.Lock()
        """Held while the groups are chosen, so calls at start share one choice (and one notice)."""
        self._running: set[str] = set()
        """Ids of queries this backend started that may still run in the account."""
        self._allowed_writes: set[str] = set()
        """APIs the user confirmed one call of (see allow_write)."""

    @classmethod
    def connect(cls, options: AwsOptions, *, read_only: bool = True) -> AwsBackend:
        return cls(open_clients(options), options.log_groups, read_only=read_only)

    @property
    def health(self) -> Health:
        return self.caller.health

    async def log_groups(self) -> tuple[LogGroup, ...]:
        """The groups queries and tails read, chosen on first use (see aws_log_groups)."""
        async with self._choosing:
            if self._choice is None:
                self._choice = await choose_log_groups(self.caller, self.clients, self._wanted_groups)
                if self._choice.notice:
                    self.notices.append(self._choice.notice)
                self._describe(self._choice.groups)
        return self._choice.groups

    async def list_log_groups(self) -> list[LogGroup]:
        """DescribeLogGroups: the groups of this Region the user may choose from (up to a cap)."""
        items = await self._pages(self.clients.logs, "describe_log_groups", "logGroups")
        return [listed_group(item) for item in items]

    def use_log_groups(self, groups: tuple[LogGroup, ...], notice: str) -> None:
        """Read `groups` from now on (the user chose them); `notice` says so."""
        if not groups:
            raise BackendError("choose at least one log group")
        self._choice = LogGroupChoice(groups, notice)
        self.notices.append(notice)
        self._describe(groups)

    def _describe(self, groups: tuple[LogGroup, ...]) -> None:
        names = ", ".join(group.name for group in groups)
        self.description = f"live: {groups[0].account} {self.clients.region} {names}"

    def allow_write(self, api: str) -> None:
        """Let the next call of `api` (`PutInsightRule`, `PutMetricFilter`, `PutMetricAlarm`,
        `PutQueryDefinition`) through once, read-only or not: the user has confirmed that write."""
        self._allowed_writes.add(api)

    async def _call(self, client: Any, method: str, **params: Any) -> dict[str, Any]:
        return await self.caller.call(client, method, **params)

    # Logs Insights.
    async def start_query(self, request: QueryRequest) -> str:
        groups = await self.log_groups()
        start_s, end_s = query_window(request.start_ms, request.end_ms)
        params: dict[str, Any] = {"startTime": start_s, "endTime": end_s, "queryString": request.query}
        if any(group.by_arn for group in groups):
            params["logGroupIdentifiers"] = [group.identifier for group in groups]
        else:
            params["logGroupNames"] = [group.name for group in groups]
        if request.limit is not None:
            params["limit"] = request.limit
        try:
            query_id = str((await self._call(self.clients.logs, "start_query", **params))["queryId"])
        except ServiceError as error:
            if error.code == "MalformedQueryException":
                raise malformed_query(request.query, error.response) from error
            raise
        self._running.add(query_id)
        return query_id

    async def get_query_results(self, query_id: str) -> QueryResults:
        response = await self._call(self.clients.logs, "get_query_results", queryId=query_id)
        rows = list(response.get("results", []))
        while response.get("nextToken"):
            page = await self._call(
                self.clients.logs, "get_query_results", queryId=query_id, nextToken=response["nextToken"]
            )
            rows.extend(page.get("results", []))
            response = {**page, "nextToken": page.get("nextToken")}
        response.pop("nextToken", None)
        response["results"] = rows
        response.setdefault("queryLanguage", "CWLI")
        response.setdefault("statistics", dict(EMPTY_STATISTICS))
        if response.get("status") in TERMINAL_STATUSES:
            self._running.discard(query_id)
        return response

    async def stop_query(self, query_id: str) -> bool:
        self._running.discard(query_id)
        try:
            response = await self._call(self.clients.logs, "stop_query", queryId=query_id)
        except ServiceError as error:
            if error.code == "InvalidParameterException":
                return False  # the query had already ended
            raise
        return bool(response.get("success"))

    def query_failure(self, query_id: str) -> str | None:
        return None

    def query_progress(self, query_id: str) -> ScanProgress | None:
        return None

    async def get_log_record(self, ptr: str) -> dict[str, str]:
        try:
            response = await self._call(self.clients.logs, "get_log_record", logRecordPointer=ptr)
        except ServiceError as error:
            if error.code == "InvalidParameterException":
                raise NotFound(f"no event for @ptr {ptr}: {error}") from error
            raise
        return dict(response["logRecord"])

    def input_report(self) -> InputReport:
        return InputReport()

    # Saved queries.
    async def describe_query_definitions(self) -> dict[str, Any]:
        items = await self._pages(self.clients.logs, "describe_query_definitions", "queryDefinitions")
        return {"queryDefinitions": items}

    async def put_query_definition(self, name: str, query: str) -> str:
        self._check_writable("PutQueryDefinition")
        groups = await self.log_groups()
        params: dict[str, Any] = {
            "name": name,
            "queryString": query,
            "logGroupNames": [group.name for group in groups],
        }
        saved = await self._pages(
            self.clients.logs,
            "describe_query_definitions",
            "queryDefinitions",
            queryDefinitionNamePrefix=name,
        )
        same_name = [item["queryDefinitionId"] for item in saved if item.get("name") == name]
        if same_name:
            params["queryDefinitionId"] = same_name[0]
        response = await self._call(self.clients.logs, "put_query_definition", **params)
        return str(response["queryDefinitionId"])

    # Contributor Insights.
    async def describe_insight_rules(self) -> dict[str, Any]:
        rules = await self._pages(self.clients.cloudwatch, "describe_insight_rules", "InsightRules", cw=True)
        return {"InsightRules": rules}

    async def get_insight_rule_report(self, request: RuleReportRequest) -> dict[str, Any]:
        response = await self._call(
            self.clients.cloudwatch,
            "get_insight_rule_report",
            RuleName=request.rule_name,
            StartTime=utc_datetime(request.start_ms),
            EndTime=utc_datetime(request.end_ms),
            Period=request.period_s,
            MaxContributorCount=request.max_contributor_count,
            OrderBy=request.order_by,
            Metrics=list(RULE_METRICS),
        )
        return dict(with_times(response, zulu_time))

    async def put_insight_rule(self, name: str, definition: str) -> None:
        self._check_writable("PutInsightRule")
        await self._call(
            self.clients.cloudwatch,
            "put_insight_rule",
            RuleName=name,
            RuleState="ENABLED",
            RuleDefinition=definition,
        )

    # Metric filters, metric data and alarms.
    async def describe_metric_filters(self) -> dict[str, Any]:
        filters = []
        for group in await self.log_groups():
            filters += await self._pages(
                self.clients.logs, "describe_metric_filters", "metricFilters", logGroupName=group.name
            )
        return {"metricFilters": filters}

    async def put_metric_filter(self, request: dict[str, Any]) -> None:
        self._check_writable("PutMetricFilter")
        if "logGroupName" not in request:
            request = {**request, "logGroupName": (await self.log_groups())[0].name}
        await self._call(self.clients.logs, "put_metric_filter", **request)

    async def test_metric_filter(self, pattern: str, messages: list[str]) -> dict[str, Any]:
        response = await self._call(
            self.clients.logs, "test_metric_filter", filterPattern=pattern, logEventMessages=messages
        )
        return {"matches": response.get("matches", [])}

    async def get_metric_data(
        self, queries: list[dict[str, Any]], start_ms: int, end_ms: int
    ) -> dict[str, Any]:
        results: dict[str, dict[str, Any]] = {}
        messages: list[Any] = []
        params: dict[str, Any] = {
            "MetricDataQueries": queries,
            "StartTime": utc_datetime(start_ms),
            "EndTime": utc_datetime(end_ms),
        }
        while True:
            page = await self._call(self.clients.cloudwatch, "get_metric_data", **params)
            messages += page.get("Messages", [])
            for result in page.get("MetricDataResults", []):
                merged = results.setdefault(result["Id"], {**result, "Timestamps": [], "Values": []})
                merged["Timestamps"] += result.get("Timestamps", [])
                merged["Values"] += result.get("Values", [])
                merged["StatusCode"] = result.get("StatusCode", merged.get("StatusCode"))
            if not page.get("NextToken"):
                break
            params["NextToken"] = page["NextToken"]
        response = {"MetricDataResults": list(results.values()), "Messages": messages}
        return dict(with_times(response, utc_moment))

    async def describe_alarms(self) -> dict[str, Any]:
        alarms = await self._pages(self.clients.cloudwatch, "describe_alarms", "MetricAlarms", cw=True)
        return {"MetricAlarms": with_times(alarms)}

    async def describe_alarm_history(self, alarm_name: str | None = None) -> dict[str, Any]:
        params: dict[str, Any] = {"ScanBy": "TimestampDescending"}
        if alarm_name is not None:
            params["AlarmName"] = alarm_name
        items = await self._pages(
            self.clients.cloudwatch, "describe_alarm_history", "AlarmHistoryItems", cw=True, **params
        )
        return {"AlarmHistoryItems": with_times(items[:MAX_LISTED_ITEMS])}

    async def put_metric_alarm(self, request: dict[str, Any]) -> None:
        self._check_writable("PutMetricAlarm")
        await self._call(self.clients.cloudwatch, "put_metric_alarm", **request)

    # Live tail.
    async def tail(self, request: TailRequest) -> AsyncGenerator[dict[str, Any], None]:
        groups = await self.log_groups()
        items = aws_tail.live_tail(self.caller, self.clients.logs, groups, request, self.tail_settings)
        async with aclosing(items) as tailing:
            async for item in tailing:
                yield item

    async def close(self) -> None:
        """Stop every query this backend started that may still run, then close the clients."""
        running = list(self._running)
        await asyncio.gather(*(self._stop_quietly(query_id) for query_id in running))
        await asyncio.to_thread(self.clients.close)

    async def _stop_quietly(self, query_id: str) -> None:
        try:
            await self.stop_query(query_id)
        except BackendError as error:
            self.notices.append(f"could not stop query {query_id}: {error}")

    def _check_writable(self, api: str) -> None:
        if api in self._allowed_writes:
            self._allowed_writes.discard(api)
            return
        if self.read_only:
            raise BackendError(f"{api} refused: read-only; confirm in the console or pass --yes")

    async def _pages(
        self, client: Any, method: str, key: str, *, cw: bool = False, **params: Any
    ) -> list[dict[str, Any]]:
        """Every item under `key`, following nextToken (NextToken for CloudWatch) up to a cap."""
        token_name = "NextToken" if cw else "nextToken"
        items: list[dict[str, Any]] = []
        while True:
            page = await self._call(client, method, **params)
            items += page.get(key, [])
            if not page.get(token_name) or len(items) >= MAX_LISTED_ITEMS:
                return items
            params[token_name] = page[token_name]
