"""Colour themes as TOML files: the built-in ones shipped beside this module, then the user's own from
`$XDG_CONFIG_HOME/trailtui/themes/*.toml`. Each file holds the fields of `textual.theme.Theme`:

```toml
name = "my-theme"
dark = true
primary = "#5fafff"
background = "#1c1c1c"
[variables]
footer-key-foreground = "#5fafff"
```
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from textual.theme import Theme

from trailtui.ui.xdg import config_dir

DEFAULT_THEME = "trailtui-dark"
COLOUR_FIELDS = ("primary", "secondary", "warning", "error", "success", "accent")
SURFACE_FIELDS = ("foreground", "background", "surface", "panel", "boost")


@dataclass
class LoadedThemes:
    themes: list[Theme] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def theme_from_document(document: dict[str, Any]) -> Theme:
    """The Theme a parsed TOML document describes; ValueError naming what is wrong."""
    name, primary = document.get("name"), document.get("primary")
    if not isinstance(name, str) or not isinstance(primary, str):
        raise ValueError("a theme needs a string `name` and a string `primary`")
    colours = {key: document[key] for key in COLOUR_FIELDS + SURFACE_FIELDS if key in document}
    variables = document.get("variables", {})
    if not all(isinstance(value, str) for value in [*colours.values(), *variables.values()]):
        raise ValueError("colours and variables must be strings")
    return Theme(name=name, dark=bool(document.get("dark", True)), variables=dict(variables), **colours)


def load_themes(user_dir: Path | None = None) -> LoadedThemes:
    """Built-in themes, then the user's; a broken user file is reported and skipped."""
    loaded = LoadedThemes()
    for resource in sorted(files("trailtui.ui").joinpath("themes").iterdir(), key=lambda item: item.name):
        if resource.name.endswith(".toml"):
            loaded.themes.append(theme_from_document(tomllib.loads(resource.read_text(encoding="utf-8"))))
    folder = user_dir or config_dir() / "themes"
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
        try:
            loaded.themes.append(theme_from_document(tomllib.loads(path.read_text(encoding="utf-8"))))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError, TypeError) as error:
            loaded.problems.append(f"{path}: theme not loaded ({error})")
    return loaded
