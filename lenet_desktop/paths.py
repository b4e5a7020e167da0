"""Where the app keeps its files: the shipped model and the user's data folder (no Qt)."""

from __future__ import annotations

import os
from pathlib import Path

APP_DIR_NAME = "lenet-desktop"


def shipped_model_path() -> Path:
    """Path of the model shipped with the app, ``assets/lenet5.keras`` in the repository.

    Returns
    -------
    pathlib.Path
        The path (the file itself may be missing in a broken checkout).
    """
    # This module is lenet_desktop/paths.py, so the repository root is two levels up.
    return Path(__file__).resolve().parents[1] / "assets" / "lenet5.keras"


def user_data_dir() -> Path:
    """The user's data folder, created on demand.

    ``$XDG_DATA_HOME/lenet-desktop`` when ``XDG_DATA_HOME`` is set, else
    ``~/.local/share/lenet-desktop``.

    Returns
    -------
    pathlib.Path
        An existing directory.
    """
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    folder = Path(base) / APP_DIR_NAME
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def models_dir() -> Path:
    """Folder of the models the user trained (``<user data>/models``), created on demand."""
    folder = user_data_dir() / "models"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def samples_dir() -> Path:
    """Folder of the user's own handwriting samples (``<user data>/samples``), created on demand."""
    folder = user_data_dir() / "samples"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
