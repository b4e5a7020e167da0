"""Settings kept between runs, in one QSettings INI file in the user's settings folder.

Values are plain Python types; :data:`_DEFAULTS` lists every key and, by its
default's type, how QSettings converts what it reads back. Tests call
:func:`set_settings_path` to keep their settings in a temporary folder.
"""

from __future__ import annotations

import logging
import os
import shutil
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
    "model_path": "",
    "last_folder_images": "",
    "last_folder_videos": "",
    "last_folder_models": "",
    "recent_files": [],
}
_LIST_ITEMS: dict[str, type] = {"splitter_sizes": int, "recent_files": str}
"""What the items of each list setting are (QSettings reads every list back as text)."""

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

    if _path is not None:
        path = _path
    else:
        path = user_config_dir() / SETTINGS_FILE
        _adopt_legacy_settings(path)
    return QSettings(str(path), QSettings.Format.IniFormat)


def _legacy_settings_file() -> Path:
    """Where earlier versions kept the settings: Qt's own per-user INI for "LeNet Desktop"."""
    legacy = QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, "LeNet Desktop", "lenet-desktop"
    )
    return Path(legacy.fileName())


def _adopt_legacy_settings(target: Path) -> None:
    """Copy an earlier version's settings to ``target`` once, so an upgrade keeps them.

    Nothing happens when ``target`` exists or there is no earlier file; a copy that
    fails leaves the defaults in place (and says so in the log) rather than stop the app.
    """
    if target.exists():
        return
    legacy = _legacy_settings_file()
    if not legacy.is_file():
        return
    partial = target.with_name(target.name + ".adopting")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(legacy, partial)
        os.replace(partial, target)
    except OSError as error:
        logging.getLogger(__name__).warning(
            "could not copy the earlier settings %s: %s", legacy, error
        )
        partial.unlink(missing_ok=True)


def _read(store: QSettings, key: str, default):
    """One value, converted by QSettings to the default's type (the default when missing).

    QSettings turns text it cannot convert into the type's empty value (0 for an
    int), which the controls clamp into range.
    """
    if not store.contains(key):
        return default
    try:
        if isinstance(default, list):
            # Lists are stored as text; an empty list may read back as "".
            items = store.value(key, default, type=list)
            kind = _LIST_ITEMS[key]
            return [kind(item) for item in items if str(item).strip()]
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
