"""Check the paths a user gives before any work starts, and say what is wrong in words.

Every command that reads or writes a file the user named (``lenet-train
--out``, ``--json``, ``--data``, a model to load, ``lenet-desktop
recognize``'s files) asks here first, so an unwritable folder or a path
through a file is reported at once, not after a training run, and never as a
raw ``[Errno 20]``.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path


class PathError(ValueError):
    """A path the user gave cannot be used; the message says why, in words."""


def _first_file_on_the_way(path: Path) -> Path | None:
    """The first ancestor of ``path`` that exists but is not a folder, if any."""
    for ancestor in reversed(path.parents):
        try:
            mode = ancestor.stat().st_mode
        except OSError:
            return None
        if not stat.S_ISDIR(mode):
            return ancestor
    return None


def os_error_words(path: str | os.PathLike | None, exc: OSError) -> str:
    """What an ``OSError`` about ``path`` means, as a sentence without an errno."""
    path = Path(path if path is not None else (exc.filename or "the file"))
    return _os_error_words(path, exc)


def _os_error_words(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return f"{path} is a symbolic link that leads back to itself (a symlink loop)"
    if exc.errno == errno.ENOTDIR:
        blocker = _first_file_on_the_way(path)
        where = f"{blocker}, which is a file" if blocker else "a file"
        return f"{path} goes through {where}, not a folder"
    if exc.errno == errno.ENOENT:
        if path.is_symlink():
            return f"{path} is a symbolic link to {os.readlink(path)}, which does not exist"
        return f"{path} does not exist"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"{path} cannot be opened: permission denied"
    if exc.errno == errno.ENAMETOOLONG:
        return f"the name {path} is too long"
    if exc.errno == errno.EROFS:
        return f"{path} is on a read-only file system"
    words = exc.strerror or type(exc).__name__
    return f"{path}: {words[:1].lower()}{words[1:]}"


def input_file_problem(path: str | os.PathLike, what: str = "file") -> str | None:
    """Why ``path`` cannot be read as a ``what`` (a sentence), or ``None`` when it can."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return _os_error_words(path, exc)
    if stat.S_ISDIR(mode):
        return f"{path} is a folder, not a {what}"
    if not stat.S_ISREG(mode):
        return f"{path} is not a regular file"
    try:
        with open(path, "rb"):
            pass
    except OSError as exc:
        return _os_error_words(path, exc)
    return None


def output_file_problem(path: str | os.PathLike, what: str = "file") -> str | None:
    """Why a ``what`` cannot be written at ``path`` (a sentence), or ``None`` when it can.

    The file may not exist yet, nor its folders (they are created when it is
    written); the nearest folder that exists must take a new file, which is
    tried for real (so read-only file systems and root-owned folders count).
    """
    path = Path(path)
    if path.is_symlink() or path.exists():
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            return _os_error_words(path, exc)
        if stat.S_ISDIR(mode):
            return f"{path} is a folder; give a file name for the {what}"
    blocker = _first_file_on_the_way(path.absolute())
    if blocker is not None:
        return f"{path} goes through {blocker}, which is a file, not a folder"
    folder = path.absolute().parent
    while not folder.exists():
        folder = folder.parent
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM, errno.ENOENT):
            return f"the folder {folder} cannot be written (permission denied)"
        if exc.errno == errno.EROFS:
            return f"the folder {folder} is on a read-only file system"
        return f"the folder {folder} cannot be written: {exc.strerror or exc}"
    return None


def output_folder_problem(path: str | os.PathLike, what: str = "folder") -> str | None:
    """Why a ``what`` folder (made when missing) cannot be written at ``path``, or ``None``."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        return f"{path} is a file, not a folder for the {what}"
    if path.is_dir():
        return output_file_problem(path / ".lenet-write-check", what)
    return output_file_problem(path, what)


def check_input_file(path: str | os.PathLike, what: str = "file") -> Path:
    """``path`` when it can be read, else raise :class:`PathError` saying why."""
    problem = input_file_problem(path, what)
    if problem is not None:
        raise PathError(problem)
    return Path(path)


def check_output_file(path: str | os.PathLike, what: str = "file") -> Path:
    """``path`` when a file can be written there, else raise :class:`PathError`."""
    problem = output_file_problem(path, what)
    if problem is not None:
        raise PathError(problem)
    return Path(path)


def check_output_folder(path: str | os.PathLike, what: str = "folder") -> Path:
    """``path`` when a folder can be written (or made) there, else raise :class:`PathError`."""
    problem = output_folder_problem(path, what)
    if problem is not None:
        raise PathError(problem)
    return Path(path)
