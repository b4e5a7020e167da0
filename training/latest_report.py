"""Where the latest ``lenet-train study`` report is, so the app can open it.

The study notes the absolute path of its ``index.html`` in a small text file in
the per-user data folder; the app reads it back. The folder is the same as
:func:`lenet_desktop.paths.user_data_dir`, worked out here again because
``training`` never imports ``lenet_desktop``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from training.atomic import write_atomic

LATEST_FILE = "latest-study.txt"


def data_home() -> Path:
    """The per-user folder of LeNet Desktop's data (XDG on Linux, LOCALAPPDATA on Windows)."""
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "lenet-desktop"
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(
        os.path.expanduser("~"), ".local", "share"
    )
    return Path(base) / "lenet-desktop"


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
