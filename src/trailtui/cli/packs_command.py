"""`trailtui packs`: every saved query, rule, metric filter and alarm of the built-in and user packs.

Each definition is checked by its engine as the AWS Put call would check it; one that fails is reported
on stderr in one line (file and reason) and not listed. The user's packs folder is named on stderr too.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from trailtui.backends.local_definitions import compile_packs
from trailtui.cli import output
from trailtui.packs import load_packs, user_packs_dir
from trailtui.terminal_safe import visible


def add_packs_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "packs",
        help="list the built-in and user definitions",
        description="List the saved queries, Contributor Insights rules, metric filters and alarms of the "
        "built-in packs and of the user's packs folder ($TRAILTUI_PACKS_DIR, else "
        "$XDG_CONFIG_HOME/trailtui/packs, else ~/.config/trailtui/packs).",
    )
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.set_defaults(run=run_packs_command)


def run_packs_command(options: argparse.Namespace) -> int:
    compiled = compile_packs(load_packs())
    for problem in compiled.problems:
        print(f"trailtui: {visible(problem)}", file=sys.stderr)
    rows = [
        {"kind": d.kind, "name": d.name, "pack": d.pack, "source": d.source}
        for d in sorted(compiled.accepted, key=lambda d: (d.kind, d.name))
    ]
    if options.format == "json":
        sys.stdout.write(output.format_json(rows) + "\n")
    else:
        sys.stdout.write(output.format_table(rows))
        print(f"user packs folder: {visible(str(user_packs_dir()))}", file=sys.stderr)
    return 0
