"""The definition a command runs: a JSON file in the AWS shape, or `--pack NAME` from the packs.

The first positional argument is the definition file unless `--pack` names one; the rest are input paths.
A rule file is a rule body named after its file (as `aws cloudwatch put-insight-rule --rule-name NAME
--rule-definition file://NAME.json` would name it); the other kinds carry their own name.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trailtui.packs import PackContents, PackDefinition, PackFileError, load_packs, read_definition
from trailtui.terminal_safe import visible

KIND_LABELS = {"rule": "rule", "metric-filter": "metric filter", "alarm": "alarm"}


class DefinitionError(Exception):
    """A definition that cannot be used: one line on stderr, exit code 2."""


def add_pack_argument(parser: argparse.ArgumentParser, kind: str, option: str = "--pack") -> None:
    parser.add_argument(
        option,
        metavar="NAME",
        help=f"the {KIND_LABELS[kind]} NAME from the built-in or user packs, in place of a file "
        "(see `trailtui packs`)",
    )


def definition_and_paths(
    options: argparse.Namespace, kind: str, pack_name: str | None
) -> tuple[PackDefinition, list[str]]:
    """The definition named by `--pack` or by the first positional, and the input paths that remain."""
    positionals = list(options.paths)
    if pack_name:
        return pack_definition(kind, pack_name), positionals
    if not positionals:
        raise DefinitionError(f"no {KIND_LABELS[kind]} given (pass a JSON file or --pack NAME)")
    return definition_file(positionals[0], kind), positionals[1:]


def definition_file(path: str, kind: str) -> PackDefinition:
    try:
        return read_definition(Path(path), kind)
    except PackFileError as error:
        raise DefinitionError(f"{KIND_LABELS[kind]} {path}: {error}") from error


def pack_definition(kind: str, name: str, contents: PackContents | None = None) -> PackDefinition:
    """The pack definition of that kind and name; the packs' problems are printed on stderr."""
    contents = contents or loaded_packs()
    found = contents.find(kind, name)
    if found is None:
        raise DefinitionError(f"no {KIND_LABELS[kind]} named {name!r} in the packs (see `trailtui packs`)")
    return found


def loaded_packs() -> PackContents:
    contents = load_packs()
    for problem in contents.problems:
        print(f"trailtui: {visible(problem)}", file=sys.stderr)
    return contents
