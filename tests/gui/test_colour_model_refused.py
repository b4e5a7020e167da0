"""A CIFAR-10 model (32x32 colour input) is refused with a message; the digit model stays."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox


def test_loading_a_cifar_model_shows_why_and_keeps_the_current_one(qtbot, main_window, tmp_path):
    from training.config import TrainConfig
    from training.lenet import build_lenet5

    path = tmp_path / "cifar.keras"
    build_lenet5(TrainConfig(dataset="cifar10")).save(path)
    current = main_window.session.recognizer
    main_window.load_model(path)

    def shown():
        return [b.text() for b in main_window.findChildren(QMessageBox) if b.isVisible()]

    qtbot.waitUntil(lambda: bool(shown()), timeout=30_000)
    text = " ".join(shown())
    assert "cifar.keras takes input of shape (32, 32, 3), expected (28, 28, 1)" in text
    assert "28x28 grey-scale models only" in text
    assert main_window.session.recognizer is current
    assert "lenet5.keras" in main_window.model_label.text()
