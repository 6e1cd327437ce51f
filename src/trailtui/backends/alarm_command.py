"""`--on-alarm 'COMMAND'`: a shell command run whenever an alarm enters ALARM, its JSON on stdin.

The JSON is the EventBridge "CloudWatch Alarm State Change" event for the transition (`StateChange.to_json`),
one line. Commands run one after another in a worker thread of their own, so a slow command never holds
up the replay; `close()` waits for the ones still queued. A command's output goes to trailtui's stderr,
never into the output a script reads, and a failure is reported in one line.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from trailtui.metrics.alarms import AlarmState, StateChange

STDERR_FD = 2


def _print_problem(line: str) -> None:
    print(f"trailtui: {line}", file=sys.stderr)


class AlarmCommand:
    """An alarm observer that runs `command` through the shell for every transition into ALARM."""

    def __init__(self, command: str, report_problem: Callable[[str], None] = _print_problem) -> None:
        self.command = command
        self._report_problem = report_problem
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="on-alarm")

    def __call__(self, change: StateChange) -> None:
        if change.new_state is AlarmState.ALARM:
            self._worker.submit(self._run, change.alarm_name, change.to_json())

    def close(self) -> None:
        """Wait until every command queued so far has finished."""
        self._worker.shutdown(wait=True)

    def _run(self, alarm_name: str, payload: str) -> None:
        try:
            completed = subprocess.run(
                self.command, shell=True, input=(payload + "\n").encode(), stdout=STDERR_FD, check=False
            )
        except OSError as error:
            self._report_problem(f"--on-alarm command for {alarm_name} could not run: {error}")
            return
        if completed.returncode != 0:
            self._report_problem(f"--on-alarm command for {alarm_name} exited with {completed.returncode}")
