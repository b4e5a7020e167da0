"""Help → Open latest study report… opens the recorded report or explains the command."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow

from lenet_desktop.gui.help import study_report as study_menu
from training.latest_report import record_latest_report


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    """A bare main window with a Help menu, the study menu installed, and no real opening."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    opened, messages = [], []
    monkeypatch.setattr(study_menu, "open_url", lambda url: opened.append(url) or True)
    monkeypatch.setattr(
        study_menu, "show_message", lambda parent, title, text: messages.append((title, text))
    )
    win = QMainWindow()
    win.help_menu = win.menuBar().addMenu("&Help")
    qtbot.addWidget(win)
    win.action = study_menu.add_study_report_action(win.help_menu, win)
    win.opened, win.messages = opened, messages
    return win


def test_action_is_in_the_help_menu(window):
    assert window.action in window.help_menu.actions()
    assert window.action.text() == "Open latest &study report…"


def test_without_a_report_it_explains_the_command(window):
    window.action.trigger()
    assert window.opened == []
    assert len(window.messages) == 1
    title, text = window.messages[0]
    assert title == study_menu.NO_REPORT_TITLE
    assert "lenet-train study --quick" in text


def test_opens_the_latest_report(window, tmp_path):
    report = tmp_path / "study" / "index.html"
    report.parent.mkdir()
    report.write_text("<html></html>", encoding="utf-8")
    record_latest_report(report)
    window.action.trigger()
    assert window.messages == []
    assert [Path(url.toLocalFile()) for url in window.opened] == [report.resolve()]


def test_a_deleted_report_counts_as_none(window, tmp_path):
    report = tmp_path / "gone" / "index.html"
    report.parent.mkdir()
    report.write_text("<html></html>", encoding="utf-8")
    record_latest_report(report)
    report.unlink()
    window.action.trigger()
    assert window.opened == []
    assert window.messages[0][0] == study_menu.NO_REPORT_TITLE
