"""Fixtures for the Logs Insights tests."""

import pytest

from trailtui.events.model import Event

from .helpers import load_corpus


@pytest.fixture(scope="session")
def corpus_events() -> list[Event]:
    """Every event of the real third-party corpus, once per session."""
    return load_corpus()
