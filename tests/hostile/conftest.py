"""Hostile-input fixtures: the adversarial trail (written once per session) and a real terminal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from .adversarial import PAYLOADS, AdversarialTrail, write_adversarial_trail
from .terminal import Tmux


@pytest.fixture(scope="session")
def adversarial(tmp_path_factory: pytest.TempPathFactory) -> AdversarialTrail:
    return write_adversarial_trail(tmp_path_factory.mktemp("adversarial"))


@pytest.fixture(scope="session")
def hostile_packs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A user packs folder whose names, queries and broken files carry the payloads."""
    folder = tmp_path_factory.mktemp("hostile-packs")
    queries = folder / "evil" / "queries"
    queries.mkdir(parents=True)
    for number, payload in enumerate(PAYLOADS.values()):
        body = {
            "name": f"query{payload}",
            "queryString": f"fields eventName | filter eventName = '{payload}'",
        }
        (queries / f"q{number}.json").write_bytes(orjson.dumps(body))
    (queries / "broken\x1b]2;pwned-title\x07.json").write_text("{not json")
    return folder


@pytest.fixture(scope="module")
def tmux() -> Iterator[Tmux]:
    server = Tmux()
    yield server
    server.close()
