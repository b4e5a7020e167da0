"""Where the latest ``lenet-train study`` report is, so the app can open it.

The study notes the absolute path of its ``index.html`` in a small text file in
LeNet Desktop's per-user data folder; the app reads it back. The folder is
``platformdirs.user_data_dir("lenet-desktop", appauthor=False)``, the call
``lenet_desktop.paths`` makes too (``training`` never imports
``lenet_desktop``): ``$XDG_DATA_HOME/lenet-desktop`` or
``~/.local/share/lenet-desktop`` on Linux, ``%LOCALAPPDATA%\\lenet-desktop`` on
Windows, ``~/Library/Application Support/lenet-desktop`` on macOS.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from training.atomic import write_atomic

APP_NAME = "lenet-desktop"
LATEST_FILE = "latest-study.txt"


def data_home() -> Path:
    """LeNet Desktop's per-user data folder (see the module docstring); not created here."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def record_latest_report(index: str | os.PathLike) -> Path:
    """Remember ``index`` as the latest study report; returns the file it is noted in."""
    text = str(Path(index).resolve()) + "\n"
    return write_atomic(
        data_home() / LATEST_FILE, lambda tmp: tmp.write_text(text, encoding="utf-8")
    )


def latest_report_path() -> Path | None:
    """The report of the most recent ``lenet-train study``, or None if there is none.

    Returns
    -------
    pathlib.Path or None
        The absolute path of its ``index.html`` when it still exists.
    """
    try:
        text = (data_home() / LATEST_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    path = Path(text) if text else None
    return path if path is not None and path.is_file() else None
