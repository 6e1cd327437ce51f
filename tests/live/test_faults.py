"""Faults become one line for the user and the backend keeps working: throttling (backed off and counted),
missing or expired credentials, AccessDenied on one call, network loss, a bad profile or no Region."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import EndpointConnectionError
from botocore.stub import Stubber

from trailtui.backends.aws import AwsBackend
from trailtui.backends.aws_errors import EXPIRED, NO_CREDENTIALS, ServiceError, Unreachable
from trailtui.backends.aws_session import AwsOptions
from trailtui.backends.base import BackendError
from trailtui.events.model import Event

from .conftest import REGION, TRAIL_GROUP, backend_on

RULE = {"Name": "r", "State": "ENABLED", "Schema": "{}", "Definition": "{}", "ManagedRule": False}


async def test_throttling_is_retried_and_counted(stubbed_cloudwatch: tuple[AwsBackend, Stubber]) -> None:
    backend, stubber = stubbed_cloudwatch
    for _ in range(2):
        stubber.add_client_error(
            "describe_insight_rules", service_error_code="Throttling", http_status_code=400
        )
    stubber.add_response("describe_insight_rules", {"InsightRules": [RULE]})
    assert await backend.describe_insight_rules() == {"InsightRules": [RULE]}
    health = backend.health
    assert (health.throttled, health.retries, health.last_error) == (2, 2, None)
    assert health.last_throttle is not None
    assert health.summary().startswith("throttled 2× (last ")


async def test_polling_a_query_backs_off_when_throttled(stubbed_logs: tuple[AwsBackend, Stubber]) -> None:
    backend, stubber = stubbed_logs
    stubber.add_client_error(
        "get_query_results", service_error_code="ThrottlingException", http_status_code=400
    )
    stubber.add_response("get_query_results", {"status": "Running", "results": []})
    assert (await backend.get_query_results("q-1"))["status"] == "Running"
    assert backend.health.throttled == 1


async def test_throttling_that_persists_becomes_one_line(
    stubbed_cloudwatch: tuple[AwsBackend, Stubber],
) -> None:
    backend, stubber = stubbed_cloudwatch
    for _ in range(backend.caller.policy.attempts):
        stubber.add_client_error(
            "describe_alarms",
            service_error_code="Throttling",
            service_message="Rate exceeded",
            http_status_code=400,
        )
    with pytest.raises(ServiceError, match=r"^cloudwatch:DescribeAlarms failed: Throttling: Rate exceeded$"):
        await backend.describe_alarms()
    assert backend.health.last_error == "cloudwatch:DescribeAlarms failed: Throttling: Rate exceeded"


async def test_expired_credentials_say_so(stubbed_logs: tuple[AwsBackend, Stubber]) -> None:
    backend, stubber = stubbed_logs
    stubber.add_client_error(
        "describe_query_definitions", service_error_code="ExpiredTokenException", http_status_code=400
    )
    with pytest.raises(BackendError) as caught:
        await backend.describe_query_definitions()
    assert (
        str(caught.value)
        == EXPIRED
        == "AWS credentials expired (refresh them, e.g. `aws sso login`, and try again)"
    )


async def test_access_denied_on_one_call_leaves_the_rest_working(
    stubbed_cloudwatch: tuple[AwsBackend, Stubber], corpus_groups: dict[str, list[Event]]
) -> None:
    backend, stubber = stubbed_cloudwatch
    stubber.add_client_error(
        "describe_alarms",
        service_error_code="AccessDenied",
        service_message="User: arn:aws:iam::123456789012:user/ro is not authorized to perform this",
        http_status_code=403,
    )
    with pytest.raises(
        ServiceError, match=r"^access denied: cloudwatch:DescribeAlarms \(User: .* is not authorized"
    ):
        await backend.describe_alarms()
    filters = await backend.describe_metric_filters()
    assert isinstance(filters["metricFilters"], list)
    assert backend.health.last_error is None


async def test_network_loss_is_one_line_and_the_next_call_tries_again(
    moto_url: str, corpus_groups: dict[str, list[Event]]
) -> None:
    backend = backend_on(moto_url, (TRAIL_GROUP,))
    outage = {"remaining": backend.caller.policy.attempts}

    def drop(**_: Any) -> None:
        if outage["remaining"]:
            outage["remaining"] -= 1
            raise EndpointConnectionError(endpoint_url=moto_url)

    backend.clients.logs.meta.events.register("before-send.cloudwatch-logs.DescribeLogGroups", drop)
    with pytest.raises(Unreachable, match=rf"^cannot reach {moto_url} \(logs:DescribeLogGroups\)"):
        await backend.log_groups()
    assert backend.health.retries == backend.caller.policy.attempts - 1
    assert [group.name for group in await backend.log_groups()] == [TRAIL_GROUP]
    await backend.close()


@pytest.fixture
def no_aws_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An environment with no credentials and no Region anywhere boto3 looks."""
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


async def test_missing_credentials_say_how_to_give_them(moto_url: str, no_aws_configuration: None) -> None:
    backend = AwsBackend.connect(AwsOptions(region=REGION, endpoint_url=moto_url, log_groups=(TRAIL_GROUP,)))
    with pytest.raises(BackendError) as caught:
        await backend.log_groups()
    assert str(caught.value) == NO_CREDENTIALS
    assert NO_CREDENTIALS.startswith("no AWS credentials found (")


def test_an_unknown_profile_is_one_line(no_aws_configuration: None) -> None:
    with pytest.raises(BackendError, match=r"^The config profile \(nobody\) could not be found$"):
        AwsBackend.connect(AwsOptions(profile="nobody", region=REGION))


def test_no_region_says_how_to_give_one(no_aws_configuration: None) -> None:
    with pytest.raises(BackendError, match=r"^no AWS Region \(pass --region"):
        AwsBackend.connect(AwsOptions())
