"""IP address functions (spec §9.6): every function is false or missing for values that are not addresses."""

import pytest

from trailtui.insights.functions import SCALAR_FUNCTIONS


def call(name, *arguments):
    return SCALAR_FUNCTIONS[name.lower()].implementation(*arguments)


NOT_ADDRESSES: list[object] = [
    "ec2.amazonaws.com",
    "AWS Internal",
    "",
    "1.2.3",
    "256.1.1.1",
    "01.2.3.4",
    None,
    12345,
    {},
]
PREDICATES = ["isValidIp", "isValidIpV4", "isValidIpV6", "isPrivateIP", "isPublicIP", "isReservedIP"]


def test_validity():
    assert call("isValidIp", "192.0.2.10") is True
    assert call("isValidIp", "2001:db8::1") is True
    assert call("isValidIpV4", "192.0.2.10") is True
    assert call("isValidIpV4", "2001:db8::1") is False
    assert call("isValidIpV6", "2001:db8::1") is True
    assert call("isValidIpV6", "192.0.2.10") is False


@pytest.mark.parametrize("name", PREDICATES)
@pytest.mark.parametrize("value", NOT_ADDRESSES)
def test_predicates_are_false_for_non_addresses(name, value):
    assert call(name, value) is False


def test_subnet_membership():
    assert call("isIpInSubnet", "192.0.2.10", "192.0.2.0/24") is True
    assert call("isIpInSubnet", "192.0.3.10", "192.0.2.0/24") is False
    assert call("isIpInSubnet", "2001:db8::1", "2001:db8::/32") is True
    assert call("isIpv4InSubnet", "10.1.2.3", "10.0.0.0/8") is True
    assert call("isIpv6InSubnet", "2001:db8::1", "2001:db8::/32") is True


def test_subnet_membership_across_versions_is_false():
    assert call("isIpInSubnet", "192.0.2.10", "2001:db8::/32") is False
    assert call("isIpv4InSubnet", "2001:db8::1", "2001:db8::/32") is False
    assert call("isIpv6InSubnet", "10.1.2.3", "10.0.0.0/8") is False


def test_subnet_membership_accepts_host_bits_in_the_cidr():
    assert call("isIpInSubnet", "192.0.2.10", "192.0.2.1/24") is True


@pytest.mark.parametrize("cidr", ["not-a-cidr", "192.0.2.0/33", None, 24])
def test_bad_cidr_is_false(cidr):
    assert call("isIpInSubnet", "192.0.2.10", cidr) is False


def test_ipv4_to_number():
    assert call("ipv4ToNumber", "192.0.2.1") == 3221225985
    assert call("ipv4ToNumber", "0.0.0.0") == 0
    assert call("ipv4ToNumber", "2001:db8::1") is None
    assert call("ipv4ToNumber", "ec2.amazonaws.com") is None


@pytest.mark.parametrize("address", ["10.0.0.1", "172.16.5.4", "172.31.255.255", "192.168.1.1", "fd00::1"])
def test_private_addresses(address):
    assert call("isPrivateIP", address) is True
    assert call("isPublicIP", address) is False
    assert call("isReservedIP", address) is False


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "169.254.169.254", "100.64.0.1", "192.0.2.1", "224.0.0.1", "240.0.0.1", "0.0.0.0",
     "::1", "fe80::1", "2001:db8::1", "ff02::1"],
)  # fmt: skip
def test_reserved_addresses(address):
    assert call("isReservedIP", address) is True
    assert call("isPublicIP", address) is False
    assert call("isPrivateIP", address) is False


@pytest.mark.parametrize("address", ["8.8.8.8", "172.32.0.1", "52.95.110.1", "2600:1f18::1"])
def test_public_addresses(address):
    assert call("isPublicIP", address) is True
    assert call("isPrivateIP", address) is False
    assert call("isReservedIP", address) is False
