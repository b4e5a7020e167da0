"""Atomic file writes: write to a temporary file beside the target, then rename.

Temporary files are hidden (``.<name>.<pid>.<token><suffix>``) and live in the
target's folder so the rename is atomic. A process killed mid-write leaves its
temporary file behind; the next write to the same target removes it
(:func:`clean_stale_temps`), so they never pile up.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

UNNAMED_TEMP_AGE_S = 60.0
"""A temporary file whose name holds no process id is stale once this old."""


def temp_path(target: str | os.PathLike, suffix: str = "") -> Path:
    """A fresh hidden temporary name beside ``target`` that names this process."""
    target = Path(target)
    token = secrets.token_hex(4)
    return target.parent / f".{target.name}.{os.getpid()}.{token}{suffix or '.tmp'}"


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # it exists but belongs to someone else
    return True


def clean_stale_temps(target: str | os.PathLike) -> list[Path]:
    """Remove temporary files that earlier, killed writes to ``target`` left behind.

    A temporary file is stale when the process named in it is gone, or, for
    the names earlier versions used (no process id), when it is older than
    :data:`UNNAMED_TEMP_AGE_S`. Files of writes still running, and any file
    whose name is not one of these two patterns, are kept.

    Returns
    -------
    list of pathlib.Path
        The files removed.
    """
    target = Path(target)
    prefix = f".{target.name}."
    ours = re.compile(re.escape(prefix) + r"(\d+)\.[0-9a-f]{8}\.\w+")
    # What earlier versions left (``tempfile.mkstemp``: eight random characters).
    older = re.compile(re.escape(prefix) + r"[a-z0-9_]{8}\.(tmp|keras|json)")
    removed = []
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(prefix):
            continue
        match = ours.fullmatch(entry.name)
        try:
            if match is not None:
                stale = not _pid_alive(int(match.group(1)))
            elif older.fullmatch(entry.name):
                stale = time.time() - entry.lstat().st_mtime > UNNAMED_TEMP_AGE_S
            else:
                continue  # not a temporary file of ours: never touched
            if stale and entry.is_file():
                entry.unlink()
                removed.append(entry)
        except OSError:
            continue
    return removed


@contextmanager
def staged(target: str | os.PathLike, suffix: str = "") -> Iterator[Path]:
    """A temporary path beside ``target``, removed on exit unless it was committed.

    Stale temporary files of ``target`` are cleaned first, and the folder is
    created when missing.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_temps(target)
    tmp = temp_path(target, suffix)
    try:
        yield tmp
    finally:
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass


def commit(tmp: Path, target: str | os.PathLike) -> Path:
    """Flush ``tmp`` to disk and rename it onto ``target`` (then flush the folder)."""
    target = Path(target)
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, target)
    _fsync_folder(target.parent)
    return target


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(path: str | os.PathLike, writer: Callable[[Path], None], suffix: str = "") -> Path:
    """Call ``writer(tmp_path)`` and rename the result onto ``path``.

    If ``writer`` raises, the temporary file is removed and ``path`` is left
    as it was.

    Parameters
    ----------
    path : path-like
        Final location.
    writer : callable
        Receives the temporary path and must create the file there.
    suffix : str
        Suffix for the temporary name (Keras insists on ``.keras``).

    Returns
    -------
    pathlib.Path
        The final path.
    """
    with staged(path, suffix) as tmp:
        writer(tmp)
        return commit(tmp, path)


def json_text(data: object) -> str:
    """``data`` as the indented JSON text the sidecars and settings use."""
    return json.dumps(data, indent=2, sort_keys=False) + "\n"


def write_json_atomic(path: str | os.PathLike, data: object) -> Path:
    """Write ``data`` as indented JSON to ``path`` atomically."""
    text = json_text(data)
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_bytes_atomic(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically."""
    return write_atomic(path, lambda tmp: tmp.write_bytes(data))
