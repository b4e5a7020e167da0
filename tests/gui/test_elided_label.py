"""ElidedLabel: a one-line label that shows with "…" what it cannot show whole."""

from __future__ import annotations

from lenet_desktop.gui.elided_label import ElidedLabel


def test_a_text_too_long_for_the_label_ends_with_an_ellipsis(qtbot):
    label = ElidedLabel("Now saved as a 7 (was a 3). 12 samples of yours")
    qtbot.addWidget(label)
    label.resize(400, 20)
    label.show()
    qtbot.waitExposed(label)
    assert label.shown_text() == label.text()
    label.resize(90, 20)
    qtbot.waitUntil(lambda: label.width() == 90, timeout=2000)
    shown = label.shown_text()
    assert shown.endswith("…") and label.text().startswith(shown[:-1])
    assert label.fontMetrics().horizontalAdvance(shown) <= label.contentsRect().width()
    # The label never asks for the room its whole text would take.
    assert label.minimumSizeHint().width() < label.fontMetrics().horizontalAdvance(label.text())
    assert not label.wordWrap()
