"""Whole-frame detection: every digit found once, in reading order, and nothing else."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from lenet_desktop.vision.detect import find_digits
from lenet_desktop.vision.scenes import (
    digit_lines_photo,
    digit_row_photo,
    draw_ruled_lines,
    lighting,
)

FRAMES = 250


def _found_once(candidates, boxes) -> bool:
    """Each true digit holds the centre of exactly one found box, in the same order."""
    if len(candidates) != len(boxes):
        return False
    for candidate, (x, y, w, h) in zip(candidates, boxes, strict=True):
        bx, by, bw, bh = candidate.box
        cx, cy = bx + bw / 2, by + bh / 2
        if not (x <= cx <= x + w and y <= cy <= y + h):
            return False
    return True


def _number(mnist, rng, count):
    index = rng.choice(len(mnist.x_test), count, replace=False)
    return [mnist.x_test[i] for i in index], mnist.y_test[index]


@pytest.mark.mnist
def test_every_digit_of_a_number_is_found_once(mnist, shipped_recognizer):
    """250 photos of 3 to 6 MNIST digits in a row: no merges, splits or phantoms in 99%."""
    rng = np.random.default_rng(10)
    good, raw_right, read_right, total = 0, 0, 0, 0
    for _ in range(FRAMES):
        digits, labels = _number(mnist, rng, int(rng.integers(3, 7)))
        scene = digit_row_photo(digits, rng)
        candidates = find_digits(scene.image)
        assert all(c.line == 0 for c in candidates)
        total += len(labels)
        raw = shipped_recognizer.probabilities(np.stack(digits)).argmax(axis=1)
        raw_right += int((raw == labels).sum())
        if _found_once(candidates, scene.boxes):
            good += 1
            read = shipped_recognizer.probabilities(np.stack([c.digit for c in candidates]))
            read_right += int((read.argmax(axis=1) == labels).sum())
    assert good >= 0.99 * FRAMES
    # Missed frames count as wrong; about 1100 digits, so one point is 11 digits.
    assert read_right / total >= raw_right / total - 0.01


@pytest.mark.mnist
def test_lines_are_read_top_to_bottom_left_to_right(mnist):
    rng = np.random.default_rng(11)
    good = 0
    for _ in range(40):
        lines = [_number(mnist, rng, int(rng.integers(2, 6)))[0] for _ in range(rng.integers(2, 4))]
        scene = digit_lines_photo(lines, rng)
        candidates = find_digits(scene.image)
        expected = [number for number, line in enumerate(lines) for _ in line]
        good += _found_once(candidates, scene.boxes) and [c.line for c in candidates] == expected
    assert good >= 39


@pytest.mark.mnist
def test_light_ink_on_dark(mnist):
    rng = np.random.default_rng(12)
    good = 0
    for _ in range(40):
        digits, _ = _number(mnist, rng, 4)
        scene = digit_row_photo(digits, rng, invert=True)
        good += _found_once(find_digits(scene.image), scene.boxes)
    assert good >= 39


@pytest.mark.mnist
def test_ruled_paper_lines_are_ignored(mnist, shipped_recognizer):
    rng = np.random.default_rng(13)
    for spacing in (24, 40, 57):
        digits, labels = _number(mnist, rng, 4)
        scene = digit_row_photo(digits, rng, height_range=(50, 80))
        ruled = draw_ruled_lines(scene.image, spacing, darkness=0.3)
        candidates = find_digits(ruled)
        assert _found_once(candidates, scene.boxes)
        read = shipped_recognizer.probabilities(np.stack([c.digit for c in candidates]))
        assert (read.argmax(axis=1) == labels).mean() >= 0.75


def _paper(rng, shape=(480, 640)):
    noisy = lighting(shape, rng) + rng.normal(0, 5, shape)
    return np.clip(noisy, 0, 255).astype(np.uint8)


def test_blank_paper_ruled_paper_and_specks_give_no_digits():
    rng = np.random.default_rng(14)
    paper = _paper(rng)
    assert find_digits(paper) == []
    assert find_digits(draw_ruled_lines(paper, 30, darkness=0.3)) == []
    assert find_digits(255 - paper) == []
    dusty = paper.copy()
    for x, y in rng.integers(0, 480, size=(300, 2)):
        cv2.circle(dusty, (int(x), int(y)), 1, 60, -1)
    assert find_digits(dusty) == []


def test_a_sheet_on_a_table_is_not_a_digit():
    rng = np.random.default_rng(15)
    frame = np.clip(rng.normal(45, 4, (480, 640)), 0, 255).astype(np.uint8)
    frame[50:430, 90:560] = _paper(rng)[50:430, 90:560]
    assert find_digits(frame) == []
    frame[:, 560:] = 200  # a wall behind, bright: the sheet's edges are not digits either
    assert find_digits(frame) == []


@pytest.mark.mnist
def test_any_size_depth_and_channels(mnist, shipped_recognizer):
    rng = np.random.default_rng(16)
    digits, labels = _number(mnist, rng, 4)
    expected = "".join(str(v) for v in labels)
    small_4k = digit_row_photo(digits, rng, shape=(2160, 3840), height_range=(110, 180))
    large_4k = digit_row_photo(digits, rng, shape=(2160, 3840), height_range=(300, 450))
    frame = digit_row_photo(digits, rng)
    variants = {
        "4k-small-digits": small_4k.image,
        "4k-large-digits": large_4k.image,
        "16-bit": frame.image.astype(np.uint16) * 257,
        "bgr": cv2.cvtColor(frame.image, cv2.COLOR_GRAY2BGR),
        "bgra": cv2.cvtColor(frame.image, cv2.COLOR_GRAY2BGRA),
        "float": frame.image.astype(np.float32) / 255.0,
    }
    for name, image in variants.items():
        candidates = find_digits(image)
        read = shipped_recognizer.probabilities(np.stack([c.digit for c in candidates]))
        assert "".join(str(v) for v in read.argmax(axis=1)) == expected, name
    big = find_digits(small_4k.image)
    assert _found_once(big, small_4k.boxes)  # boxes are in the 4K image's coordinates


@pytest.mark.mnist
def test_tiny_scan_of_one_digit(mnist, shipped_recognizer):
    scan = cv2.resize(255 - mnist.x_test[3], (16, 16), interpolation=cv2.INTER_AREA)
    (candidate,) = find_digits(scan)
    assert shipped_recognizer.classify(candidate.digit)[0] == mnist.y_test[3]


def test_candidates_are_mnist_style():
    canvas = np.full((200, 300), 230, np.uint8)
    cv2.putText(canvas, "38", (60, 150), cv2.FONT_HERSHEY_SIMPLEX, 4, 20, 12, cv2.LINE_AA)
    candidates = find_digits(canvas)
    assert len(candidates) == 2
    first, second = candidates
    assert first.box[0] < second.box[0]
    for candidate in candidates:
        assert candidate.digit.shape == (28, 28) and candidate.digit.dtype == np.float32
        assert candidate.digit.max() == pytest.approx(1.0)
        x, y, w, h = candidate.box
        assert 0 <= x and 0 <= y and x + w <= 300 and y + h <= 200
