"""Metric filters: a PutMetricFilter request, validated as CloudWatch validates it, applied to events.

`MetricFilter.from_request(request)` checks the request (spec §6) and raises `MetricFilterError` naming
the field (`metricTransformations[0].dimensions`) and what is wrong. `apply(events)` feeds the filter's
`MetricSeries`; `datapoint(event)` is the single-event form.

Decisions (spec §6.3, §9.11–9.13, §9.17):
- The metric value is a number literal, or read from the event: `$.selector` for JSON patterns, `$name`
  or `$<position>` for space-delimited ones. Numbers and numeric-looking strings count; when the value
  is missing, not numeric or not finite, the event produces no datapoint.
- Dimension values are read the same way and used as text; an event whose dimension is missing, empty,
  null, an object or an array produces no datapoint. `emitSystemFieldDimensions` adds `@aws.account` and
  `@aws.region` from the event.
- A default value is published once per minute in which events reached the filter and none produced a
  datapoint (a match without a usable value counts as "none"). Dimensions, system-field dimensions
  included, cannot be combined with a default value.
- After 1,000 distinct dimension-value combinations the filter disables itself (CloudWatch disables such a
  filter; it counts per hour, this counts over the filter's life) and says so in `disabled_reason`.
- Selectors in metric values and dimensions cannot use wildcards.
- `fieldSelectionCriteria` and `applyOnTransformedLogs` are validated and kept for `to_request()`, not
  evaluated: local events are neither centralised nor transformed.
- Filters apply to every event they are given, historical ones included (AWS filters are not
  retroactive; local replay deliberately is). Routing events by log group is the caller's job.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from trailtui.metrics.patterns import FilterPattern, PatternError, PatternKind
from trailtui.metrics.patterns.json_matcher import MISSING, compile_selector
from trailtui.metrics.patterns.parser import parse_selector
from trailtui.metrics.patterns.syntax import Selector, SpaceDelimitedPattern
from trailtui.metrics.patterns.values import number_of, scalar_text
from trailtui.metrics.series import MINUTE_MS, MetricKey, MetricSeries

if TYPE_CHECKING:
    from trailtui.events.model import Event

MAX_DIMENSIONS = 3
MAX_DIMENSION_COMBINATIONS = 1000
MAX_FIELD_SELECTION_CRITERIA = 2000
SYSTEM_FIELD_DIMENSIONS = ("@aws.account", "@aws.region")
UNITS = frozenset(
    [
        "Seconds",
        "Microseconds",
        "Milliseconds",
        "Bytes",
        "Kilobytes",
        "Megabytes",
        "Gigabytes",
        "Terabytes",
        "Bits",
        "Kilobits",
        "Megabits",
        "Gigabits",
        "Terabits",
        "Percent",
        "Count",
        "Bytes/Second",
        "Kilobytes/Second",
        "Megabytes/Second",
        "Gigabytes/Second",
        "Terabytes/Second",
        "Bits/Second",
        "Kilobits/Second",
        "Megabits/Second",
        "Gigabits/Second",
        "Terabits/Second",
        "Count/Second",
        "None",
    ]
)

_REQUEST_KEYS = frozenset(
    (
        "filterName",
        "filterPattern",
        "logGroupName",
        "metricTransformations",
        "applyOnTransformedLogs",
        "fieldSelectionCriteria",
        "emitSystemFieldDimensions",
    )
)
_TRANSFORMATION_KEYS = frozenset(
    ("metricName", "metricNamespace", "metricValue", "defaultValue", "dimensions", "unit")
)
_LOG_GROUP_NAME = re.compile(r"[.\-_/#A-Za-z0-9]+")
_NUMBER_LITERAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_FIELD_REFERENCE = re.compile(r"\$(?:[A-Za-z_][A-Za-z0-9_]*|[1-9][0-9]*)")

Reader = Callable[["Event", "dict[str, str] | None"], Any]


class MetricFilterError(ValueError):
    """PutMetricFilter or TestMetricFilter would reject the request (InvalidParameterException)."""


@dataclass(frozen=True, slots=True)
class MetricTransformation:
    metric_name: str
    metric_namespace: str
    metric_value: str
    default_value: float | None
    dimensions: tuple[tuple[str, str], ...]
    unit: str


class MetricFilter:
    """One metric filter, compiled: its pattern, its transformation and the series it feeds."""

    def __init__(
        self,
        request: Mapping[str, Any],
        pattern: FilterPattern,
        transformation: MetricTransformation,
        series: MetricSeries,
    ) -> None:
        self.name: str = request["filterName"]
        self.log_group_name: str = request["logGroupName"]
        self.pattern = pattern
        self.transformation = transformation
        self.series = series
        self.emit_system_field_dimensions: tuple[str, ...] = tuple(
            request.get("emitSystemFieldDimensions", ())
        )
        self.apply_on_transformed_logs: bool = request.get("applyOnTransformedLogs", False)
        self.field_selection_criteria: str | None = request.get("fieldSelectionCriteria")
        self.disabled_reason: str | None = None
        self._value = _reader(transformation.metric_value, pattern, "metricValue")
        self._constant: float | None = None
        if _NUMBER_LITERAL.fullmatch(transformation.metric_value):
            self._constant = float(transformation.metric_value)
        self._dimensions = [
            (name, _reader(source, pattern, f"dimensions.{name}"))
            for name, source in transformation.dimensions
        ]
        self._combinations: set[MetricKey] = set()
        self._plain_key = self.metric_key()

    @classmethod
    def from_request(cls, request: Mapping[str, Any], series: MetricSeries | None = None) -> MetricFilter:
        """A filter from a PutMetricFilter request dict; MetricFilterError when CloudWatch would refuse it."""
        pattern = _validate_request(request)
        transformation = _validate_transformation(request["metricTransformations"], request, pattern)
        return cls(request, pattern, transformation, series if series is not None else MetricSeries())

    def to_request(self) -> dict[str, Any]:
        """The PutMetricFilter request that defines this filter."""
        transformation: dict[str, Any] = {
            "metricName": self.transformation.metric_name,
            "metricNamespace": self.transformation.metric_namespace,
            "metricValue": self.transformation.metric_value,
            "unit": self.transformation.unit,
        }
        if self.transformation.default_value is not None:
            transformation["defaultValue"] = self.transformation.default_value
        if self.transformation.dimensions:
            transformation["dimensions"] = dict(self.transformation.dimensions)
        request: dict[str, Any] = {
            "filterName": self.name,
            "filterPattern": self.pattern.text,
            "logGroupName": self.log_group_name,
            "metricTransformations": [transformation],
            "applyOnTransformedLogs": self.apply_on_transformed_logs,
        }
        if self.emit_system_field_dimensions:
            request["emitSystemFieldDimensions"] = list(self.emit_system_field_dimensions)
        if self.field_selection_criteria is not None:
            request["fieldSelectionCriteria"] = self.field_selection_criteria
        return request

    def datapoint(self, event: Event) -> tuple[MetricKey, float] | None:
        """The metric and value this event contributes, or None (no match, no usable value, disabled)."""
        if self.disabled_reason is not None:
            return None
        fields = self.pattern.fields(event)
        if fields is None:
            return None
        value = number_of(self._value(event, fields))
        if value is None or not math.isfinite(value):
            return None
        key = self._key(event, fields)
        return None if key is None else (key, value)

    def apply(self, events: Iterable[Event]) -> None:
        """Feed every event's datapoint (or the default value) into `self.series`."""
        if self.transformation.default_value is None:
            self._add_datapoints(self.pattern.matching(events))
        else:
            self._add_datapoints_or_defaults(events, self.transformation.default_value)

    def _add_datapoints(self, events: Iterable[Event]) -> None:
        """Each event's datapoint; `events` are matching events (from `self.pattern.matching`)."""
        constant = self._constant
        if (
            constant is not None
            and not self._dimensions
            and not self.emit_system_field_dimensions
            and self.pattern.kind is not PatternKind.SPACE_DELIMITED
        ):
            # A matching event's datapoint is then (the plain key, the constant): no need to match again.
            if self.disabled_reason is None and math.isfinite(constant):
                self.series.add_many(self._plain_key, [event.timestamp_ms for event in events], constant)
            return
        add = self.series.add
        for event in events:
            point = self.datapoint(event)
            if point is not None:
                add(point[0], event.timestamp_ms, point[1])

    def apply_candidates(self, candidates: Iterable[Event], minute_counts: Mapping[int, int] | None) -> None:
        """What `apply(events)` does, told which events it need test.

        `candidates` are the events of `events`, in order, that the pattern may match: every other event of
        `events` must be one it cannot match (see `FilterIndex`). `minute_counts` counts the events of
        `events` per minute start (epoch ms); a filter with a default value needs it, the others ignore it.
        """
        default_value = self.transformation.default_value
        if default_value is None:
            self._add_datapoints(self.pattern.matching(candidates))
            return
        if minute_counts is None:
            raise ValueError(f"metric filter {self.name!r} has a default value: minute_counts is required")
        produced: dict[int, int] = {}
        add = self.series.add
        for event in candidates:
            point = self.datapoint(event)
            if point is not None:
                add(point[0], event.timestamp_ms, point[1])
                minute = event.timestamp_ms - event.timestamp_ms % MINUTE_MS
                produced[minute] = produced.get(minute, 0) + 1
        add_default = self.series.add_default
        for minute, count in minute_counts.items():
            if count > produced.get(minute, 0):
                add_default(self._plain_key, minute, default_value)

    def _add_datapoints_or_defaults(self, events: Iterable[Event], default_value: float) -> None:
        """Datapoints, then the default for each minute with an event that produced none.

        Publishing the defaults after the datapoints, once per minute, leaves the series as publishing them
        event by event would: a minute keeps its default exactly when it has no datapoint cell.
        """
        add = self.series.add
        minutes_without: set[int] = set()
        for event in events:
            point = self.datapoint(event)
            if point is not None:
                add(point[0], event.timestamp_ms, point[1])
            else:
                minutes_without.add(event.timestamp_ms - event.timestamp_ms % MINUTE_MS)
        add_default = self.series.add_default
        for minute in sorted(minutes_without):
            add_default(self._plain_key, minute, default_value)

    def metric_key(self, dimensions: Mapping[str, str] | None = None) -> MetricKey:
        """The metric this filter publishes to, for the given dimension values."""
        return MetricKey.of(self.transformation.metric_namespace, self.transformation.metric_name, dimensions)

    def _key(self, event: Event, fields: dict[str, str]) -> MetricKey | None:
        if not self._dimensions and not self.emit_system_field_dimensions:
            return self._plain_key
        dimensions: dict[str, str] = {}
        for name, read in self._dimensions:
            text = scalar_text(read(event, fields))
            if not text:
                return None
            dimensions[name] = text
        for system_field in self.emit_system_field_dimensions:
            dimensions[system_field] = event.account if system_field == "@aws.account" else event.region
        return self._admit(self.metric_key(dimensions))

    def _admit(self, key: MetricKey) -> MetricKey | None:
        if key in self._combinations:
            return key
        if len(self._combinations) >= MAX_DIMENSION_COMBINATIONS:
            self.disabled_reason = (
                f"disabled after {MAX_DIMENSION_COMBINATIONS:,} distinct dimension-value combinations"
            )
            return None
        self._combinations.add(key)
        return key

    def __repr__(self) -> str:
        return f"MetricFilter({self.name!r}, {self.pattern.text!r})"


