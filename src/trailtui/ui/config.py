"""The user's settings from `$XDG_CONFIG_HOME/trailtui/config.toml`.

```toml
theme = "trailtui-light"

[keymap]
"query.run" = "f5,ctrl+r"
"event.copy_json" = "y"
```
A file that cannot be read leaves the defaults in place and is reported; it is the user's own file, so it
is never moved.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from trailtui.ui.xdg import config_dir

CONFIG_FILE = "config.toml"


@dataclass
class Config:
    """Settings, and one line for each problem found reading them."""

    keymap: dict[str, str] = field(default_factory=dict)
    theme: str | None = None
    problems: list[str] = field(default_factory=list)


def config_path() -> Path:
    return config_dir() / CONFIG_FILE


def load_config(path: Path | None = None) -> Config:
    """The settings in `path` (default: the XDG config file); defaults when it does not exist."""
    path = path or config_path()
    config = Config()
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return config
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        config.problems.append(f"{path}: not read ({error}); using the defaults")
        return config
    keymap = document.get("keymap", {})
    if isinstance(keymap, dict):
        for binding_id, keys in keymap.items():
            if isinstance(keys, str) and keys.strip():
                config.keymap[binding_id] = keys
            else:
                config.problems.append(f"{path}: [keymap] {binding_id} must be a string of keys")
    else:
        config.problems.append(f"{path}: [keymap] must be a table")
    theme = document.get("theme")
    if isinstance(theme, str):
        config.theme = theme
    elif theme is not None:
        config.problems.append(f"{path}: theme must be a string")
    return config
