"""Settings kept between runs, in one QSettings INI file in the user's settings folder.

Values are plain Python types; :data:`_DEFAULTS` lists every key and, by its
default's type, how QSettings converts what it reads back. Tests call
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

SETTINGS_FILE = "settings.ini"
_path: Path | None = None


def set_settings_path(path: str | os.PathLike | None) -> None:
    """Store settings in ``path`` (an INI file) instead of the per-user default; ``None`` resets."""
    global _path
    _path = Path(path) if path is not None else None


def settings_path() -> Path:
    """The INI file the settings live in."""
    return Path(_qsettings().fileName())


def _qsettings() -> QSettings:
    from lenet_desktop.paths import user_config_dir

    path = _path if _path is not None else user_config_dir() / SETTINGS_FILE
    return QSettings(str(path), QSettings.Format.IniFormat)


def _read(store: QSettings, key: str, default):
    """One value, converted by QSettings to the default's type (the default when missing).

    QSettings turns text it cannot convert into the type's empty value (0 for an
    int), which the controls clamp into range.
    """
    if not store.contains(key):
        return default
    try:
        if isinstance(default, list):
            # A list of ints is stored as strings; an empty list may read back as "".
            items = store.value(key, default, type=list)
            return [int(item) for item in items if str(item).strip()]
        value = store.value(key, default, type=type(default))
    except (TypeError, ValueError):
        return default
    return default if value is None else value


def read_settings() -> dict[str, object]:
    """All settings, with defaults for the missing ones."""
    store = _qsettings()
    return {key: _read(store, key, default) for key, default in _DEFAULTS.items()}


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