# ---------------------------------------------------------------- value sources


def _reader(source: str, pattern: FilterPattern, where: str) -> Reader:
    """How to read a metric value or dimension value from an event and its extracted fields."""
    if _NUMBER_LITERAL.fullmatch(source) and where == "metricValue":
        constant = float(source)
        return lambda event, fields: constant
    if pattern.kind is PatternKind.JSON and source.startswith("$."):
        resolve = compile_selector(_value_selector(source, where))
        return lambda event, fields: _value_node(resolve(event.record))
    if pattern.kind is PatternKind.SPACE_DELIMITED and _FIELD_REFERENCE.fullmatch(source):
        _check_field_reference(source, pattern, where)
        return lambda event, fields: fields.get(source) if fields else None
    expected = _EXPECTED_SOURCES.get((where == "metricValue", pattern.kind), _EXPECTED_LITERAL)
    raise MetricFilterError(f"metricTransformations[0].{where}: expected {expected}, got {source!r}")


_EXPECTED_LITERAL = "a number (only JSON and space-delimited patterns read values from events)"
_EXPECTED_SOURCES = {
    (True, PatternKind.JSON): "a number or a selector such as $.latency",
    (True, PatternKind.SPACE_DELIMITED): "a number or a field such as $bytes",
    (False, PatternKind.JSON): "a selector such as $.eventName",
    (False, PatternKind.SPACE_DELIMITED): "a field such as $user",
}


