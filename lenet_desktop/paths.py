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


class DataFolderError(OSError):
    """A per-user folder that cannot be used; the message says why, in words."""


def user_data_path() -> Path:
    """The user's data folder (models, samples), **not** created here.

    ``platformdirs.user_data_dir("lenet-desktop", appauthor=False)``: on Linux
    ``$XDG_DATA_HOME/lenet-desktop`` when ``XDG_DATA_HOME`` is set, else
    ``~/.local/share/lenet-desktop``.
    """
    return Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False))


def models_path() -> Path:
    """Folder of the models the user trained (``<user data>/models``), not created here."""
    return user_data_path() / "models"


def samples_path() -> Path:
    """Folder of the user's handwriting samples (``<user data>/samples``), not created here."""
    return user_data_path() / "samples"


def folder_problem(folder: str | os.PathLike, what: str = "The folder") -> str | None:
    """Why ``folder`` cannot be used (or made) for writing, in words; ``None`` when it can.

    Walks up from ``folder`` to the first path that exists: a file (or a broken
    link) there means the folder cannot exist; a folder that cannot be written
    means nothing can be saved in it. Nothing is created.

    Parameters
    ----------
    folder : path-like
        The folder wanted.
    what : str
        How to name it in the message, e.g. ``"The samples folder"``.

    Returns
    -------
    str or None
    """
    folder = Path(folder)
    for path in (folder, *folder.parents):
        if path.is_symlink() and not path.exists():
            return f"{what} {folder} cannot be used: {path} is a broken link."
        if not path.exists():
            continue
        if not path.is_dir():
            if path == folder:
                return (
                    f"{what} {folder} is a file, not a folder. "
                    "Move or rename that file, then restart the app."
                )
            return (
                f"{what} {folder} cannot be made: {path} is a file, not a folder. "
                "Move or rename that file, then restart the app."
            )
        if not os.access(path, os.W_OK | os.X_OK):
            if path == folder:
                return f"{what} {folder} is not writable: you have no permission to save there."
            return f"{what} {folder} cannot be made: {path} is not writable."
        return None
    return None


def ensure_folder(folder: str | os.PathLike, what: str = "The folder") -> Path:
    """Create ``folder`` if needed and return it.

    Raises
    ------
    DataFolderError
        With the words of :func:`folder_problem`, when it cannot be used.
    """
    folder = Path(folder)
    problem = folder_problem(folder, what)
    if problem is not None:
        raise DataFolderError(problem)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a race, or a file system that refuses
        raise DataFolderError(f"{what} {folder} could not be made: {exc.strerror or exc}") from exc
    return folder


def data_folder_problems() -> list[str]:
    """Everything wrong with the user's data folders, checked at start (nothing is created).

    Returns
    -------
    list of str
        One sentence per problem: the data folder itself, else its ``models`` and
        ``samples`` folders; empty when the app can save there.
    """
    problem = folder_problem(user_data_path(), "The data folder")
    if problem is not None:
        return [problem]
    found = [
        folder_problem(models_path(), "The models folder"),
        folder_problem(samples_path(), "The samples folder"),
    ]
    return [text for text in found if text is not None]


def user_data_dir() -> Path:
    """The user's data folder (models, samples), created on demand (see :func:`user_data_path`).

    Raises
    ------
    DataFolderError
        When it cannot be used (a file in its place, no permission).
    """
    return ensure_folder(user_data_path(), "The data folder")


def user_config_dir() -> Path:
    """The user's settings folder (not created here): ``~/.config/lenet-desktop`` on Linux.

    ``platformdirs.user_config_dir("lenet-desktop", appauthor=False)``, so
    ``XDG_CONFIG_HOME`` is honoured.
    """
    return Path(platformdirs.user_config_dir(APP_DIR_NAME, appauthor=False))


def models_dir() -> Path:
    """Folder of the user's trained models, made on demand (else :class:`DataFolderError`)."""
    return ensure_folder(models_path(), "The models folder")


def samples_dir() -> Path:
    """Folder of the user's samples, made on demand (else :class:`DataFolderError`)."""
    return ensure_folder(samples_path(), "The samples folder")
