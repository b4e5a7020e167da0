"""Settings kept between runs, in one QSettings INI file.

Values are plain Python types; :data:`_DEFAULTS` lists every key. Tests call
:func:`set_settings_path` to keep their settings in a temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

_DEFAULTS: dict[str, object] = {
    "geometry": QByteArray(),
    "window_state": QByteArray(),
    "splitter_sizes": [],
    "pen_width": 18,
    "last_camera": "0",
    "show_steps": False,
    "mode": 0,
}

_path: Path | None = None


def set_settings_path(path: str | os.PathLike | None) -> None:
    """Store settings in ``path`` (an INI file) instead of the per-user default; ``None`` resets."""
    global _path
    _path = Path(path) if path is not None else None


def settings_path() -> Path:
    """The INI file the settings live in."""
    return Path(_qsettings().fileName())


def _qsettings() -> QSettings:
    if _path is not None:
        return QSettings(str(_path), QSettings.Format.IniFormat)
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, "LeNet Desktop", "lenet-desktop"
    )


def _coerce(value, default):
    """QSettings INI values come back as strings or lists of strings; restore the default's type."""
    if value is None:
        return default
    try:
        if isinstance(default, bool):
            return value if isinstance(value, bool) else str(value).lower() in ("true", "1")
        if isinstance(default, int):
            return int(value)
        if isinstance(default, list):
            items = value if isinstance(value, list) else [value]
            return [int(item) for item in items if str(item).strip()]
        if isinstance(default, QByteArray):
            return value if isinstance(value, QByteArray) else default
        return str(value)
    except (TypeError, ValueError):
        return default


def read_settings() -> dict[str, object]:
    """All settings, with defaults for the missing or unreadable ones."""
    store = _qsettings()
    return {key: _coerce(store.value(key), default) for key, default in _DEFAULTS.items()}


def write_settings(values: dict[str, object]) -> None:
    """Store ``values`` (keys from :data:`_DEFAULTS`) and flush them to disk.

    QSettings writes the INI file through a temporary file and renames it into place.
    """
    unknown = set(values) - set(_DEFAULTS)
    if unknown:
        raise ValueError(f"unknown settings: {sorted(unknown)}")
    store = _qsettings()
    for key, value in values.items():
        store.setValue(key, value)
    store.sync()
