"""The dependency direction ui → backends → engines → events, checked on the source and at import time."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "trailtui"
ENGINES = ("events", "insights", "contributors", "metrics", "replay")
LAYER_OF = {
    "events": 0,
    "insights": 1,
    "contributors": 1,
    "metrics": 1,
    "replay": 1,
    "packs": 1,
    "backends": 2,
    "ui": 3,
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def layer_of(path: Path) -> str | None:
    relative = path.relative_to(PACKAGE)
    top = relative.parts[0].removesuffix(".py")
    return top if top in LAYER_OF else None


def source_files() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if layer_of(path) is not None)


@pytest.mark.parametrize("path", source_files(), ids=lambda path: str(path.relative_to(PACKAGE)))
def test_imports_point_down_the_layers(path: Path) -> None:
    own_layer = LAYER_OF[layer_of(path) or ""]
    for module in imported_modules(path):
        parts = module.split(".")
        if parts[0] != "trailtui" or len(parts) < 2 or parts[1] not in LAYER_OF:
            continue
        if parts[1] == layer_of(path):
            continue
        assert LAYER_OF[parts[1]] < own_layer, f"{path.name} imports {module}, which is not below it"


@pytest.mark.parametrize("path", [p for p in source_files() if layer_of(p) in ENGINES], ids=str)
def test_engines_name_neither_textual_nor_boto3(path: Path) -> None:
    forbidden = {"textual", "boto3", "botocore", "rich"}
    assert not {module.split(".")[0] for module in imported_modules(path)} & forbidden


def test_importing_every_engine_loads_neither_textual_nor_boto3() -> None:
    modules = sorted(
        "trailtui." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__")
        for path in source_files()
        if layer_of(path) in ENGINES
    )
    program = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'boto3', 'botocore', 'rich'}))\n"
    )
    completed = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == "[]"


def test_the_cli_loads_neither_boto3_nor_textual_until_a_command_needs_them() -> None:
    program = "import sys, trailtui.cli\nprint(sorted({'boto3', 'botocore', 'textual'} & set(sys.modules)))\n"
    completed = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == "[]"
