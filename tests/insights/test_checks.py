"""Semantic rules (spec §6, §12) refuse queries at the offending position."""

import pytest

from trailtui.insights.errors import MalformedQueryError
from trailtui.insights.executor import compile_query


@pytest.mark.parametrize(
    ("query", "message", "column"),
    [
        ("fields a | pattern @message", "`pattern` is not supported by the local engine", 12),
        ("diff previousDay", "`diff` is not supported by the local engine", 1),
        ("fields a | anomaly", "`anomaly` is not supported by the local engine", 12),
        ("lookup t x", "`lookup` is not supported by the local engine", 1),
        (
            "stats count(*) as a | stats count(*) as b | stats count(*) as c",
            "a query may have at most two `stats` commands",
            45,
        ),
        ("dedup a | sort a", "only `limit` may follow `dedup`", 11),
        ("stats count(*) as c by x | sort c | stats sum(c)", "`sort` must come after the second `stats`", 28),
        (
            "stats count(*) as c by x | limit 2 | stats sum(c)",
            "`limit` must come after the second `stats`",
            28,
        ),
        ("stats count(*) as c by x | stats sum(y)", "Unknown symbols found in or after stats: y", 38),
        (
            "stats count(*) as c by x | fields @message",
            "Unknown symbols found in or after stats: @message",
            35,
        ),
        (
            "stats count(*) as c by x | stats count(*) by bin(5m)",
            "Unknown symbols found in or after stats: @timestamp",
            46,
        ),
        ("fields a as b | fields c as b", "`b` is already defined at line 1:13; choose another name", 29),
        ("fields a | fields tolower(a) as a", "`a` is already defined at line 1:8; choose another name", 33),
        ('parse @message "* *" as a', "the glob captures 2 field(s) but 1 name(s) follow `as`", 16),
        ("parse @message /(\\w)\\1/ as a", "backreference \\1 is not supported in /(\\w)\\1/", 16),
        ("parse @message /(?=x)(?<a>.)/", "lookahead '(?=' is not supported in /(?=x)(?<a>.)/", 16),
        ("filter nosuch(x)", "unknown function `nosuch`", 8),
        ("filter abs(x, y) > 1", "`abs` takes 1 argument(s), got 2", 8),
        ("filter count(*) > 1", "aggregate function `count` is only allowed in stats", 8),
        (
            "stats eventName",
            "`eventName` must be inside an aggregate or name an earlier item of this stats",
            7,
        ),
        ("stats sum(count(*))", "aggregate function `count` is only allowed in stats", 11),
        ("fields abs(*)", "`*` is only allowed in `count(*)`", 12),
        ("limit 100001", "`limit` must be between 1 and 100,000", 1),
    ],
)
def test_rule_violations_are_malformed_queries_with_position(query, message, column):
    with pytest.raises(MalformedQueryError) as error:
        compile_query(query)
    assert (error.value.message, error.value.column) == (message, column)


def test_documented_valid_shapes_compile():
    compile_query("stats count(*) as c by bin(5m) as @t | stats avg(c) by datefloor(@t, 1h)")
    compile_query(
        "stats max(@timestamp) as @t by @logStream | fields @t | stats count(*) by dateceil(@t, 5m)"
    )
    compile_query("stats count(*) as c by x | filter c > 1 | stats sum(c) as s | sort s desc | limit 3")
    compile_query("fields if(ispresent(x), x, 'unknown') as x")
    compile_query("stats count(*) as c, c * 2 as double, pct(n, 90) by bin(1h)")


def test_equality_with_a_star_warns_but_compiles():
    [warning] = compile_query("filter eventName = 'Create*'").warnings
    assert "like /^Create/" in warning.message
    assert compile_query("filter eventName like 'Create*'").warnings == ()
