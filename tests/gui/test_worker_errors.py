"""A background job that raises never leaves the window stuck: a message, and the next input works.

Each test makes one kind of worker raise something its code does not expect
(not the ValueError of a bad image), checks what the user sees, and then
checks that the next photo, frame, model, sweep or training run goes through.
Also: a new photo supersedes a read still in progress, and closing the window
does not wait for a stuck read.
"""

from __future__ import annotations

import threading

import cv2
import numpy as np
from PySide6.QtWidgets import QDockWidget, QMessageBox

import lenet_desktop.model.reading as reading
import lenet_desktop.vision.io as io
from tests.gui.conftest import digit_strokes, draw_strokes, paper_with_digits
from tests.gui.test_retrain import click, configure
from tests.gui.test_retrain_in_window import open_dialog

REAL_READ_FRAME = reading.read_frame


def photo(tmp_path, digits: str, name: str):
    path = tmp_path / name
    cv2.imwrite(str(path), paper_with_digits(digits))
    return path


def failing_once(real, exc: Exception):
    """``real`` that raises ``exc`` on its first call only."""
    calls = []

    def call(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise exc
        return real(*args, **kwargs)

    return call


def test_a_photo_read_that_crashes_says_so_and_the_next_photo_is_read(
    qtbot, main_window, tmp_path, monkeypatch
):
    monkeypatch.setattr(reading, "read_frame", failing_once(REAL_READ_FRAME, RuntimeError("boom")))
    tab = main_window.photo
    main_window.open_image(photo(tmp_path, "47", "first.png"))
    qtbot.waitUntil(lambda: "cannot be read" in tab.summary.text(), timeout=20_000)
    assert "RuntimeError: boom" in tab.summary.text()
    assert "reading digits" not in tab.summary.text()
    assert tab.view.message() == "This image could not be read."
    assert "Reading the photo failed" in main_window.last_error
    assert not tab.is_reading()

    main_window.open_image(photo(tmp_path, "10", "second.png"))
    qtbot.waitUntil(lambda: tab.view.labels() == [1, 0], timeout=20_000)
    assert "second.png: 2 digits, reads 10" in tab.summary.text()


def test_a_frame_read_that_crashes_is_reported_and_later_frames_are_read(
    qtbot,
    main_window,
    monkeypatch,
    digits_video,
):
    monkeypatch.setattr(reading, "read_frame", failing_once(REAL_READ_FRAME, MemoryError()))
    camera = main_window.camera
    main_window.open_camera(str(digits_video))
    qtbot.waitUntil(lambda: len(camera.view.digits()) == 4, timeout=20_000)
    assert camera.view.text() == "1470"
    assert camera.is_running()
    assert "Reading the camera frame failed: Cannot read this frame" in main_window.last_error
    camera.stop()


def test_a_model_load_that_crashes_keeps_the_model_and_the_next_load_works(
    qtbot, main_window, shipped_model_path, monkeypatch
):
    import lenet_desktop.gui.model_loading as window_module

    current = main_window.session.recognizer
    monkeypatch.setattr(
        window_module,
        "load_recognizer",
        failing_once(window_module.load_recognizer, RuntimeError("keras exploded")),
    )
    main_window.load_model(shipped_model_path)
    boxes = lambda: [b.text() for b in main_window.findChildren(QMessageBox) if b.isVisible()]  # noqa: E731
    qtbot.waitUntil(lambda: bool(boxes()), timeout=30_000)
    assert any("keras exploded" in text for text in boxes())
    assert main_window.session.recognizer is current
    assert "lenet5.keras" in main_window.model_label.text()

    with qtbot.waitSignal(main_window.session.recognizer_changed, timeout=60_000):
        main_window.load_model(shipped_model_path)
    assert main_window.session.recognizer is not current


def test_a_sweep_that_crashes_says_so_and_the_next_input_gets_curves(
    qtbot, main_window, monkeypatch
):
    import lenet_desktop.gui.panels.sweeps as sweeps

    monkeypatch.setattr(
        sweeps, "rotation_sweep", failing_once(sweeps.rotation_sweep, RuntimeError("bad batch"))
    )
    panel = main_window.panels["transform"]
    main_window.findChild(QDockWidget, "panel_transform").raise_()
    qtbot.waitUntil(lambda: panel.on_screen, timeout=3000)
    canvas = main_window.draw.canvas
    draw_strokes(qtbot, canvas, digit_strokes(canvas, "7"))
    qtbot.waitUntil(lambda: "could not be computed" in panel.statement.text(), timeout=10_000)
    assert "RuntimeError: bad batch" in panel.statement.text()
    qtbot.waitUntil(lambda: not panel.sweeps_busy(), timeout=10_000)
    assert "rotation" not in panel.curves

    # The explorer is not stuck: the next input is swept.
    canvas.clear()
    draw_strokes(qtbot, canvas, digit_strokes(canvas, "1"))
    qtbot.waitUntil(lambda: "rotation" in panel.curves and "x" in panel.curves, timeout=10_000)
    assert "could not be computed" not in panel.statement.text()


def test_a_training_run_that_crashes_says_so_and_the_next_run_starts(
    qtbot,
    main_window,
    tiny_npz,
    monkeypatch,
):
    import lenet_desktop.gui.retrain.worker as worker_module

    real = worker_module.run_retrain
    monkeypatch.setattr(worker_module, "run_retrain", failing_once(real, KeyError("epochs")))
    dialog = open_dialog(main_window)
    configure(dialog, tiny_npz, epochs=200, batch_size=8)
    click(qtbot, dialog.start_button)
    qtbot.waitUntil(lambda: not dialog.is_running, timeout=30_000)
    assert "Retraining crashed: KeyError" in dialog.error_label.text()
    assert "still in use" in dialog.stage_label.text()
    assert main_window.retrain.retrain_action.isEnabled()

    click(qtbot, dialog.start_button)
    qtbot.waitUntil(lambda: dialog.batch_bar.value() > 0, timeout=120_000)
    assert dialog.error_label.isHidden()
    click(qtbot, dialog.cancel_button)
    qtbot.waitUntil(lambda: not dialog.is_running, timeout=120_000)
    assert "cancelled" in dialog.stage_label.text()


def blocking_first_read(release: threading.Event, started: threading.Event):
    """read_frame whose first call waits for ``release`` (a photo that takes forever)."""
    calls = []

    def call(recognizer, image, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            started.set()
            release.wait(30)
        return REAL_READ_FRAME(recognizer, image, *args, **kwargs)

    return call


def test_a_new_photo_supersedes_a_read_still_running(qtbot, main_window, tmp_path, monkeypatch):
    release, started = threading.Event(), threading.Event()
    monkeypatch.setattr(reading, "read_frame", blocking_first_read(release, started))
    tab = main_window.photo
    main_window.open_image(photo(tmp_path, "47", "slow.png"))
    # The read starts once the decoded photo is back on the GUI thread.
    qtbot.waitUntil(started.is_set, timeout=10_000)
    main_window.open_image(photo(tmp_path, "10", "next.png"))
    qtbot.waitUntil(lambda: tab.view.labels() == [1, 0], timeout=20_000)
    stuck = [w for w in main_window.workers.running() if w.description == "Reading the photo"]
    assert len(stuck) == 1 and stuck[0].stopping
    release.set()
    assert stuck[0].join(20)
    qtbot.wait(100)
    # The slow photo's late answer is dropped: the view still shows the photo on screen.
    assert tab.view.labels() == [1, 0]
    assert "next.png" in tab.summary.text()


def test_closing_the_window_does_not_wait_for_a_stuck_read(
    qtbot, main_window, tmp_path, monkeypatch
):
    release, started = threading.Event(), threading.Event()
    monkeypatch.setattr(reading, "read_frame", blocking_first_read(release, started))
    main_window.open_image(photo(tmp_path, "47", "slow.png"))
    # The read starts once the decoded photo is back on the GUI thread.
    qtbot.waitUntil(started.is_set, timeout=10_000)
    stuck = main_window.workers.running()

    main_window.close()

    # close() has returned although the read is still stuck: the window did not wait for it.
    assert not main_window.isVisible()
    assert any(w.is_running() and w.stopping for w in stuck)
    release.set()
    assert main_window.shutdown(timeout=20)


def test_a_twelve_bit_scan_is_shown_as_bright_as_it_is_read(qtbot, main_window, tmp_path):
    sheet = cv2.cvtColor(paper_with_digits("47"), cv2.COLOR_BGR2GRAY).astype(np.uint16) * 16
    path = tmp_path / "scan16.png"
    cv2.imwrite(str(path), sheet)  # 12-bit values (at most 4080) stored in 16 bits
    main_window.open_image(path)
    tab = main_window.photo
    qtbot.waitUntil(lambda: tab.view.labels() == [4, 7], timeout=20_000)
    shown = tab.view.grab().toImage()
    corner = tab.view.image_rect().toRect().topLeft()
    paper = shown.pixelColor(corner.x() + 3, corner.y() + 3)
    assert paper.lightness() > 180  # paper near white (the top byte alone gives about 14)


def blocking_first_decode(release: threading.Event, started: threading.Event):
    """read_image whose first call waits for ``release`` (a file that takes forever to decode)."""
    real, calls = io.read_image, []

    def call(path):
        calls.append(1)
        if len(calls) == 1:
            started.set()
            release.wait(30)
        return real(path)

    return call


def test_a_new_photo_supersedes_a_decode_still_running_and_close_does_not_wait(
    qtbot, main_window, tmp_path, monkeypatch
):
    release, started = threading.Event(), threading.Event()
    monkeypatch.setattr(io, "read_image", blocking_first_decode(release, started))
    tab = main_window.photo
    main_window.open_image(photo(tmp_path, "47", "huge.png"))
    assert started.wait(10)  # decoding runs on its own thread, the GUI thread is free
    assert tab.is_opening()
    assert tab.view.message() == "Reading huge.png…"
    assert tab.summary.text() == "huge.png: opening the image…"

    main_window.open_image(photo(tmp_path, "10", "next.png"))
    qtbot.waitUntil(lambda: tab.view.labels() == [1, 0], timeout=20_000)
    stuck = [w for w in main_window.workers.running() if w.description == "Opening the photo"]
    assert len(stuck) == 1 and stuck[0].stopping

    main_window.close()
    assert not main_window.isVisible() and stuck[0].is_running()  # closed without waiting
    release.set()
    assert stuck[0].join(20)
    qtbot.wait(50)
    assert tab.view.labels() == [1, 0] and "next.png" in tab.summary.text()
    assert main_window.shutdown(timeout=20)
