"""The timestamp formats alarm output uses, all UTC, from epoch milliseconds.

- `cli_timestamp`: what the AWS CLI prints for DescribeAlarms and DescribeAlarmHistory timestamps
  (`datetime.isoformat()`: `2024-07-16T13:14:00+00:00`, `2024-07-16T13:14:42.817000+00:00`).
- `payload_timestamp`: what CloudWatch writes inside the JSON it generates (StateReasonData, HistoryData,
  EventBridge state): `2024-07-16T13:14:42.817+0000`.
- `event_time`: an EventBridge envelope's `time`: `2024-07-16T13:14:42Z`.
- `reason_timestamp`: a datapoint's time inside a state reason: `16/07/24 13:14:00`.
"""

from datetime import UTC, datetime, timedelta

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def utc_datetime(epoch_ms: int) -> datetime:
    return _EPOCH + timedelta(milliseconds=epoch_ms)


def cli_timestamp(epoch_ms: int) -> str:
    return utc_datetime(epoch_ms).isoformat()


def payload_timestamp(epoch_ms: int) -> str:
    return utc_datetime(epoch_ms).strftime("%Y-%m-%dT%H:%M:%S.") + f"{epoch_ms % 1000:03d}+0000"


def event_time(epoch_ms: int) -> str:
    return utc_datetime(epoch_ms).strftime("%Y-%m-%dT%H:%M:%SZ")


def reason_timestamp(epoch_ms: int) -> str:
    return utc_datetime(epoch_ms).strftime("%d/%m/%y %H:%M:%S")
