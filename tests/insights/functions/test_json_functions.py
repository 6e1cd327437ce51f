"""JSON functions (spec §9.5)."""

from trailtui.insights.functions import SCALAR_FUNCTIONS


def call(name, *arguments):
    return SCALAR_FUNCTIONS[name.lower()].implementation(*arguments)


def test_json_parse_returns_maps_and_lists():
    assert call("jsonParse", '{"a": {"b": [1, "x"]}}') == {"a": {"b": [1, "x"]}}
    assert call("jsonParse", "[1, 2]") == [1, 2]


def test_json_parse_of_scalars_and_invalid_text_is_missing():
    assert call("jsonParse", "5") is None
    assert call("jsonParse", '"text"') is None
    assert call("jsonParse", "{not json") is None
    assert call("jsonParse", None) is None
    assert call("jsonParse", 12) is None


def test_json_parse_passes_structures_through():
    assert call("jsonParse", {"a": 1}) == {"a": 1}


def test_json_stringify_is_compact():
    assert call("jsonStringify", {"a": [1, True, None], "b": "é"}) == '{"a":[1,true,null],"b":"é"}'
    assert call("jsonStringify", "text") is None
    assert call("jsonStringify", None) is None


def test_json_array_size():
    assert call("jsonArraySize", '["a", "b", "c"]') == 3
    assert call("jsonArraySize", "[]") == 0
    assert call("jsonArraySize", [1]) == 1
    assert call("jsonArraySize", '{"a": 1}') is None
    assert call("jsonArraySize", "oops") is None


def test_json_array_contains_is_case_sensitive():
    assert call("jsonArrayContains", '["AccessDenied", "Throttling"]', "AccessDenied") is True
    assert call("jsonArrayContains", '["AccessDenied"]', "accessdenied") is False


def test_json_array_contains_compares_numbers_numerically():
    assert call("jsonArrayContains", "[300, 400]", "300") is True
    assert call("jsonArrayContains", '["1"]', 1) is True


def test_json_array_contains_is_false_for_invalid_non_array_or_empty():
    assert call("jsonArrayContains", "oops", "a") is False
    assert call("jsonArrayContains", '{"a": "a"}', "a") is False
    assert call("jsonArrayContains", "[]", "a") is False
    assert call("jsonArrayContains", None, "a") is False
    assert call("jsonArrayContains", '["a"]', None) is False
