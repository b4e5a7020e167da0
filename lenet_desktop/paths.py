"""Where the app keeps its files: the shipped model and the user's folders (no Qt).

Every per-user folder comes from :mod:`platformdirs` under the one name
:data:`APP_DIR_NAME` (``appauthor=False``, so there is no vendor folder on
Windows); ``training.latest_report`` asks it the same way, so the study report
and the app agree without ``training`` importing the app.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

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
    """The user's data folder (models, samples), created on demand.

    ``platformdirs.user_data_dir("lenet-desktop", appauthor=False)``: on Linux
    ``$XDG_DATA_HOME/lenet-desktop`` when ``XDG_DATA_HOME`` is set, else
    ``~/.local/share/lenet-desktop``.

    Returns
    -------
    pathlib.Path
        An existing directory.
    """
    folder = Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def user_config_dir() -> Path:
    """The user's settings folder (not created here): ``~/.config/lenet-desktop`` on Linux.

    ``platformdirs.user_config_dir("lenet-desktop", appauthor=False)``, so
    ``XDG_CONFIG_HOME`` is honoured.
    """
    return Path(platformdirs.user_config_dir(APP_DIR_NAME, appauthor=False))


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
