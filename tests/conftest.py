"""Fixtures every test folder shares: the real corpus (../shared/corpus/real beside the repository), and
moto's server with the corpus in its log groups (tests/moto_account.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from moto_account import corpus_groups, moto_clients, moto_url
from real_corpus import CORPUS_DIR
from trailtui.events.model import Event
from trailtui.events.readers import read_paths

__all__ = ["corpus_groups", "moto_clients", "moto_url"]
"""moto's server and the corpus in its log groups, for every folder that talks to an account."""


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
