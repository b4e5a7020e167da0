"""Camera and photo modes: a video file as the camera, no camera, an unplugged one, photos."""

from __future__ import annotations

import threading

import cv2
import numpy as np
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QWidget

from lenet_desktop.gui.inputs.capture import LOST_AFTER_FAILURES, CameraWorker, LatestSlot
from tests.conftest import REPO
from tests.gui.conftest import DIGITS, digit_strokes, draw_strokes, paper_with_digits


def click_digit(qtbot, view, index: int) -> None:
    """Click the centre of detected digit ``index`` in a camera or photo view."""
    x, y, w, h = view.boxes()[index]
    point = view.widget_point(x + w / 2, y + h / 2)
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=point.toPoint())


def test_latest_slot_drops_frames_instead_of_queueing():
    slot = LatestSlot()
    for i in range(5):
        slot.put(i)
    assert slot.take(timeout=0) == 4
    assert slot.dropped == 4
    assert slot.take(timeout=0) is None


def test_video_file_source_boxes_and_labels_every_digit(qtbot, main_window, digits_video):
    camera = main_window.camera
    main_window.open_camera(str(digits_video))
    assert main_window.tabs.currentWidget() is camera
    qtbot.waitUntil(lambda: len(camera.view.digits()) == len(DIGITS), timeout=20_000)
    assert camera.is_running()
    assert camera.picker.currentText() == "Video: digits.avi"
    assert camera.view.message() == ""
    assert camera.view.labels() == [int(d) for d in DIGITS]
    assert camera.view.text() == DIGITS
    assert DIGITS in camera.readout.text()
    # Boxes run left to right, one per digit, inside the frame.
    boxes = camera.view.boxes()
    assert [b[0] for b in boxes] == sorted(b[0] for b in boxes)
    height, width = camera.view.frame().shape[:2]
    assert all(0 <= x and x + w <= width and 0 <= y and y + h <= height for x, y, w, h in boxes)


def test_clicking_a_detected_digit_explains_it(qtbot, main_window, digits_video):
    camera = main_window.camera
    main_window.open_camera(str(digits_video))
    qtbot.waitUntil(lambda: len(camera.view.digits()) == len(DIGITS), timeout=20_000)
    with qtbot.waitSignal(main_window.session.explanation_changed, timeout=5000) as blocker:
        click_digit(qtbot, camera.view, 2)
    explanation = blocker.args[0]
    assert explanation.source == "clicked digit"
    assert explanation.image.shape == (28, 28) and explanation.image.dtype == np.float32
    assert [name for name, _ in explanation.steps] == ["frame crop", "network input"]
    assert main_window.prediction.label.text() == DIGITS[2]
    assert main_window.session.explanation.answer()[0] == int(DIGITS[2])
    # Clicking freezes the view on that frame while the video keeps running.
    assert camera.freeze_button.isChecked()
    frozen = camera.view.frame()
    reader = camera.reader
    processed = reader.processed
    qtbot.waitUntil(lambda: reader.processed >= processed + 3, timeout=10_000)
    assert camera.view.frame() is frozen
    camera.stop()
    assert not camera.is_running()


def test_missing_camera_shows_a_message_and_drawing_still_works(qtbot, main_window):
    camera = main_window.camera
    main_window.open_camera(99)
    qtbot.waitUntil(lambda: "Could not open" in camera.view.message(), timeout=10_000)
    assert "camera 99" in camera.view.message()
    qtbot.waitUntil(lambda: not camera.is_running(), timeout=5000)
    main_window.tabs.setCurrentIndex(0)
    canvas = main_window.draw.canvas
    draw_strokes(qtbot, canvas, digit_strokes(canvas, "7"))
    qtbot.waitUntil(lambda: main_window.prediction.label.text() == "7", timeout=3000)


def test_missing_video_file_shows_a_message(qtbot, main_window, tmp_path):
    camera = main_window.camera
    main_window.open_camera(str(tmp_path / "nowhere.avi"))
    qtbot.waitUntil(lambda: "Could not open nowhere.avi" in camera.view.message(), timeout=10_000)
    assert not camera.view.digits()


class UnpluggedCamera:
    """Stands in for cv2.VideoCapture: a camera that delivers a few frames, then is pulled out."""

    def __init__(self, frames: int):
        self.frames = frames
        self.released = threading.Event()

    def isOpened(self):
        return True

    def read(self):
        if self.frames > 0:
            self.frames -= 1
            return True, np.full((48, 64, 3), 200, np.uint8)
        return False, None

    def get(self, prop):
        return 0.0

    def set(self, prop, value):
        return False

    def release(self):
        self.released.set()


def test_unplugged_camera_reports_and_stops(qtbot):
    camera = UnpluggedCamera(frames=3)
    slot = LatestSlot()
    worker = CameraWorker(0, slot, open_capture=lambda source: camera)
    messages = []
    worker.error.connect(messages.append, Qt.ConnectionType.DirectConnection)
    with qtbot.waitSignal(worker.finished, timeout=10_000):
        worker.start()
    assert worker.join(5)
    assert worker.frames_read == 3
    assert len(messages) == 1 and "stopped delivering frames" in messages[0]
    assert camera.released.is_set()
    assert LOST_AFTER_FAILURES > 1
    frame = slot.take(timeout=0)
    assert frame.shape == (48, 64, 3)


