"""File → Open Recent: the photos and videos opened last, kept in the settings.

The list is read each time the menu opens, so it is never stale; a file that
has gone (moved, deleted, an unplugged drive) is listed greyed out as "not
found" until the list is cleared or the file comes back.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMenu

from lenet_desktop.gui import settings

MAX_RECENT = 8


def recent_files() -> list[str]:
    """The recent files, newest first."""
    return [str(p) for p in settings.read_settings()["recent_files"]]


def add_recent(path: str | Path) -> None:
    """Put ``path`` first in the list (once), keeping at most :data:`MAX_RECENT`."""
    path = str(Path(path).resolve())
    files = [path] + [p for p in recent_files() if p != path]
    settings.write_settings({"recent_files": files[:MAX_RECENT]})


def clear_recent() -> None:
    """Forget every recent file."""
    settings.write_settings({"recent_files": []})


class RecentFilesMenu(QMenu):
    """The Open Recent submenu: one entry per recent file, rebuilt whenever it opens."""

    def __init__(self, open_path, parent=None):
        """``open_path(path)`` opens a file the user picks (the window's ``open_path``)."""
        super().__init__("Open &Recent", parent)
        self.setObjectName("menuOpenRecent")
        self._open_path = open_path
        self.aboutToShow.connect(self.rebuild)
        self.rebuild()

    def rebuild(self) -> None:
        """List the recent files as they are now on disk."""
        self.clear()
        files = recent_files()
        for number, path in enumerate(files, start=1):
            found = Path(path).is_file()
            label = f"&{number} {Path(path).name}" + ("" if found else " (not found)")
            action = self.addAction(label)
            action.setData(path)
            action.setToolTip(path if found else f"{path} is no longer there")
            action.setStatusTip(action.toolTip())
            action.setEnabled(found)
            action.triggered.connect(lambda _checked=False, p=path: self._open_path(p))
        if not files:
            self.addAction("No recent files").setEnabled(False)
        self.addSeparator()
        clear = self.addAction("&Clear list")
        clear.setObjectName("actionClearRecent")
        clear.setEnabled(bool(files))
        clear.triggered.connect(self._clear)

    def paths(self) -> list[str]:
        """The files listed (for tests and screen readers), newest first."""
        return [a.data() for a in self.actions() if a.data()]

    def _clear(self) -> None:
        clear_recent()
        self.rebuild()
