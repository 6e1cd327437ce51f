"""Every CLI test gets an empty user packs folder of its own, so a developer's own packs never leak in."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def user_packs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "user-packs"
    monkeypatch.setenv("TRAILTUI_PACKS_DIR", str(folder))
    return folder
