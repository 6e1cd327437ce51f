"""CloudWatch Logs filter patterns: tokens, parser, syntax tree, printer and compiled matcher.

`FilterPattern.parse(text)` is the entry point; `parse_pattern` and `print_pattern` convert between text
and the immutable tree in `syntax`.
"""

from trailtui.metrics.patterns.matcher import FilterPattern, PatternKind
from trailtui.metrics.patterns.parser import MAX_PATTERN_LENGTH, parse_pattern
from trailtui.metrics.patterns.printer import print_pattern
from trailtui.metrics.patterns.tokens import PatternError

__all__ = [
    "MAX_PATTERN_LENGTH",
    "FilterPattern",
    "PatternError",
    "PatternKind",
    "parse_pattern",
    "print_pattern",
]
