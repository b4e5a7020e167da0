"""File dialogs that start where the user last looked, one remembered folder per kind of file.

Kinds are ``"images"`` (photos, saved drawings), ``"videos"`` and ``"models"``;
each one's folder is kept in the settings (``last_folder_<kind>``), so a dialog
opens where the last file of that kind came from, not in the folder the app
happened to be started from. The first time, dialogs open in the home folder.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from lenet_desktop.gui import settings

KINDS = ("images", "videos", "models")


def _key(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown kind of file: {kind!r} (expected one of {KINDS})")
    return f"last_folder_{kind}"


def last_folder(kind: str) -> Path:
    """The folder the last file of ``kind`` was opened from or saved to (home at first)."""
    saved = str(settings.read_settings()[_key(kind)])
    if saved and Path(saved).is_dir():
        return Path(saved)
    return Path.home()


def remember_folder(kind: str, path: str | Path) -> None:
    """Remember the folder of ``path`` (a file of ``kind`` just opened or saved)."""
    settings.write_settings({_key(kind): str(Path(path).resolve().parent)})


def open_file(parent: QWidget | None, kind: str, title: str, name_filter: str) -> str:
    """Ask for a file of ``kind`` to open, starting in its last folder; ``""`` when cancelled."""
    path, _ = QFileDialog.getOpenFileName(parent, title, str(last_folder(kind)), name_filter)
    if path:
        remember_folder(kind, path)
    return path


def save_file(
    parent: QWidget | None, kind: str, title: str, file_name: str, name_filter: str
) -> str:
    """Ask where to save ``file_name``, offered in the last folder of ``kind`` (``""``: cancel)."""
    suggested = str(last_folder(kind) / file_name)
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, name_filter)
    if path:
        remember_folder(kind, path)
    return path
