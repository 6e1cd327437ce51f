"""Where the real CloudTrail corpus is: ../shared/corpus/real beside the repository."""

from __future__ import annotations

import os
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
# $TRAILTUI_REAL_CORPUS points elsewhere.
CORPUS_DIR = Path(os.environ.get("TRAILTUI_REAL_CORPUS", REPOSITORY.parent / "shared" / "corpus" / "real"))
