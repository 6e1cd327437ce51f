"""Every AWS call goes through one `Caller`: in a thread, with backoff on throttling, counted in `Health`.

botocore's own retries are switched off (see aws_session), so each throttling response is seen here, counted
for the status line, and retried after an exponential pause with full jitter.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass
from typing import Any

from trailtui.backends.aws_errors import is_network, is_throttling, translate


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Attempts per call and the pause before retry n: uniform in [0, min(cap, base · 2ⁿ)]."""

    attempts: int = 5
    base_s: float = 0.25
    cap_s: float = 8.0

    def pause(self, retry: int) -> float:
        return random.uniform(0.0, min(self.cap_s, self.base_s * 2**retry))


@dataclass(slots=True)
class Health:
    """What the status line shows about the account connection."""

    calls: int = 0
    throttled: int = 0
    retries: int = 0
    last_throttle: float | None = None
    """Epoch seconds of the last throttling response."""
    last_error: str | None = None
    """The last call's failure, cleared by the next call that succeeds."""
    tail: str | None = None
    """Live tail's state: `streaming`, `sampled`, `reconnecting: …`, `polling: …`."""

    def summary(self) -> str:
        """`throttled 3× (last 12:01:02Z), 3 retries`; empty when all is well."""
        parts = []
        if self.throttled and self.last_throttle is not None:
            when = time.strftime("%H:%M:%SZ", time.gmtime(self.last_throttle))
            parts.append(f"throttled {self.throttled}× (last {when}), {self.retries} retries")
        if self.tail and self.tail != "streaming":
            parts.append(f"tail {self.tail}")
        if self.last_error:
            parts.append(self.last_error)
        return "; ".join(parts)


class Caller:
    """Runs boto3 client methods off the event loop, retrying throttling and network blips."""

    def __init__(self, policy: RetryPolicy | None = None) -> None:
        self.policy = policy or RetryPolicy()
        self.health = Health()

    async def call(self, client: Any, method: str, **params: Any) -> dict[str, Any]:
        """The response without ResponseMetadata; raises BackendError (never a botocore exception)."""
        api = f"{client.meta.service_model.service_name}:{client.meta.method_to_api_mapping[method]}"
        retry = 0
        while True:
            self.health.calls += 1
            try:
                response = await asyncio.to_thread(getattr(client, method), **params)
            except Exception as error:
                if retry + 1 < self.policy.attempts and (is_throttling(error) or is_network(error)):
                    self._note_retry(error)
                    await asyncio.sleep(self.policy.pause(retry))
                    retry += 1
                    continue
                failure = translate(error, api, client.meta.endpoint_url)
                self.health.last_error = str(failure)
                raise failure from error
            self.health.last_error = None
            response.pop("ResponseMetadata", None)
            return dict(response)

    def _note_retry(self, error: Exception) -> None:
        self.health.retries += 1
        if is_throttling(error):
            self.health.throttled += 1
            self.health.last_throttle = time.time()
