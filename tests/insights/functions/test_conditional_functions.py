"""General and conditional functions (spec §9.4)."""

from trailtui.insights.functions import SCALAR_FUNCTIONS


def call(name, *arguments):
    return SCALAR_FUNCTIONS[name.lower()].implementation(*arguments)


def test_ispresent():
    assert call("ispresent", "x") is True
    assert call("ispresent", "") is True
    assert call("ispresent", 0) is True
    assert call("ispresent", None) is False


def test_coalesce_returns_the_first_present_argument():
    assert call("coalesce", None, "", "b") == ""
    assert call("coalesce", None, None, 3) == 3
    assert call("coalesce", None) is None


def test_if_chooses_by_truth():
    assert call("if", True, "a", "b") == "a"
    assert call("if", 0, "a", "b") == "b"
    assert call("if", None, "a", "b") == "b"
    assert call("if", "true", "a", "b") == "a"


def test_if_without_else_is_missing_when_false():
    assert call("if", False, "a") is None


def test_case_returns_the_first_true_branch():
    assert call("case", False, "a", True, "b", True, "c") == "b"


def test_case_falls_back_to_the_default_or_missing():
    assert call("case", False, "a", "default") == "default"
    assert call("case", False, "a", 0, "b") is None


def test_case_accepts_ten_branches_and_a_default():
    case = SCALAR_FUNCTIONS["case"]
    assert case.max_args == 21
    arguments = [False, "x"] * 9 + [True, "tenth", "default"]
    assert call("case", *arguments) == "tenth"


def test_is_numeric():
    assert call("isNumeric", "12.5") is True
    assert call("isNumeric", 7) is True
    assert call("isNumeric", "7a") is False
    assert call("isNumeric", None) is False
    assert call("isNumeric", True) is False


def test_message_size_is_utf8_bytes():
    assert call("messageSize", "héllo") == 6
    assert call("messageSize", 1234) == 4
    assert call("messageSize", {"a": 1}) == 7
    assert call("messageSize", None) is None
