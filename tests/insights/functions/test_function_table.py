"""The scalar function table: every documented function is present, keyed by lowercase name, and no
implementation raises on arguments of any kind."""

import inspect

from hypothesis import given, settings
from hypothesis import strategies as st

from trailtui.insights.functions import SCALAR_FUNCTIONS, ScalarFunction
from trailtui.insights.values import Duration, QueryContext, Timestamp

DOCUMENTED = """abs ceil floor round greatest least log sqrt haversine toNumber toInt toLong toDouble
isempty isblank concat ltrim rtrim trim strlen toupper tolower substr replace regexReplace strcontains
startsWith endsWith split urlencode urldecode base64encode base64decode hexToAscii hexToDec decToHex md5
sha256 bin datefloor dateceil fromMillis toMillis now parseDate formatDate strftime queryStartTime
queryEndTime queryTimeRange ispresent coalesce if case isNumeric messageSize jsonParse jsonStringify
jsonArraySize jsonArrayContains isValidIp isValidIpV4 isValidIpV6 isIpInSubnet isIpv4InSubnet
isIpv6InSubnet ipv4ToNumber isPrivateIP isPublicIP isReservedIP""".split()  # noqa: SIM905


def test_every_documented_function_is_registered_under_its_lowercase_name():
    assert sorted(SCALAR_FUNCTIONS) == sorted(name.lower() for name in DOCUMENTED)
    for name in DOCUMENTED:
        assert SCALAR_FUNCTIONS[name.lower()].name == name


def test_every_entry_is_a_scalar_function_with_a_doc():
    for function in SCALAR_FUNCTIONS.values():
        assert isinstance(function, ScalarFunction)
        assert function.doc
        assert function.max_args is None or function.min_args <= function.max_args


def test_arity_matches_the_implementation_signature():
    for function in SCALAR_FUNCTIONS.values():
        parameters = list(inspect.signature(function.implementation).parameters.values())
        if function.needs_context:
            parameters = parameters[1:]
        variadic = any(parameter.kind is parameter.VAR_POSITIONAL for parameter in parameters)
        required = [parameter for parameter in parameters if parameter.default is parameter.empty]
        assert function.max_args is None or variadic or function.max_args == len(parameters), function.name
        assert variadic or function.min_args == len(required), function.name


def test_predicates_are_flagged_as_boolean():
    assert SCALAR_FUNCTIONS["isvalidip"].returns_boolean
    assert SCALAR_FUNCTIONS["ispresent"].returns_boolean
    assert not SCALAR_FUNCTIONS["concat"].returns_boolean


scalar_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["10.0.0.1", "2001:db8::/32", "%Y", "yyyy", "(a)\\1", "[1,2]", "0xff", "1e400"]),
    st.builds(Timestamp, st.integers(min_value=-(2**40), max_value=2**45)),
    st.builds(
        Duration,
        st.sampled_from([0, 1, 5, 300, -1, 1.5]),
        st.sampled_from(["ms", "s", "h", "d", "w", "mo", "q", "y", "x"]),
    ),
)
any_values = st.one_of(
    scalar_values,
    st.lists(scalar_values, max_size=3),
    st.dictionaries(st.text(max_size=3), scalar_values, max_size=2),
)
contexts = st.builds(
    QueryContext, st.none() | st.integers(0, 2**42), st.none() | st.integers(0, 2**42), st.integers(0, 2**42)
)


@settings(max_examples=60, deadline=None)
@given(arguments=st.lists(any_values, min_size=4, max_size=4), context=contexts)
def test_no_function_raises_on_any_arguments(arguments, context):
    for function in SCALAR_FUNCTIONS.values():
        count = function.max_args if function.max_args is not None else 4
        if function.needs_context:
            function.implementation(context)
        else:
            function.implementation(*arguments[: max(function.min_args, min(count, 4))])
