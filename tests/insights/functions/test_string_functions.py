"""String functions (spec §9.2, §9.7): documented examples, missing values and bad data."""

import pytest

from trailtui.insights.functions import SCALAR_FUNCTIONS


def call(name, *arguments):
    return SCALAR_FUNCTIONS[name.lower()].implementation(*arguments)


# --- documented examples --------------------------------------------------------------------------


def test_trim_functions_strip_the_given_characters_only():
    assert call("ltrim", "xyZxyfooxyZ", "xyZ") == "fooxyZ"
    assert call("rtrim", "xyZfooxyxyZ", "xyZ") == "xyZfoo"
    assert call("trim", "xyZxyfooxyxyZ", "xyZ") == "foo"


def test_trim_functions_with_characters_keep_whitespace():
    assert call("trim", " xfoox ", "x") == " xfoox "


def test_trim_functions_without_characters_strip_whitespace():
    assert call("ltrim", "  a  ") == "a  "
    assert call("rtrim", "  a  ") == "  a"
    assert call("trim", "\t a \n") == "a"


def test_substr_start_is_zero_based():
    assert call("substr", "xyZfooxyZ", 3, 3) == "foo"
    assert call("substr", "xyZfooxyZ", 3) == "fooxyZ"


def test_substr_clamps_out_of_range_positions():
    assert call("substr", "abc", 10) == ""
    assert call("substr", "abc", -2, 2) == "ab"
    assert call("substr", "abc", 1, -1) == ""
    assert call("substr", "abc", "1", "1") == "b"


def test_substr_with_a_non_numeric_position_is_missing():
    assert call("substr", "abc", "x") is None


# --- predicates returning 1/0 ---------------------------------------------------------------------


@pytest.mark.parametrize(("value", "empty", "blank"), [(None, True, True), ("", True, True),
                         ("  ", False, True), ("a", False, False), (0, False, False)])  # fmt: skip
def test_isempty_and_isblank(value, empty, blank):
    assert call("isempty", value) is empty
    assert call("isblank", value) is blank


def test_strcontains_is_case_sensitive_unless_asked():
    assert call("strcontains", "AccessDenied", "Denied") is True
    assert call("strcontains", "AccessDenied", "denied") is False
    assert call("strcontains", "AccessDenied", "denied", True) is True


def test_starts_with_and_ends_with():
    assert call("startsWith", "arn:aws:iam::1:role/x", "arn:aws:iam") is True
    assert call("endsWith", "signin.amazonaws.com", ".amazonaws.com") is True
    assert call("startsWith", "abc", "b") is False


def test_predicates_on_missing_values_are_false():
    assert call("strcontains", None, "a") is False
    assert call("startsWith", None, "a") is False
    assert call("endsWith", "a", None) is False


# --- transformations ------------------------------------------------------------------------------


def test_concat_joins_rendered_values_and_skips_missing():
    assert call("concat", "Put", "-", 200) == "Put-200"
    assert call("concat", "a", None, "b") == "ab"
    assert call("concat", None, None) is None
    assert call("concat", True, 2.0) == "12"


def test_strlen_counts_code_points():
    assert call("strlen", "héllo😀") == 6
    assert call("strlen", None) is None


def test_case_conversion():
    assert call("toupper", "AbC") == "ABC"
    assert call("tolower", "AbC") == "abc"
    assert call("toupper", None) is None


def test_replace_is_literal_and_global():
    assert call("replace", "a.b.c", ".", "-") == "a-b-c"
    assert call("replace", "abc", "", "x") == "abc"
    assert call("replace", "abc", "b", None) is None


def test_regex_replace_replaces_every_match():
    assert call("regexReplace", "id=123 id=45", r"\d+", "N") == "id=N id=N"


def test_regex_replace_refers_to_groups_with_dollar():
    assert call("regexReplace", "user:alice", r"user:(\w+)", "[$1]") == "[alice]"
    assert call("regexReplace", "user:alice", r"user:(?<name>\w+)", "${name}!") == "alice!"
    assert call("regexReplace", "a", "(a)", r"\$1") == "$1"


def test_regex_replace_with_bad_pattern_is_missing():
    assert call("regexReplace", "aa", r"(a)\1", "x") is None
    assert call("regexReplace", "aa", "(", "x") is None


def test_split_returns_a_list():
    assert call("split", "a,b,,c", ",") == ["a", "b", "", "c"]
    assert call("split", "ab", "") == ["a", "b"]
    assert call("split", None, ",") is None


def test_maps_and_lists_count_as_missing_for_string_functions():
    assert call("toupper", {"a": 1}) is None
    assert call("strlen", [1, 2]) is None


# --- encodings ------------------------------------------------------------------------------------


def test_url_encoding_round_trips():
    assert call("urlencode", "a b&c=d/é") == "a+b%26c%3Dd%2F%C3%A9"
    assert call("urldecode", "a+b%26c%3Dd%2F%C3%A9") == "a b&c=d/é"


def test_urldecode_never_fails_on_bad_escapes():
    assert call("urldecode", "%zz%") == "%zz%"


def test_base64_round_trips_utf8():
    assert call("base64encode", "héllo") == "aMOpbGxv"
    assert call("base64decode", "aMOpbGxv") == "héllo"


def test_base64decode_tolerates_missing_padding():
    assert call("base64decode", "YWI") == "ab"


@pytest.mark.parametrize("bad", ["not base64!", "//79", None])
def test_base64decode_of_bad_data_is_missing(bad):
    assert call("base64decode", bad) is None


def test_hex_to_ascii():
    assert call("hexToAscii", "48656c6c6f") == "Hello"
    assert call("hexToAscii", "0x4869") == "Hi"
    assert call("hexToAscii", "486") is None
    assert call("hexToAscii", "zz") is None


def test_hex_to_dec():
    assert call("hexToDec", "ff") == 255
    assert call("hexToDec", "0x1A") == 26
    assert call("hexToDec", "-0x10") == -16
    assert call("hexToDec", "xyz") is None


def test_dec_to_hex_is_lowercase_with_prefix_and_truncates():
    assert call("decToHex", 255) == "0xff"
    assert call("decToHex", -255) == "-0xff"
    assert call("decToHex", 10.9) == "0xa"
    assert call("decToHex", "26") == "0x1a"
    assert call("decToHex", "abc") is None


def test_hashes_are_lowercase_hex_of_utf8():
    assert call("md5", "abc") == "900150983cd24fb0d6963f7d28e17f72"
    assert call("sha256", "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert call("md5", None) is None
