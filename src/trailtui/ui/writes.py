"""Nothing in an AWS account is created, changed or deleted without the user's say-so.

Before each Put call on a live backend that is read-only (no `--yes`), `confirm_write` shows a
ConfirmScreen naming the API and what it writes; only when the user confirms does the caller run the
write, letting exactly that one call through (`permit_write`, right before the call). Local files and
`--yes` need no confirmation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.app import App

from trailtui.ui.live_account import live_account
from trailtui.ui.safe import event_plain


@dataclass(frozen=True, slots=True)
class PlannedWrite:
    """One Put call: its API (`PutInsightRule`), what it writes (`Contributor Insights rule`) and the name."""

    api: str
    what: str
    name: str

    def summary(self) -> str:
        """`PutInsightRule: Contributor Insights rule 'name'`, escaped for display."""
        return f"{self.api}: {self.what} {event_plain(repr(self.name))}"


def needs_confirmation(backend: object) -> bool:
    """True for a live backend that refuses writes without the user's confirmation."""
    account = live_account(backend)
    return account is not None and account.read_only


def confirm_write(
    app: App[object], backend: object, write: PlannedWrite, proceed: Callable[[bool], object]
) -> None:
    """Call `proceed(confirmed)` at once where no confirmation is needed (confirmed False: nothing to
    permit), after the user confirms otherwise (confirmed True); a cancel writes nothing and says so."""
    if not needs_confirmation(backend):
        proceed(False)
        return
    from trailtui.ui.screens.confirm import ConfirmScreen

    where = str(getattr(backend, "description", "the account"))

    def answered(confirmed: bool | None) -> None:
        if confirmed:
            proceed(True)
        else:
            app.notify(f"Nothing written ({write.summary()} cancelled)", markup=False)

    app.push_screen(ConfirmScreen(write, where), answered)


def permit_write(backend: object, write: PlannedWrite, confirmed: bool) -> None:
    """Right before the Put call the user confirmed: let that one call through."""
    account = live_account(backend)
    if confirmed and account is not None:
        account.allow_write(write.api)
