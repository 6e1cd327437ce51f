"""The tokenizer: kinds, values and positions of tokens (spec §2)."""

import pytest

from trailtui.insights.errors import MalformedQueryError
from trailtui.insights.tokens import TokenKind, tokenize
from trailtui.insights.values import Duration


def kinds_and_values(text: str) -> list[tuple[TokenKind, object]]:
    return [(token.kind, token.value) for token in tokenize(text)[:-1]]


def test_every_token_keeps_line_column_and_offsets():
    tokens = tokenize("fields a\n  | filter b = 'x'")
    filter_token = tokens[3]
    assert filter_token.text == "filter"
    assert (filter_token.span.line, filter_token.span.column) == (2, 5)
    assert (filter_token.span.start, filter_token.span.end) == (13, 19)
    string = tokens[-2]
    assert (string.span.line, string.span.column, string.value) == (2, 16, "x")


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        ("5m", Duration(5, "m")),
        ("1hr", Duration(1, "h")),
        ("30mins", Duration(30, "m")),
        ("2days", Duration(2, "d")),
        ("100ms", Duration(100, "ms")),
        ("1mo", Duration(1, "mo")),
        ("3qtrs", Duration(3, "q")),
        ("1.5h", Duration(1.5, "h")),
    ],
)
def test_a_number_immediately_followed_by_a_unit_is_a_duration(text, duration):
    assert kinds_and_values(text) == [(TokenKind.DURATION, duration)]


def test_a_number_separated_from_its_unit_is_not_a_duration():
    assert kinds_and_values("2 days") == [(TokenKind.NUMBER, 2), (TokenKind.NAME, "days")]


def test_an_unknown_unit_is_an_error_at_the_number():
    with pytest.raises(MalformedQueryError) as error:
        tokenize("bin(5x)")
    assert (error.value.column, error.value.start_offset, error.value.end_offset) == (5, 4, 6)


def test_strings_unescape_quotes_and_backslashes_only():
    [(kind, value)] = kinds_and_values(r'"requestParameters\":{*} \d \\ \'"')
    assert kind is TokenKind.STRING
    assert value == "requestParameters\":{*} \\d \\ '"


def test_single_quoted_strings():
    assert kinds_and_values("'-'") == [(TokenKind.STRING, "-")]


def test_a_slash_after_an_operand_divides_and_elsewhere_opens_a_regex():
    assert kinds_and_values("a / 2") == [
        (TokenKind.NAME, "a"),
        (TokenKind.OPERATOR, "/"),
        (TokenKind.NUMBER, 2),
    ]
    assert kinds_and_values(r"a like /x\/y\d/")[-1] == (TokenKind.REGEX, r"x/y\d")
    assert kinds_and_values("a =~ /2/")[-1] == (TokenKind.REGEX, "2")
    assert kinds_and_values("parse @message /(?<a>.)/")[-1] == (TokenKind.REGEX, "(?<a>.)")
    assert kinds_and_values("parse /(?<a>.)/")[-1] == (TokenKind.REGEX, "(?<a>.)")


def test_backticks_quote_whole_names_and_dotted_segments():
    assert kinds_and_values("`foo-bar`") == [(TokenKind.QUOTED_NAME, "foo-bar")]
    assert kinds_and_values("json_message.`user.id`.x") == [(TokenKind.QUOTED_NAME, "json_message.user.id.x")]


def test_dotted_and_at_names_are_one_token():
    assert kinds_and_values(
        "@timestamp userIdentity.sessionContext.attributes.mfaAuthenticated resources.0.ARN"
    ) == [
        (TokenKind.NAME, "@timestamp"),
        (TokenKind.NAME, "userIdentity.sessionContext.attributes.mfaAuthenticated"),
        (TokenKind.NAME, "resources.0.ARN"),
    ]


def test_hash_starts_a_comment_to_end_of_line_outside_strings():
    assert kinds_and_values("    # | filter x\nfields '#a' # note") == [
        (TokenKind.NAME, "fields"),
        (TokenKind.STRING, "#a"),
    ]


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ('filter a = "open', "unterminated string literal", 12),
        ("filter a like /open", "unterminated regular expression", 15),
        ("fields `open", "unterminated backtick-quoted name", 8),
        ("fields a ; b", "token recognition error at: ';'", 10),
    ],
)
def test_lexical_errors_point_at_their_column(text, message, column):
    with pytest.raises(MalformedQueryError) as error:
        tokenize(text)
    assert error.value.message == message
    assert error.value.column == column
    assert str(error.value) == f"line 1:{column}: {message}"
