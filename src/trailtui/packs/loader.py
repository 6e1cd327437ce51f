"""Finding and reading pack files: the built-in packs beside this module, and the user's packs folder.

A packs folder holds packs; a pack holds one folder per kind, each with one JSON file per definition:

    <packs folder>/<pack>/queries/<any>.json         {"name": ..., "queryString": ...} (a QueryDefinition)
    <packs folder>/<pack>/rules/<RuleName>.json      a Contributor Insights rule body (PutInsightRule's
                                                     RuleDefinition; the file name is the rule's name)
    <packs folder>/<pack>/metric-filters/<any>.json  a PutMetricFilter request
    <packs folder>/<pack>/alarms/<any>.json          a PutMetricAlarm request

Every file is in the shape the AWS API takes, so it can be pushed to an account unchanged
(`aws logs put-metric-filter --cli-input-json file://...`). This module only reads JSON and finds names;
whether a definition is valid is for the engines to say (see `trailtui.backends.local_definitions`).

The user's folder is `$TRAILTUI_PACKS_DIR`, else `$XDG_CONFIG_HOME/trailtui/packs`, else
`~/.config/trailtui/packs`. A user definition with the kind and name of a built-in one replaces it (as a
Put call replaces a definition of the same name); a file that cannot be used is reported in one line and
skipped, never fatal.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

BUILTIN_DIR = Path(__file__).resolve().parent
KIND_FOLDERS = {"queries": "query", "rules": "rule", "metric-filters": "metric-filter", "alarms": "alarm"}
FOLDER_OF_KIND = {kind: folder for folder, kind in KIND_FOLDERS.items()}
NAME_FIELD = {"query": "name", "metric-filter": "filterName", "alarm": "AlarmName"}
SAVED_PACK = "saved"


class PackFileError(ValueError):
    """A pack file that cannot be used; the message says why, in a few words."""


@dataclass(frozen=True, slots=True)
class PackDefinition:
    """One definition read from a pack file: its kind, name, pack and body in the AWS shape."""

    kind: str
    name: str
    pack: str
    path: Path
    body: dict[str, Any]
    builtin: bool

    @property
    def source(self) -> str:
        """`built-in`, or the user file it came from."""
        return "built-in" if self.builtin else str(self.path)


@dataclass(slots=True)
class PackContents:
    """Every usable definition (user ones replacing built-in ones of the same kind and name) and problems."""

    definitions: list[PackDefinition] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[PackDefinition]:
        return [definition for definition in self.definitions if definition.kind == kind]

    def find(self, kind: str, name: str) -> PackDefinition | None:
        return next((d for d in self.definitions if d.kind == kind and d.name == name), None)


def user_packs_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """Where the user's packs live (see the module documentation)."""
    if environ.get("TRAILTUI_PACKS_DIR"):
        return Path(environ["TRAILTUI_PACKS_DIR"])
    config_home = environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config_home) / "trailtui" / "packs"


def load_packs(user_dir: Path | None = None) -> PackContents:
    """The built-in packs, then the user's (default: `user_packs_dir()`), merged by kind and name."""
    contents = load_builtin_packs()
    builtin = {(d.kind, d.name): d for d in contents.definitions}
    user: dict[tuple[str, str], PackDefinition] = {}
    for definition in _read_folder(user_dir or user_packs_dir(), False, contents.problems):
        key = (definition.kind, definition.name)
        if key in user:
            contents.problems.append(
                f"{definition.path}: skipped: {definition.kind} {definition.name!r} "
                f"is already defined in {user[key].path}"
            )
            continue
        user[key] = definition
    contents.definitions = list({**builtin, **user}.values())
    return contents


def load_builtin_packs() -> PackContents:
    """The packs shipped with trailtui, alone."""
    contents = PackContents()
    contents.definitions = list(_read_folder(BUILTIN_DIR, True, contents.problems))
    return contents


def read_definition(path: Path, kind: str, pack: str = "", builtin: bool = False) -> PackDefinition:
    """One definition file of a known kind; PackFileError when it is not JSON or names nothing."""
    try:
        body = orjson.loads(path.read_bytes())
    except OSError as error:
        raise PackFileError(f"cannot read: {error.strerror or error}") from error
    except orjson.JSONDecodeError as error:
        raise PackFileError(f"not JSON: {error}") from error
    if not isinstance(body, dict):
        raise PackFileError("not a JSON object")
    return PackDefinition(kind, definition_name(kind, body, path), pack, path, body, builtin)


def definition_name(kind: str, body: Mapping[str, Any], path: Path) -> str:
    """The name a definition goes by: its name field, or for a rule body its file name."""
    if kind == "rule":
        return path.stem
    name = body.get(NAME_FIELD[kind])
    if not isinstance(name, str) or not name:
        raise PackFileError(f"{NAME_FIELD[kind]} must be a non-empty string")
    return name


def write_user_definition(
    kind: str, file_stem: str, body: Mapping[str, Any], user_dir: Path | None = None, *, replace: bool = True
) -> Path | None:
    """Write `body` as `<user dir>/saved/<kind folder>/<file_stem>.json`, atomically (temp file + rename).

    With `replace=False` an existing file is left alone and the answer is None.
    """
    folder = (user_dir or user_packs_dir()) / SAVED_PACK / FOLDER_OF_KIND[kind]
    return _write_atomically(folder / f"{file_stem}.json", body, replace)


def replace_file(path: Path, body: Mapping[str, Any]) -> Path:
    """Write JSON to `path` so that a reader sees the old file or the new one, never half of either."""
    written = _write_atomically(path, body, replace=True)
    assert written is not None
    return written


def _write_atomically(path: Path, body: Mapping[str, Any], replace: bool) -> Path | None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(orjson.dumps(body, option=orjson.OPT_INDENT_2) + b"\n")
        if replace:
            os.replace(temporary, path)
            return path
        try:
            os.link(temporary, path)
        except FileExistsError:
            return None
        return path
    finally:
        Path(temporary).unlink(missing_ok=True)


def _read_folder(root: Path, builtin: bool, problems: list[str]) -> Iterator[PackDefinition]:
    for path in sorted(root.rglob("*.json")) if root.is_dir() else ():
        placement = _placement(path.relative_to(root))
        if placement is None:
            problems.append(f"{path}: skipped: not in a <pack>/{{{','.join(KIND_FOLDERS)}}}/ folder")
            continue
        pack, kind = placement
        try:
            yield read_definition(path, kind, pack, builtin)
        except PackFileError as error:
            problems.append(f"{path}: skipped: {error}")


def _placement(relative: Path) -> tuple[str, str] | None:
    """(pack, kind) of a file at `<pack>/<kind folder>/<file>.json`, else None."""
    parts = relative.parts
    if len(parts) != 3 or parts[1] not in KIND_FOLDERS:
        return None
    return parts[0], KIND_FOLDERS[parts[1]]