def _value_selector(source: str, where: str) -> Selector:
    try:
        selector = parse_selector(source)
    except PatternError as error:
        raise MetricFilterError(f"metricTransformations[0].{where}: {error}") from error
    if selector.wildcard_count:
        raise MetricFilterError(f"metricTransformations[0].{where}: a selector cannot use wildcards")
    return selector


def _check_field_reference(source: str, pattern: FilterPattern, where: str) -> None:
    name = source[1:]
    if name.isdigit():
        return
    syntax = pattern.syntax
    if not isinstance(syntax, SpaceDelimitedPattern) or name not in syntax.field_names:
        raise MetricFilterError(f"metricTransformations[0].{where}: the pattern has no field named {name!r}")


def _value_node(value: Any) -> Any:
    return None if value is MISSING or isinstance(value, dict | list) else value


# ---------------------------------------------------------------- request validation


def _validate_request(request: Mapping[str, Any]) -> FilterPattern:
    if not isinstance(request, Mapping):
        raise MetricFilterError("a PutMetricFilter request must be a mapping")
    unknown = sorted(set(request) - _REQUEST_KEYS)
    if unknown:
        raise MetricFilterError(f"{unknown[0]}: unknown parameter")
    _check_text(request, "logGroupName", 1, 512, pattern=_LOG_GROUP_NAME)
    _check_text(request, "filterName", 1, 512, forbidden=":*")
    _check_text(request, "filterPattern", 0, 1024)
    _check_optional_type(request, "applyOnTransformedLogs", bool, "a boolean")
    if "fieldSelectionCriteria" in request:
        _check_text(request, "fieldSelectionCriteria", 0, MAX_FIELD_SELECTION_CRITERIA)
    _check_system_field_dimensions(request)
    transformations = request.get("metricTransformations")
    if not isinstance(transformations, list) or len(transformations) != 1:
        raise MetricFilterError("metricTransformations: must be a list of exactly one transformation")
    try:
        return FilterPattern.parse(request["filterPattern"])
    except PatternError as error:
        raise MetricFilterError(f"filterPattern: {error}") from error


