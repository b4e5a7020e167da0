"""Where the app keeps its files: the shipped model and the user's folders (no Qt).

Every per-user folder comes from :mod:`platformdirs` under the one name
:data:`APP_DIR_NAME` (``appauthor=False``, so there is no vendor folder on
Windows); ``training.latest_report`` asks it the same way, so the study report
and the app agree without ``training`` importing the app.
"""

from __future__ import annotations

import importlib.resources
import os
from pathlib import Path

import platformdirs

APP_DIR_NAME = "lenet-desktop"


ASSETS_PACKAGE = "lenet_desktop.assets"
"""The package of the shipped files: ``assets/`` in the repository (see ``setup.py``)."""


def asset_path(*parts: str) -> Path:
    """Path of a file shipped with the app, found with :mod:`importlib.resources`.

    It is ``assets/<parts>`` in a checkout or an editable install, and inside
    the installed package ``lenet_desktop/assets/`` after ``pip install .``
    (wheels install as plain files, so the path can be opened directly).
    """
    resource = importlib.resources.files(ASSETS_PACKAGE).joinpath(*parts)
    return Path(os.fspath(resource))


def shipped_model_path() -> Path:
    """Path of the model shipped with the app (``lenet5.keras``; its sidecar is beside it).

    Returns
    -------
    pathlib.Path
        The path (the file itself may be missing in a broken checkout).
    """
    return asset_path("lenet5.keras")


def sample_photo_path() -> Path:
    """Path of the sample photo shipped with the app: digits on unevenly lit paper."""
    return asset_path("samples", "digits_on_paper.jpg")


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
