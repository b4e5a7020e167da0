"""Opening a photo: decoded off the GUI thread, a smaller copy painted, errors said in the tab."""

from __future__ import annotations

import cv2
import numpy as np

import lenet_desktop.vision.io as io
from lenet_desktop.gui.inputs.photo import PREVIEW_SIDE, display_preview
from tests.gui.conftest import paper_with_digits


def test_the_preview_of_a_big_photo_is_shrunk_and_a_small_one_kept():
    big = np.full((3000, 5000, 3), 200, np.uint16)
    preview = display_preview(big)
    assert preview.dtype == np.uint8 and preview.shape == (1229, PREVIEW_SIDE, 3)
    small = np.zeros((40, 30), np.uint8)
    assert display_preview(small) is small


def test_a_big_photo_is_painted_from_its_preview_and_boxed_in_photo_pixels(
    qtbot, main_window, tmp_path
):
    sheet = paper_with_digits("47", cell=1100, thickness=80, margin=500)  # 3200 x 2100
    path = tmp_path / "big.png"
    cv2.imwrite(str(path), sheet)
    main_window.open_image(path)
    tab = main_window.photo
    qtbot.waitUntil(lambda: tab.view.labels() == [4, 7], timeout=30_000)
    assert tab.image.shape == sheet.shape
    assert max(tab.preview.shape[:2]) == PREVIEW_SIDE
    rect = tab.view.image_rect()
    assert abs(rect.width() / rect.height() - 3200 / 2100) < 0.01
    x, y, w, h = tab.view.boxes()[0]
    assert 500 <= x + w / 2 <= 1600 and 500 <= y + h / 2 <= 1600  # the 4, in photo pixels
    centre = tab.view.widget_point(x + w / 2, y + h / 2)
    assert tab.view.digit_at(centre) == 0


def test_the_decoders_pixel_limit_is_said_in_the_tab(qtbot, main_window, tmp_path, monkeypatch):
    monkeypatch.setenv(io.MAX_PIXELS_ENV, "20000")  # the real check, on a small limit
    path = tmp_path / "bomb.png"
    sheet = paper_with_digits("1")  # 250 x 250
    cv2.imwrite(str(path), sheet)
    main_window.open_image(path)
    tab = main_window.photo
    qtbot.waitUntil(lambda: not tab.is_opening(), timeout=10_000)
    assert tab.view.message().startswith("Cannot open bomb.png:\nimage too large (250 x 250)")
    assert "bomb.png: cannot be opened (image too large (250 x 250)" in tab.summary.text()
    assert tab.image is None and tab.view.frame() is None and not tab.is_reading()


def test_running_out_of_memory_while_decoding_is_said_in_the_tab(
    qtbot, main_window, tmp_path, monkeypatch
):
    real, calls = io.read_image, []

    def exhausted_once(path):
        calls.append(path)
        if len(calls) == 1:
            raise MemoryError
        return real(path)

    monkeypatch.setattr(io, "read_image", exhausted_once)
    path = tmp_path / "vast.png"
    path.write_bytes(b"x")
    main_window.open_image(path)
    tab = main_window.photo
    qtbot.waitUntil(lambda: not tab.is_opening(), timeout=10_000)
    assert "not enough memory to open this image" in tab.view.message()
    # The tab still works: the next photo is read.
    good = tmp_path / "good.png"
    cv2.imwrite(str(good), paper_with_digits("10"))
    main_window.open_image(good)
    qtbot.waitUntil(lambda: tab.view.labels() == [1, 0], timeout=20_000)
    assert tab.view.message() == ""
