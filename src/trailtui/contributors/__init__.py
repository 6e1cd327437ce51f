"""Contributor Insights: rule bodies, per-event evaluation, streaming rankings and reports."""

from trailtui.contributors.evaluate import compile_rule
from trailtui.contributors.ranking import Ranking
from trailtui.contributors.report import ReportError, build_report
from trailtui.contributors.rules import Filter, Rule, RuleError, parse_rule

__all__ = [
    "Filter",
    "Ranking",
    "ReportError",
    "Rule",
    "RuleError",
    "build_report",
    "compile_rule",
    "parse_rule",
]
