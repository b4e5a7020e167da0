"""Sample files that cannot be read: listed as such in My samples…, deletable, not counted."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QWidget

from lenet_desktop.gui.retrain.samples_dialog import UNREADABLE_ROLE, UserSamplesDialog
from lenet_desktop.userdata import UserDataset
from tests.gui.conftest import answer_confirm
from tests.gui.test_retrain import click


def dataset_with_two_broken(folder) -> UserDataset:
    dataset = UserDataset(folder)
    rng = np.random.default_rng(0)
    for label in (3, 3, 8):
        dataset.add(rng.random((28, 28)), label)
    (folder / f"5_{1:032x}.png").write_bytes(b"")  # an empty file (a crash mid-copy)
    (folder / f"8_{2:032x}.png").write_bytes(b"\x89PNG\r\n\x1a\n truncated")
    return dataset


@pytest.fixture
def owner(qtbot):
    """A window to parent the browser to, as the app's is."""
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    return window


def open_browser(owner, dataset) -> UserSamplesDialog:
    browser = UserSamplesDialog(dataset, owner)
    browser.show()
    return browser


def items(browser):
    return [browser.list_widget.item(i) for i in range(browser.list_widget.count())]


def test_unreadable_files_are_listed_with_why_and_counted_apart(qtbot, owner, tmp_path):
    browser = open_browser(owner, dataset_with_two_broken(tmp_path))

    shown = items(browser)
    broken = [item for item in shown if item.data(UNREADABLE_ROLE)]
    assert len(shown) == 5 and len(broken) == 2
    assert shown[:2] == broken  # listed first, where they are seen
    assert {item.text() for item in broken} == {"unreadable"}
    tips = sorted(item.toolTip() for item in broken)
    assert "not a readable PNG image" in tips[0] and "labelled 8" in tips[0]
    assert "the file is empty" in tips[1] and "labelled 5" in tips[1]
    summary = browser.summary_label.text()
    assert summary.startswith("3 usable samples (3: 2, 8: 1), 2 unreadable")
    assert browser.delete_unreadable_button.isVisibleTo(browser)
    assert browser.delete_unreadable_button.text() == "Delete 2 unreadable files…"

    browser.digit_filter.setCurrentIndex(browser.digit_filter.findData(8))
    assert [item.text() for item in items(browser)] == ["unreadable", "8"]


def test_unreadable_files_are_deleted_after_confirmation(qtbot, owner, tmp_path):
    dataset = dataset_with_two_broken(tmp_path)
    browser = open_browser(owner, dataset)
    changed = []
    browser.samples_changed.connect(lambda: changed.append(True))

    click(qtbot, browser.delete_unreadable_button)
    assert "Delete 2 sample files that cannot be read" in answer_confirm(qtbot, browser, yes=False)
    assert len(dataset.samples()) == 5 and not changed
    click(qtbot, browser.delete_unreadable_button)
    answer_confirm(qtbot, browser)

    assert dataset.scan().unreadable == [] and len(dataset) == 3
    assert [item.data(UNREADABLE_ROLE) for item in items(browser)] == [None] * 3
    assert browser.summary_label.text().startswith("3 samples (3: 2, 8: 1) in")
    assert not browser.delete_unreadable_button.isVisibleTo(browser)
    assert changed


def test_one_unreadable_file_can_be_selected_and_deleted(qtbot, owner, tmp_path):
    dataset = dataset_with_two_broken(tmp_path)
    browser = open_browser(owner, dataset)
    items(browser)[0].setSelected(True)
    click(qtbot, browser.delete_button)
    answer_confirm(qtbot, browser)
    assert len(dataset.scan().unreadable) == 1 and len(dataset) == 3
    assert browser.delete_unreadable_button.text() == "Delete 1 unreadable file…"


def test_the_correction_box_and_retrain_form_count_usable_samples(qtbot, main_window):
    folder = main_window.retrain.dataset.folder
    folder.mkdir(parents=True)
    dataset_with_two_broken(folder)
    correction = main_window.retrain.correction
    correction.refresh()
    assert correction.status_label.text() == "3 usable, 2 unreadable"
    assert "2 files in your samples folder cannot be read" in correction.status_label.toolTip()
    main_window.retrain.retrain_action.trigger()
    form = main_window.retrain.dialog().form
    assert form.samples_label.text().startswith("3 usable samples, 2 unreadable")