def _validate_transformation(
    transformations: list[Any], request: Mapping[str, Any], pattern: FilterPattern
) -> MetricTransformation:
    where = "metricTransformations[0]"
    body = transformations[0]
    if not isinstance(body, Mapping):
        raise MetricFilterError(f"{where}: must be a mapping")
    unknown = sorted(set(body) - _TRANSFORMATION_KEYS)
    if unknown:
        raise MetricFilterError(f"{where}.{unknown[0]}: unknown parameter")
    for name in ("metricName", "metricNamespace"):
        _check_text(body, name, 1, 255, forbidden=":*$", where=where)
    _check_text(body, "metricValue", 1, 100, where=where)
    default_value = _default_value(body, where)
    dimensions = _dimensions(body, where, pattern)
    system_dimensions = request.get("emitSystemFieldDimensions", [])
    if len(dimensions) + len(system_dimensions) > MAX_DIMENSIONS:
        raise MetricFilterError(
            f"{where}.dimensions: at most {MAX_DIMENSIONS} dimensions, emitSystemFieldDimensions included"
        )
    if default_value is not None and (dimensions or system_dimensions):
        raise MetricFilterError(f"{where}.defaultValue: a filter with dimensions cannot have a default value")
    unit = body.get("unit", "None")
    if unit not in UNITS:
        raise MetricFilterError(f"{where}.unit: {unit!r} is not a StandardUnit")
    return MetricTransformation(
        body["metricName"], body["metricNamespace"], body["metricValue"], default_value, dimensions, unit
    )


