"""botocore failures as one-line BackendErrors that name the API, never a traceback.

Kinds a caller may need to tell apart: `NotFound` (ResourceNotFound*), `ServiceError` (any other error the
service answered, with its code), `Unreachable` (the endpoint could not be reached; the next call tries
again), and plain `BackendError` for credentials, profile and region problems.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    HTTPClientError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ProfileNotFound,
    SSOError,
    TokenRetrievalError,
)
from botocore.exceptions import ConnectionError as BotoConnectionError

from trailtui.backends.base import BackendError, NotFound

THROTTLING_CODES = frozenset(
    {
        "ThrottlingException",
        "Throttling",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "RequestThrottled",
        "ServiceUnavailableException",
        "ServiceUnavailable",
        "InternalFailure",
    }
)
EXPIRED_CODES = frozenset({"ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired"})
REJECTED_CODES = frozenset(
    {
        "UnrecognizedClientException",
        "InvalidClientTokenId",
        "InvalidSignatureException",
        "SignatureDoesNotMatch",
    }
)
ACCESS_DENIED_CODES = frozenset({"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"})
NOT_FOUND_CODES = frozenset({"ResourceNotFoundException", "ResourceNotFound"})

NO_CREDENTIALS = (
    "no AWS credentials found (configure a profile and pass --profile, set AWS_PROFILE, "
    "or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)"
)
EXPIRED = "AWS credentials expired (refresh them, e.g. `aws sso login`, and try again)"


class ServiceError(BackendError):
    """An error the service answered: `code` is AWS's error code, `response` its parsed error response."""

    def __init__(self, message: str, api: str, code: str, response: dict[str, Any]) -> None:
        super().__init__(message)
        self.api = api
        self.code = code
        self.response = response


class Unreachable(BackendError):
    """The endpoint could not be reached (network loss, DNS, timeouts)."""


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def is_throttling(error: BaseException) -> bool:
    """Worth retrying after a pause: throttling and transient server-side failures."""
    return isinstance(error, ClientError) and error_code(error) in THROTTLING_CODES


def is_network(error: BaseException) -> bool:
    return isinstance(error, BotoConnectionError | HTTPClientError)


def translate(error: Exception, api: str, endpoint: str) -> BackendError:
    """The BackendError for a botocore failure of `api` (`logs:StartQuery`) against `endpoint`."""
    if isinstance(error, BackendError):
        return error
    if isinstance(error, ClientError):
        return _client_error(error, api)
    if is_network(error):
        return Unreachable(f"cannot reach {endpoint} ({api}): {error}")
    if isinstance(error, NoCredentialsError | PartialCredentialsError):
        return BackendError(NO_CREDENTIALS)
    if isinstance(error, SSOError | TokenRetrievalError):
        return BackendError(EXPIRED)
    if isinstance(error, ProfileNotFound | NoRegionError | BotoCoreError):
        return BackendError(str(error))
    return BackendError(f"{api} failed: {type(error).__name__}: {error}")


def _client_error(error: ClientError, api: str) -> BackendError:
    code = error_code(error)
    message = str(error.response.get("Error", {}).get("Message", "")).strip() or code
    if code in EXPIRED_CODES:
        return BackendError(EXPIRED)
    if code in REJECTED_CODES:
        return BackendError(f"AWS credentials rejected by {api}: {message}")
    if code in NOT_FOUND_CODES:
        return NotFound(f"{api}: {message}")
    if code in ACCESS_DENIED_CODES:
        return ServiceError(f"access denied: {api} ({message})", api, code, error.response)
    if code.isdigit():
        return ServiceError(f"{api} failed: HTTP {code} from the endpoint", api, code, error.response)
    return ServiceError(f"{api} failed: {code}: {message}", api, code, error.response)
