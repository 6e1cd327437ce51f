"""Printing a tree gives text that parses back to the same tree, for every query the tests use."""

import ast as python_ast
import pathlib

import pytest

from trailtui.insights.errors import MalformedQueryError
from trailtui.insights.parser import parse_query
from trailtui.insights.printer import print_query

from . import queries

QUERY_TAKING_FUNCTIONS = {"run", "run_query", "compile_query", "parse_query", "scan_in_parts"}


def queries_in_test_sources() -> list[str]:
    """String literals passed as the query to the engine anywhere in these tests."""
    found = []
    for path in sorted(pathlib.Path(__file__).parent.glob("test_*.py")):
        for node in python_ast.walk(python_ast.parse(path.read_text())):
            is_call = isinstance(node, python_ast.Call) and isinstance(node.func, python_ast.Name)
            if is_call and node.func.id in QUERY_TAKING_FUNCTIONS and node.args:
                first = node.args[0]
                if isinstance(first, python_ast.Constant) and isinstance(first.value, str):
                    found.append(first.value)
    return found


def parses(text: str) -> bool:
    try:
        parse_query(text)
    except MalformedQueryError:
        return False
    return True


ALL_QUERIES = [
    *queries.USE_CASES,
    *queries.EXAMPLES,
    *(text for text in queries_in_test_sources() if parses(text)),
]


def test_the_collection_covers_the_executor_tests():
    assert len(ALL_QUERIES) > 60


@pytest.mark.parametrize("text", ALL_QUERIES)
def test_parse_print_parse_gives_the_same_tree(text):
    tree = parse_query(text)
    printed = print_query(tree)
    assert parse_query(printed) == tree
    assert print_query(parse_query(printed)) == printed


def test_printing_quotes_what_needs_quoting():
    printed = print_query(
        parse_query(r"fields `foo-bar`, `and` | filter a like /x\/y/ and b = 'it\'s \\ \d'")
    )
    assert printed == r'fields `foo-bar`, `and` | filter a like /x\/y/ and b = "it' + "'" + r's \\ \\d"'


def test_printing_keeps_needed_parentheses_only():
    printed = print_query(parse_query("fields (a + b) * c, a + (b * c), not (x = 1 or y = 2), (2 ^ 3) ^ 4"))
    assert printed == "fields (a + b) * c, a + b * c, not (x = 1 or y = 2), (2 ^ 3) ^ 4"