def _default_value(body: Mapping[str, Any], where: str) -> float | None:
    value = body.get("defaultValue")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise MetricFilterError(f"{where}.defaultValue: must be a finite number, got {value!r}")
    return float(value)


def _dimensions(body: Mapping[str, Any], where: str, pattern: FilterPattern) -> tuple[tuple[str, str], ...]:
    dimensions = body.get("dimensions", {})
    if not isinstance(dimensions, Mapping):
        raise MetricFilterError(f"{where}.dimensions: must be a mapping of name to $.selector or $field")
    if dimensions and pattern.kind not in (PatternKind.JSON, PatternKind.SPACE_DELIMITED):
        raise MetricFilterError(
            f"{where}.dimensions: only JSON and space-delimited patterns can have dimensions"
        )
    for name, source in dimensions.items():
        if not isinstance(name, str) or not 1 <= len(name) <= 255:
            raise MetricFilterError(
                f"{where}.dimensions: a dimension name must be 1-255 characters: {name!r}"
            )
        if not isinstance(source, str) or not 1 <= len(source) <= 255:
            raise MetricFilterError(f"{where}.dimensions.{name}: must be 1-255 characters")
    return tuple(dimensions.items())


def _check_system_field_dimensions(request: Mapping[str, Any]) -> None:
    fields = request.get("emitSystemFieldDimensions", [])
    if not isinstance(fields, list) or any(field not in SYSTEM_FIELD_DIMENSIONS for field in fields):
        raise MetricFilterError(
            f"emitSystemFieldDimensions: must be a list of {' and '.join(SYSTEM_FIELD_DIMENSIONS)}"
        )
    if len(set(fields)) != len(fields):
        raise MetricFilterError("emitSystemFieldDimensions: a field is listed twice")


def _check_text(
    container: Mapping[str, Any],
    name: str,
    minimum: int,
    maximum: int,
    *,
    forbidden: str = "",
    pattern: re.Pattern[str] | None = None,
    where: str = "",
) -> None:
    label = f"{where}.{name}" if where else name
    if name not in container:
        raise MetricFilterError(f"{label}: required")
    value = container[name]
    if not isinstance(value, str):
        raise MetricFilterError(f"{label}: must be a string, got {type(value).__name__}")
    if not minimum <= len(value) <= maximum:
        raise MetricFilterError(f"{label}: must be {minimum}-{maximum:,} characters, got {len(value):,}")
    bad = next((character for character in value if character in forbidden), None)
    if bad is not None:
        raise MetricFilterError(f"{label}: cannot contain {bad!r}")
    if pattern is not None and value and not pattern.fullmatch(value):
        raise MetricFilterError(f"{label}: only letters, digits and . - _ / # are allowed")


def _check_optional_type(container: Mapping[str, Any], name: str, kind: type, description: str) -> None:
    if name in container and not isinstance(container[name], kind):
        raise MetricFilterError(f"{name}: must be {description}")
