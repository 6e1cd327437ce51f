"""`TestMetricFilter`: which of up to 50 raw messages a pattern matches, in the API's response shape.

Decisions (spec §7, §9.14, §9.15): `eventNumber` is the zero-based position of the message in the
request; `extractedValues` holds the fields of a space-delimited pattern (`$name`, `$<position>`) and is
`{}` for every other kind, as AWS returns it; a JSON pattern matches only messages that are JSON objects.
A malformed pattern or request raises `MetricFilterError` (InvalidParameterException).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from trailtui.metrics.filters import MetricFilterError
from trailtui.metrics.patterns import MAX_PATTERN_LENGTH, FilterPattern, PatternError

MAX_MESSAGES = 50


def test_metric_filter(filter_pattern: str, log_event_messages: Sequence[str]) -> dict[str, Any]:
    """The TestMetricFilter response: `{"matches": [{eventNumber, eventMessage, extractedValues}]}`."""
    if not 1 <= len(log_event_messages) <= MAX_MESSAGES:
        raise MetricFilterError(f"logEventMessages: must hold 1-{MAX_MESSAGES} messages")
    if len(filter_pattern) > MAX_PATTERN_LENGTH:
        raise MetricFilterError(f"filterPattern: must be at most {MAX_PATTERN_LENGTH:,} characters")
    try:
        pattern = FilterPattern.parse(filter_pattern)
    except PatternError as error:
        raise MetricFilterError(f"filterPattern: {error}") from error
    matches = []
    for number, message in enumerate(log_event_messages):
        values = pattern.extracted_values(message)
        if values is not None:
            matches.append({"eventNumber": number, "eventMessage": message, "extractedValues": values})
    return {"matches": matches}
