"""Definitions checked by the engines as the AWS Put calls check them: rules, filters, alarms, queries.

Each `checked_*` function takes what the matching Put call takes and returns the compiled definition, or
raises `BackendError` with CloudWatch's reason and where it lies. `compile_packs` runs every pack
definition through them: a definition that fails is reported in one line (its file and the reason) and
left out, so one bad user file never stops the rest.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from trailtui.backends.base import BackendError, InvalidDefinition
from trailtui.contributors import Rule, RuleError, parse_rule
from trailtui.contributors.rules import validate_rule_name
from trailtui.insights import executor
from trailtui.insights.errors import MalformedQueryError
from trailtui.metrics.alarms import AlarmDefinition, AlarmDefinitionError
from trailtui.metrics.filters import MetricFilter, MetricFilterError
from trailtui.packs import PackContents, PackDefinition

RULE_SCHEMA = "CloudWatchLogRule/1"
QUERY_ID_NAMESPACE = uuid.UUID("5b0b7e0c-8a5e-4c1e-9a57-6b2f3f0e7a11")


@dataclass(frozen=True, slots=True)
class InsightRule:
    """A Contributor Insights rule as PutInsightRule stored it: name, state, definition text, parsed rule."""

    name: str
    definition: str
    rule: Rule
    state: str = "ENABLED"

    def describe(self) -> dict[str, Any]:
        """This rule as a DescribeInsightRules `InsightRules` item."""
        return {
            "Name": self.name,
            "State": self.state,
            "Schema": RULE_SCHEMA,
            "Definition": self.definition,
            "ManagedRule": False,
            "ApplyOnTransformedLogs": False,
        }


@dataclass(frozen=True, slots=True)
class SavedQuery:
    """A QueryDefinition; `path` is the user file that holds it, None for a built-in one."""

    name: str
    query_string: str
    path: Path | None

    @property
    def definition_id(self) -> str:
        """A stable queryDefinitionId: the same name always gets the same id."""
        return str(uuid.uuid5(QUERY_ID_NAMESPACE, self.name))

    def describe(self) -> dict[str, Any]:
        """This query as a DescribeQueryDefinitions `queryDefinitions` item."""
        return {
            "queryLanguage": "CWLI",
            "queryDefinitionId": self.definition_id,
            "name": self.name,
            "queryString": self.query_string,
            "logGroupNames": [],
        }


@dataclass(slots=True)
class CompiledPacks:
    """Every pack definition that passed its engine's checks, by name, and one line per one that did not."""

    queries: dict[str, SavedQuery] = field(default_factory=dict)
    rules: dict[str, InsightRule] = field(default_factory=dict)
    metric_filters: dict[str, dict[str, Any]] = field(default_factory=dict)
    alarms: dict[str, AlarmDefinition] = field(default_factory=dict)
    accepted: list[PackDefinition] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def checked_rule(name: str, definition: str | Mapping[str, Any]) -> InsightRule:
    """What PutInsightRule would store; BackendError with the JSON location of what it refuses."""
    text = definition if isinstance(definition, str) else orjson.dumps(definition).decode()
    try:
        return InsightRule(validate_rule_name(name), text, parse_rule(text))
    except RuleError as error:
        raise InvalidDefinition(f"invalid rule {name!r}: {error}", error.location) from error


def checked_metric_filter(request: Mapping[str, Any]) -> dict[str, Any]:
    """The PutMetricFilter request as CloudWatch would store it; BackendError naming the refused field."""
    try:
        return MetricFilter.from_request(request).to_request()
    except MetricFilterError as error:
        raise BackendError(f"invalid metric filter: {error}") from error


def checked_alarm(request: Mapping[str, Any]) -> AlarmDefinition:
    """The alarm a PutMetricAlarm request defines; BackendError naming the refused parameter."""
    try:
        return AlarmDefinition.from_request(request)
    except AlarmDefinitionError as error:
        raise BackendError(f"invalid alarm: {error}") from error


def checked_query(name: str, query_string: str, path: Path | None = None) -> SavedQuery:
    """A saved query whose text compiles; BackendError with where it breaks."""
    if not name.strip():
        raise BackendError("a saved query needs a name")
    try:
        executor.compile_query(query_string)
    except MalformedQueryError as error:
        raise BackendError(f"malformed query {name!r}: {error}") from error
    return SavedQuery(name, query_string, path)


def compile_packs(contents: PackContents) -> CompiledPacks:
    """Every definition of `contents` checked; the ones refused are reported in `problems`."""
    compiled = CompiledPacks(problems=list(contents.problems))
    for definition in contents.definitions:
        try:
            _add(compiled, definition)
            compiled.accepted.append(definition)
        except BackendError as error:
            compiled.problems.append(f"{definition.path}: skipped: {error}")
    return compiled


def _add(compiled: CompiledPacks, definition: PackDefinition) -> None:
    body = definition.body
    if definition.kind == "query":
        query_string = body.get("queryString")
        if not isinstance(query_string, str):
            raise BackendError("queryString must be a string")
        path = None if definition.builtin else definition.path
        compiled.queries[definition.name] = checked_query(definition.name, query_string, path)
    elif definition.kind == "rule":
        compiled.rules[definition.name] = checked_rule(definition.name, body)
    elif definition.kind == "metric-filter":
        compiled.metric_filters[definition.name] = checked_metric_filter(body)
    else:
        compiled.alarms[definition.name] = checked_alarm(body)
