"""Per-person preferences (annotator name, view options), kept outside any project file.

A project database travels between analysts; who is annotating does not travel with it.
Stored as JSON in the platform's config folder (appdirs), written atomically.
"""

from __future__ import annotations

import getpass
import json
import os
from dataclasses import asdict, dataclass, fields, replace
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
    article_font_family: str = ""  # "" and 0: the view's own default
    article_font_size: float = 0.0
    appearance: str = "system"  # APPEARANCES
    # The window as it was left (widgets/session_state.py): paths and Qt's opaque layout blobs
    # (base64), never anything typed into a project.
    last_project: str = ""
    recent_projects: tuple[str, ...] = ()
    window_geometry: str = ""
    window_state: str = ""

    @classmethod
    def load(cls, path: Path) -> UserSettings:
        """A missing, corrupt, older or newer file gives defaults for what it lacks or garbles:
        a settings file never stops Loupe from starting."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict):
            return cls()
        known = {}
        for field in fields(cls):
            value = _valid(field.name, data.get(field.name), field.default)
            if value is not None:
                known[field.name] = value
        return cls(**known)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
        os.replace(tmp, path)

    def with_(self, **changes) -> UserSettings:
        return replace(self, **changes)


APPEARANCES = ("system", "light", "dark")
MAX_RECENT = 9


def _valid(name: str, value, default):
    """`value` in the default's type, or None when absent or of another type."""
    if value is None:
        return None
    if isinstance(default, bool):
        return value if isinstance(value, bool) else None
    if isinstance(default, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return float(value) if ok and 0 <= value < 1000 else None
    if isinstance(default, tuple):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return tuple(value[:MAX_RECENT]) if ok else None
    if name == "appearance":
        return value if value in APPEARANCES else None
    return value if isinstance(value, str) else None


def with_recent(settings: UserSettings, project: str) -> UserSettings:
    """`project` becomes the last one opened and heads the recent list (once, at most nine)."""
    rest = [p for p in settings.recent_projects if p != project]
    return settings.with_(last_project=project, recent_projects=(project, *rest)[:MAX_RECENT])
