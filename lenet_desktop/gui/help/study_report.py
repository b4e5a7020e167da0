"""Help → Open latest study report…: the report of the last ``lenet-train study``.

The study is a command-line job (it trains dozens of models); the app only
opens the HTML report it wrote, in the user's web browser.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from training.latest_report import latest_report_path

NO_REPORT_TITLE = "No study report yet"
NO_REPORT_TEXT = (
    "No LeNet-5 study has been run on this computer yet.\n\n"
    "The study trains LeNet-5 with different optimizers, batch sizes, pooling, "
    "activations and augmentation, measures how well each copes with rotated, shifted "
    "and flipped digits, and writes a report with plots. Run it in a terminal:\n\n"
    "    lenet-train study --quick\n\n"
    "(a few minutes on a laptop; without --quick it is the full study, which takes "
    "hours on a CPU). This menu opens the report when it is done."
)


def open_url(url: QUrl) -> bool:
    """Open ``url`` with the desktop's handler; False when nothing could open it."""
    return QDesktopServices.openUrl(url)


def show_message(parent, title: str, text: str) -> None:
    """Tell the user something in a message box."""
    QMessageBox.information(parent, title, text)


def open_latest_study_report(parent) -> Path | None:
    """Open the latest study report in the browser, or explain how to make one.

    Returns
    -------
    pathlib.Path or None
        The report opened (or offered), None when there is none.
    """
    path = latest_report_path()
    if path is None:
        show_message(parent, NO_REPORT_TITLE, NO_REPORT_TEXT)
        return None
    if not open_url(QUrl.fromLocalFile(str(path))):
        show_message(
            parent,
            "Could not open the report",
            f"No program on this computer opened the report. Open this file in a web "
            f"browser:\n\n{path}",
        )
    return path


def add_study_report_action(menu: QMenu, parent: QWidget) -> QAction:
    """Add "Open latest study report…" to ``menu`` (Help) and return the action.

    ``parent`` owns the action and the messages it shows.
    """
    action = QAction("Open latest &study report…", parent)
    action.setObjectName("actionOpenStudyReport")
    action.setStatusTip("Open the report of the last 'lenet-train study' in a web browser")
    action.triggered.connect(lambda _checked=False: open_latest_study_report(parent))
    menu.addAction(action)
    return action
