"""Running the CLI's `--live` commands in the test process against moto's server, with a Stubber answering
only the operations moto lacks (GetInsightRuleReport, DescribeAlarmHistory, TestMetricFilter, ...)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from botocore.stub import Stubber

from trailtui.backends.aws import AwsBackend
from trailtui.backends.aws_session import AwsOptions, open_clients

from .conftest import FAST_RETRIES, FAST_TAIL, REGION


class PartialStubber(Stubber):
    """A Stubber for some operations of a client; every other call goes to the endpoint (moto)."""

    def __init__(self, client: Any, *operations: str) -> None:
        super().__init__(client)
        service = client.meta.service_model.service_id.hyphenize()
        self._events = [f"{service}.{operation}" for operation in operations]

    def activate(self) -> None:
        for event in self._events:
            self.client.meta.events.register_first(
                f"before-parameter-build.{event}", self._assert_expected_params, unique_id=f"params-{event}"
            )
            self.client.meta.events.register(
                f"before-call.{event}", self._get_response_handler, unique_id=f"call-{event}"
            )

    def deactivate(self) -> None:
        for event in self._events:
            self.client.meta.events.unregister(f"before-parameter-build.{event}", unique_id=f"params-{event}")
            self.client.meta.events.unregister(f"before-call.{event}", unique_id=f"call-{event}")


class Account:
    """The clients every `--live` command of a test gets (AwsBackend.connect patched), and what it did."""

    def __init__(self, moto_url: str) -> None:
        self.moto_url = moto_url
        self.clients = open_clients(AwsOptions(region=REGION, endpoint_url=moto_url))
        self.backends: list[AwsBackend] = []
        self.closed = 0

    def connect(self, options: AwsOptions, *, read_only: bool = True) -> AwsBackend:
        backend = AwsBackend(
            self.clients,
            options.log_groups,
            read_only=read_only,
            policy=FAST_RETRIES,
            tail_settings=FAST_TAIL,
        )
        close = backend.close

        async def counted_close() -> None:
            self.closed += 1
            await close()

        setattr(backend, "close", counted_close)  # noqa: B010 - a method replaced on one instance
        self.backends.append(backend)
        return backend

    def live(self, *arguments: str) -> list[str]:
        """`--live` with this account's endpoint and Region, then `arguments`."""
        return ["--live", "--endpoint-url", self.moto_url, "--region", REGION, *arguments]

    def captured(self, client: Any, operation: str) -> list[dict[str, Any]]:
        """The parameters of every `operation` call the client makes from now on."""
        calls: list[dict[str, Any]] = []
        service = client.meta.service_model.service_id.hyphenize()

        def capture(params: dict[str, Any], **_: Any) -> None:
            calls.append(dict(params))

        client.meta.events.register(f"provide-client-params.{service}.{operation}", capture)
        return calls


def patched_account(moto_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Account:
    """The moto account behind every AwsBackend the CLI connects; user packs isolated in tmp_path.
    (Each test module's `account` fixture returns it.)"""
    monkeypatch.setenv("TRAILTUI_PACKS_DIR", str(tmp_path / "user-packs"))
    created = Account(moto_url)
    monkeypatch.setattr(AwsBackend, "connect", created.connect)
    return created


def write_json(path: Path, body: dict[str, Any]) -> str:
    path.write_bytes(orjson.dumps(body))
    return str(path)


def err_lines(text: str) -> list[str]:
    return text.splitlines()
