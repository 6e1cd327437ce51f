"""The statistic an alarm reduces each period with, as PutMetricAlarm accepts it.

`Statistic` is one of five names; `ExtendedStatistic` follows spec/alarms.md §1. Decisions where the spec
is loose: the short trimmed forms (`tm90`, `tc90`, `ts90`, `wm90`) take a whole percentage from 10 to 90
(the spec's "X 10–90"); the bracketed forms (`TM(10%:90%)`, `PR(1:300)`) may leave either bound out, and
their bounds must be increasing, within 0–100 % for the percentage forms.
"""

import re
from decimal import Decimal
from fractions import Fraction

STATISTICS = ("SampleCount", "Average", "Sum", "Minimum", "Maximum")

_PERCENTILE = re.compile(r"p(\d{1,3}(?:\.\d{1,2})?)")
_SHORT_TRIMMED = re.compile(r"(?:tm|tc|ts|wm)(\d{2})")
_PERCENT_RANGE = re.compile(r"(?:TM|TC|TS|WM)\((\d{1,3}(?:\.\d{1,2})?)?%?:(\d{1,3}(?:\.\d{1,2})?)?%?\)")
_VALUE_RANGE = re.compile(r"PR\((-?\d+(?:\.\d+)?)?:(-?\d+(?:\.\d+)?)?\)")

_SIGNIFICANT_SAMPLES = 10


def is_valid_extended_statistic(name: str) -> bool:
    """Whether `name` is an ExtendedStatistic that PutMetricAlarm accepts."""
    if name == "IQM":
        return True
    if match := _PERCENTILE.fullmatch(name):
        return Decimal(match[1]) <= 100
    if match := _SHORT_TRIMMED.fullmatch(name):
        return 10 <= int(match[1]) <= 90
    if match := _PERCENT_RANGE.fullmatch(name):
        return _bounds_increase(match[1], match[2], upper_limit=Decimal(100))
    if match := _VALUE_RANGE.fullmatch(name):
        return _bounds_increase(match[1], match[2], upper_limit=None)
    return False


def _bounds_increase(low: str | None, high: str | None, upper_limit: Decimal | None) -> bool:
    if low is None and high is None:
        return False
    if upper_limit is not None and any(
        bound is not None and Decimal(bound) > upper_limit for bound in (low, high)
    ):
        return False
    return low is None or high is None or Decimal(low) < Decimal(high)


def percentile_fraction(extended_statistic: str | None) -> Fraction | None:
    """The percentile of a `pNN`/`pNN.NN` statistic as an exact fraction of 1; None for others."""
    if extended_statistic is None or not (match := _PERCENTILE.fullmatch(extended_statistic)):
        return None
    return Fraction(Decimal(match[1])) / 100


def minimum_significant_samples(percentile: Fraction) -> Fraction:
    """Fewest samples for a percentile to count as statistically significant (spec §4.7).

    p99 needs 1,000 samples (10 / (1 − 0.99)); p10 needs 100 (10 / 0.1). p0 and p100 are the minimum and
    maximum, exact with any number of samples, so they need none. Exact fractions keep p99 at 1,000 rather
    than 1,000.0000000000009.
    """
    if percentile in (0, 1):
        return Fraction(0)
    if percentile >= Fraction(1, 2):
        return _SIGNIFICANT_SAMPLES / (1 - percentile)
    return _SIGNIFICANT_SAMPLES / percentile
