"""Help → Keyboard shortcuts: every shortcut of the window, read from its menus.

The list is generated from the actions in the menu bar each time the dialog
opens, so it cannot go stale: an action given a shortcut anywhere shows here.
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMenu,
    QMenuBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


def _plain(text: str) -> str:
    """A menu text without its mnemonic marks or trailing dots ("&Open image…" -> "Open image")."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def shortcut_rows(menu_bar: QMenuBar) -> list[tuple[str, str, str]]:
    """(shortcuts, action, menu) for every action with a shortcut, in menu order.

    Shortcuts are in the platform's own notation ("Ctrl+Shift+Z, Ctrl+Y");
    submenus appear as "File › Open Recent".
    """
    rows: list[tuple[str, str, str]] = []

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu(), f"{path} › {_plain(action.menu().title())}")
                continue
            keys = [
                key.toString(QKeySequence.SequenceFormat.NativeText)
                for key in action.shortcuts()
                if not key.isEmpty()
            ]
            if keys and not action.isSeparator():
                rows.append((", ".join(keys), _plain(action.text()), path))

    for top in menu_bar.actions():
        if top.menu() is not None:
            walk(top.menu(), _plain(top.menu().title()))
    return rows


class ShortcutsDialog(QDialog):
    """A table of every keyboard shortcut in the window's menus."""

    def __init__(self, menu_bar: QMenuBar, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        rows = shortcut_rows(menu_bar)
        self.table = QTableWidget(len(rows), 3)
        self.table.setObjectName("shortcutsTable")
        self.table.setHorizontalHeaderLabels(["Shortcut", "Action", "Menu"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(560, min(720, 90 + 30 * max(len(rows), 4)))

    def rows(self) -> list[tuple[str, str, str]]:
        """The table's rows as (shortcut, action, menu)."""
        return [
            tuple(self.table.item(r, c).text() for c in range(3))
            for r in range(self.table.rowCount())
        ]
