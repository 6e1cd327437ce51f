"""Fixtures every test folder shares: the real corpus (../shared/corpus/real beside the repository)."""

from __future__ import annotations

from pathlib import Path

import pytest

from real_corpus import CORPUS_DIR
from trailtui.events.model import Event
from trailtui.events.readers import read_paths


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The folder of real CloudTrail events (NDJSON files) the project tests against."""
    assert CORPUS_DIR.is_dir(), f"the real corpus is missing: {CORPUS_DIR}"
    return CORPUS_DIR


@pytest.fixture(scope="session")
def corpus_events(corpus_dir: Path) -> list[Event]:
    """Every event of the real corpus, read by trailtui's own readers."""
    paths = sorted(str(path) for path in corpus_dir.glob("*.ndjson"))
    return [event for reading in read_paths(paths) for event in reading.events]
