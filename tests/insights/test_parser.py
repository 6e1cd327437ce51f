"""The parser: command syntax, expression precedence, and errors with positions."""

import pytest

from trailtui.insights import ast
from trailtui.insights.errors import MalformedQueryError
from trailtui.insights.parser import parse_expression, parse_query
from trailtui.insights.values import Duration


def test_pipeline_of_commands_spanning_lines():
    query = parse_query("fields a\n| filter b > 1\n| sort a asc\n| limit 5")
    assert [type(command) for command in query.commands] == [ast.Fields, ast.Filter, ast.Sort, ast.Limit]


def test_keywords_and_function_names_are_case_insensitive():
    upper = parse_query("FIELDS x AS y | FILTER x LIKE 'a' AND NOT ispresent(z) | STATS COUNT(*) BY BIN(5m)")
    lower = parse_query("fields x as y | filter x like 'a' and not ispresent(z) | stats COUNT(*) by BIN(5m)")
    assert upper == lower


def test_precedence_unary_minus_then_power_then_multiplication_then_addition():
    assert parse_expression("1 + 2 * 3 ^ 2") == ast.Binary(
        "+", ast.Number(1), ast.Binary("*", ast.Number(2), ast.Binary("^", ast.Number(3), ast.Number(2)))
    )
    assert parse_expression("-2 ^ 2") == ast.Binary("^", ast.Unary("-", ast.Number(2)), ast.Number(2))
    assert parse_expression("2 ^ 3 ^ 2") == ast.Binary(
        "^", ast.Number(2), ast.Binary("^", ast.Number(3), ast.Number(2))
    )


def test_precedence_not_and_or():
    expression = parse_expression("a = 1 or not b = 2 and c = 3")
    assert isinstance(expression, ast.Binary) and expression.operator == "or"
    right = expression.right
    assert isinstance(right, ast.Binary) and right.operator == "and"
    assert isinstance(right.left, ast.Unary) and right.left.operator == "not"


def test_like_in_and_their_negations():
    assert parse_expression("a not like /x/") == ast.Match(ast.Field("a"), "not like", ast.Regex("x"))
    assert parse_expression("a =~ /x/") == ast.Match(ast.Field("a"), "=~", ast.Regex("x"))
    assert parse_expression('a not in [1, "b"]') == ast.In(
        ast.Field("a"), (ast.Number(1), ast.String("b")), True
    )


def test_count_star_and_durations_in_calls():
    assert parse_expression("count(*)") == ast.Call("count", (ast.Star(),))
    assert parse_expression("bin(5m)") == ast.Call("bin", (ast.DurationLiteral(Duration(5, "m")),))


def test_items_keep_alias_and_source_text():
    [fields] = parse_query("fields abs(f3-f4), x as y").commands
    assert isinstance(fields, ast.Fields)
    assert [item.name for item in fields.items] == ["abs(f3-f4)", "y"]


def test_parse_command_forms():
    glob, regex, multi = parse_query(
        'parse "a*" as x | parse f /(?<y>.)/ | parse f /(\\d)/ as d multi'
    ).commands
    assert glob == ast.Parse(None, ast.String("a*"), ("x",))
    assert regex == ast.Parse(ast.Field("f"), ast.Regex("(?<y>.)"))
    assert multi == ast.Parse(ast.Field("f"), ast.Regex("(\\d)"), ("d",), multi=True)


def test_sort_directions_and_limit_any():
    sort, limit = parse_query("sort a, b asc, c desc | limit any 7").commands
    assert sort == ast.Sort(
        (ast.SortKey(ast.Field("a")), ast.SortKey(ast.Field("b"), "asc"), ast.SortKey(ast.Field("c"), "desc"))
    )
    assert limit == ast.Limit(7, any=True)


def test_where_and_filter_index_are_filters():
    where, index = parse_query("where a = 1 | filterIndex b in ['x']").commands
    assert isinstance(where, ast.Filter) and where.keyword == "where"
    assert isinstance(index, ast.Filter) and index.keyword == "filterIndex"


def test_unsupported_commands_parse_with_their_text():
    [pattern, source] = parse_query("pattern @message | SOURCE logGroups(namePrefix: ['a'])").commands
    assert pattern == ast.UnsupportedCommand("pattern", "pattern @message")
    assert source == ast.UnsupportedCommand("source", "SOURCE logGroups(namePrefix: ['a'])")


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("fields a | | stats count(*)", "mismatched input '|' expecting a command", 12),
        ("filter a = ", "mismatched input '<EOF>' expecting an expression", 12),
        ("filter and", "mismatched input 'and' expecting an expression", 8),
        ("fields a b", "mismatched input 'b' expecting '|' or end of query", 10),
        ("limit 1.5", "mismatched input '1.5' expecting a whole number", 7),
        ("frobnicate x", "mismatched input 'frobnicate' expecting a command", 1),
        ("stats count(*) by", "mismatched input '<EOF>' expecting an expression", 18),
        ("unnest a b", "mismatched input 'b' expecting 'into'", 10),
    ],
)
def test_syntax_errors_say_what_was_expected_where(text, message, column):
    with pytest.raises(MalformedQueryError) as error:
        parse_query(text)
    assert (error.value.message, error.value.line, error.value.column) == (message, 1, column)


def test_error_position_on_a_later_line():
    with pytest.raises(MalformedQueryError) as error:
        parse_query("fields a\n| filter b = = 2")
    assert (error.value.line, error.value.column) == (2, 14)
    assert str(error.value) == "line 2:14: mismatched input '=' expecting an expression"


def test_display_rejects_expressions():
    with pytest.raises(MalformedQueryError) as error:
        parse_query("display abs(x)")
    assert "display accepts field names only" in error.value.message
    assert error.value.column == 12


def test_parse_logfmt_is_refused_at_its_position():
    with pytest.raises(MalformedQueryError) as error:
        parse_query("parse @message logfmt as a")
    assert (error.value.message, error.value.column) == (
        "`parse logfmt` is not supported by the local engine",
        16,
    )