def test_unplugged_camera_message_reaches_the_view(qtbot, main_window, monkeypatch):
    camera_panel = main_window.camera
    monkeypatch.setattr(
        "lenet_desktop.gui.inputs.camera.CameraWorker",
        lambda source, slot, after=None: CameraWorker(
            source, slot, after, open_capture=lambda s: UnpluggedCamera(frames=5)
        ),
    )
    camera_panel.open_source(0)
    qtbot.waitUntil(lambda: "stopped delivering" in camera_panel.view.message(), timeout=10_000)
    qtbot.waitUntil(lambda: camera_panel.start_button.text() == "Start", timeout=5000)


def test_photo_is_read_and_a_digit_can_be_clicked(qtbot, main_window, tmp_path):
    path = tmp_path / "sheet.png"
    cv2.imwrite(str(path), paper_with_digits(DIGITS))
    main_window.open_image(path)
    photo = main_window.photo
    assert main_window.tabs.currentWidget() is photo
    qtbot.waitUntil(lambda: len(photo.view.digits()) == len(DIGITS), timeout=20_000)
    assert photo.view.labels() == [int(d) for d in DIGITS]
    assert "sheet.png" in photo.summary.text()
    with qtbot.waitSignal(main_window.session.explanation_changed, timeout=5000):
        click_digit(qtbot, photo.view, 0)
    assert main_window.prediction.label.text() == DIGITS[0]


def test_dropping_an_image_file_opens_it(qtbot, main_window, tmp_path):
    path = tmp_path / "dropped.png"
    cv2.imwrite(str(path), paper_with_digits("47"))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    main_window.dropEvent(event)
    qtbot.waitUntil(lambda: main_window.photo.view.labels() == [4, 7], timeout=20_000)


def test_file_open_image_menu_reads_the_sample_photo(qtbot, main_window, monkeypatch):
    sample = REPO / "assets" / "samples" / "digits_on_paper.jpg"
    monkeypatch.setattr(
        "lenet_desktop.gui.file_dialogs.QFileDialog.getOpenFileName",
        lambda *args, **kwargs: (str(sample), ""),
    )
    main_window.actions_.open_image.trigger()
    photo = main_window.photo
    qtbot.waitUntil(lambda: photo.view.text() != "", timeout=20_000)
    assert photo.view.text() == "2048 3159 67"
    assert len(photo.view.boxes()) == 10


def test_the_answer_column_keeps_its_layout_at_the_least_window_size(
    qtbot, main_window, monkeypatch
):
    # The reading's summary under the big digit takes three lines: at the window's
    # least height the chart must still show all ten rows above "Correct it".
    sample = REPO / "assets" / "samples" / "digits_on_paper.jpg"
    monkeypatch.setattr(
        "lenet_desktop.gui.file_dialogs.QFileDialog.getOpenFileName",
        lambda *args, **kwargs: (str(sample), ""),
    )
    main_window.resize(main_window.minimumSizeHint())
    prediction = main_window.prediction
    qtbot.wait(100)
    input_box = prediction.input_view.geometry()
    main_window.actions_.open_image.trigger()
    qtbot.waitUntil(lambda: main_window.photo.view.text() != "", timeout=20_000)
    qtbot.wait(100)  # the new texts laid out
    # The network input stays where it was: the longer text does not push it aside.
    assert prediction.input_view.geometry() == input_box
    detail = prediction.detail
    assert detail.text().startswith("Reads: 2048 3159 67")
    assert detail.heightForWidth(detail.width()) <= detail.height()
    chart = prediction.chart
    assert chart.height() >= chart.minimumHeight()
    below = [w for w in prediction.findChildren(QWidget) if w.isVisible() and w.y() > chart.y()]
    footer = min((w.y() for w in below if w.parent() is prediction), default=None)
    assert footer is None or footer >= chart.geometry().bottom()


def test_a_long_camera_message_neither_widens_the_window_nor_is_cut(qtbot, main_window):
    from lenet_desktop.gui.inputs.camera import NOTHING_TO_START

    main_window.resize(main_window.minimumSizeHint())
    main_window.tabs.setCurrentIndex(1)
    camera = main_window.camera
    qtbot.waitUntil(lambda: not camera.is_running(), timeout=5000)
    width = main_window.width()

    def start_with_no_camera() -> bool:
        if camera.readout.text() != NOTHING_TO_START:
            camera.start_button.click()  # "still looking" until the probe has finished
        return camera.readout.text() == NOTHING_TO_START

    qtbot.waitUntil(start_with_no_camera, timeout=10_000)
    qtbot.wait(100)
    assert main_window.width() == width
    readout = camera.readout
    assert readout.heightForWidth(readout.width()) <= readout.height()
