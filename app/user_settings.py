"""Per-person preferences (annotator name, view options), kept outside any project file.

A project database travels between analysts; who is annotating does not travel with it.
Stored as JSON in the platform's config folder (appdirs), written atomically.
"""

from __future__ import annotations

import getpass
import json
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import appdirs

APP_NAME = "Loupe"


def default_config_path() -> Path:
    return Path(appdirs.user_config_dir(APP_NAME)) / "settings.json"


def default_db_path() -> Path:
    return Path(appdirs.user_data_dir(APP_NAME)) / "loupe.db"


def os_user_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "analyst"


@dataclass(frozen=True, slots=True)
class UserSettings:
    annotator: str = ""
    snap_to_words: bool = True

    @classmethod
    def load(cls, path: Path) -> UserSettings:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        known = (
            {k: v for k, v in data.items() if k in cls.__slots__} if isinstance(data, dict) else {}
        )
        try:
            return cls(**known)
        except TypeError:
            return cls()

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
        os.replace(tmp, path)

    def with_(self, **changes) -> UserSettings:
        return replace(self, **changes)
