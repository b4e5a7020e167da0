"""Whole-frame detection: every digit found once, in reading order, and nothing else."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from lenet_desktop.model.reading import read_frame
from lenet_desktop.vision.budget import TooClutteredError
from lenet_desktop.vision.detect import find_digits
from tests.support.scenes import (
    digit_lines_photo,
    digit_row_photo,
    draw_ruled_lines,
    lighting,
    scaled_digit,
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


def _row(mnist, rng, count, **options):
    """A photo of a row of ``count`` MNIST test digits (see ``digit_row_photo``)."""
    return digit_row_photo(_number(mnist, rng, count)[0], rng, **options)


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
def test_a_row_photographed_at_a_tilt_stays_one_line(mnist):
    """Rows of 5 digits turned by 12 degrees: the ends of the row no longer overlap in height."""
    rng = np.random.default_rng(13)
    good = 0
    for i in range(20):
        scene = _row(mnist, rng, 5)
        h, w = scene.image.shape[:2]
        turn = cv2.getRotationMatrix2D((w / 2, h / 2), 12.0 if i % 2 else -12.0, 1.0)
        image = cv2.warpAffine(scene.image, turn, (w, h), borderMode=cv2.BORDER_REPLICATE)
        candidates = find_digits(image)
        xs = [c.box[0] for c in candidates]
        good += len(candidates) == 5 and {c.line for c in candidates} == {0} and xs == sorted(xs)
    assert good >= 18


@pytest.mark.mnist
def test_light_ink_on_dark(mnist):
    rng = np.random.default_rng(12)
    good = 0
    for _ in range(40):
        scene = _row(mnist, rng, 4, invert=True)
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


TIGHT_MARGINS = (0, 3, 10)


def _tight_number(digits, rng):
    """Ink coverage of a number written 2-4x MNIST size, cropped to its ink rows, and ink boxes."""
    scale = rng.uniform(2.0, 4.0)
    pieces = []
    for digit in digits:
        coverage = scaled_digit(digit, scale * rng.uniform(0.95, 1.05))
        cols = np.nonzero((coverage > 0.1).any(axis=0))[0]
        pieces.append(coverage[:, cols[0] : cols[-1] + 1])
    gaps = [int(rng.uniform(0.1, 0.4) * 20 * scale) for _ in pieces[1:]] + [0]
    width = sum(p.shape[1] for p in pieces) + sum(gaps)
    number = np.zeros((max(p.shape[0] for p in pieces), width), np.float32)
    boxes, x = [], 0
    for piece, gap in zip(pieces, gaps, strict=True):
        number[: piece.shape[0], x : x + piece.shape[1]] = piece
        rows = np.nonzero((piece > 0.1).any(axis=1))[0]
        boxes.append((x, int(rows[0]), piece.shape[1], int(rows[-1] - rows[0] + 1)))
        x += piece.shape[1] + gap
    rows = np.nonzero((number > 0.1).any(axis=1))[0]
    top = int(rows[0])
    return number[top : rows[-1] + 1], [(bx, by - top, bw, bh) for bx, by, bw, bh in boxes]


def _tight_crop(number, boxes, margin, rng, invert):
    """The number on evenly lit, slightly noisy paper with ``margin`` pixels around its ink."""
    coverage = cv2.copyMakeBorder(number, *(4 * [margin]), cv2.BORDER_CONSTANT, value=0)
    paper = rng.uniform(170.0, 245.0)
    image = paper * (1.0 - coverage * rng.uniform(0.65, 0.9))
    image += rng.normal(0.0, rng.uniform(1.0, 5.0), image.shape)
    image = np.clip(image + 0.5, 0, 255).astype(np.uint8)
    return 255 - image if invert else image, [
        (x + margin, y + margin, w, h) for x, y, w, h in boxes
    ]


@pytest.mark.mnist
def test_tight_crops_of_numbers_are_read_whatever_the_margin(mnist, shipped_recognizer):
    """30 numbers of 3-5 digits, cropped to their ink plus 0, 3 or 10 px, either polarity.

    Kernels sized from the image (light, rules, paper edges, polarity) once split
    digits that fill the image into fragments or lost them.
    """
    rng = np.random.default_rng(17)
    found, read_right, digits_right, raw_right, digits = 0, 0, 0, 0, 0
    for number_index in range(30):
        images, labels = _number(mnist, rng, int(rng.integers(3, 6)))
        text = "".join(str(v) for v in labels)
        raw = shipped_recognizer.probabilities(np.stack(images)).argmax(axis=1)
        number, boxes = _tight_number(images, rng)
        for margin in TIGHT_MARGINS:
            image, shifted = _tight_crop(number, boxes, margin, rng, invert=number_index % 2 == 1)
            reading = read_frame(shipped_recognizer, image)
            assert _found_once(reading.digits, shifted), (number_index, margin, reading.text)
            found += 1
            read_right += reading.text == text
            digits_right += sum(d.label == v for d, v in zip(reading.digits, labels, strict=True))
            raw_right += int((raw == labels).sum())
            digits += len(labels)
    # Every digit of every crop was found once, in order (as in 1350 crops over 15 seeds).
    # The reading can be no better than the classifier on the original 28x28 images: here
    # it reads 338 of those 342 digits (raw: 342) and 86 of the 90 crops (95.6%); over 15
    # seeds the digits read within 1.2% of raw and 90-100% of the crops read right, the
    # classifier itself misreading up to 10% of the numbers. The thresholds leave a margin
    # of three digits and of five crops.
    assert digits_right >= raw_right - 0.02 * digits
    assert read_right >= 0.9 * found


@pytest.mark.mnist
def test_a_tight_crop_of_one_digit_is_one_candidate(mnist):
    """40 single digits, each cropped to its ink plus 0, 3 and 10 px, either polarity."""
    rng = np.random.default_rng(18)
    whole = 0
    for index in range(40):
        digits, _ = _number(mnist, rng, 1)
        number, boxes = _tight_number(digits, rng)
        invert = index % 2 == 1
        roomy, _ = _tight_crop(number, boxes, 40, rng, invert)
        expected = len(find_digits(roomy))
        for margin in TIGHT_MARGINS:
            image, (box,) = _tight_crop(number, boxes, margin, rng, invert)
            candidates = find_digits(image)
            # However tight the crop, the digit is found as it is with room around it.
            assert len(candidates) == expected, (index, margin, [c.box for c in candidates])
            whole += _found_once(candidates, [box])
    # Measured: 120 of 120 crops here; over 13 seeds 1554 of 1560, and never a count that
    # differs from the roomy crop's. The misses are two MNIST 5s drawn in two pieces, the
    # top bar apart from the body: a lone broken digit is split at any margin, and in a
    # frame alike (no other digit tells its height). The threshold leaves two digits' margin.
    assert whole >= 3 * 40 - 6


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


def test_blank_ruled_and_squared_paper_at_any_angle_give_no_digits():
    """Rules cross the photo at any angle, cut short by its corners and by each other."""
    from tests.support.paper import photograph, rules

    rng = np.random.default_rng(16)
    with_digits = 0
    for i in range(30):
        shape = (int(rng.integers(120, 480)), int(rng.integers(200, 640)))
        absorbed = rules(
            shape, rng, rng.uniform(15, 40), rng.uniform(0, 180), i % 2 == 1, rng.uniform(0.1, 0.3)
        )
        try:
            with_digits += bool(find_digits(photograph(absorbed, rng)))
        except TooClutteredError:
            pass  # refused, not misread
    # Measured: none of 30 here (2 refused as too cluttered); 20 of 30 when rules were found
    # only as one long Hough segment and judged against a pen stroke measured on the rules.
    assert with_digits <= 3, with_digits


def test_a_security_pattern_alone_is_not_read_as_digits():
    """A cheque's guilloche with nothing written on it: a mesh with hundreds of loops."""
    from tests.support.paper import guilloche, photograph

    rng = np.random.default_rng(18)
    with_digits = 0
    for _ in range(20):
        shape = (int(rng.integers(80, 300)), int(rng.integers(150, 640)))
        with_digits += bool(find_digits(photograph(guilloche(shape, rng, 0.25), rng)))
    # Measured: 2 of 20 here (small pieces of the mesh); 10 of 20 before meshes were told
    # by their loops.
    assert with_digits <= 5, with_digits


def test_faint_ink_is_read_when_nothing_darker_is_there(mnist):
    """Rows written faintly (a fifth of the contrast): the darkest ink sets the threshold."""
    rng = np.random.default_rng(17)
    found = 0
    for _ in range(20):
        scene = _row(mnist, rng, 4)
        paper = 255.0 - (255.0 - scene.image.astype(np.float32)) * 0.2
        found += _found_once(find_digits(paper.astype(np.uint8)), scene.boxes)
    # Measured: 20 of 20; none with the fixed threshold of 16% of the paper's light.
    assert found >= 16, found


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
