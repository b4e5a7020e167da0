"""Real-handwriting loaders on tiny files written here, the writer split, the shared format."""

from __future__ import annotations

import re

import numpy as np
import pytest

from training.data import DataError
from training.drawing import (
    drawing_digit,
    low_resolution,
    model_image,
    model_pen_width,
    render_strokes,
    scan_digit,
    tablet_to_paper,
)
from training.real_data import (
    load_optdigits,
    load_pendigits,
    resolve_real_path,
    writer_folds,
    writer_split,
)

PEN_SAMPLE = """.SEGMENT DIGIT    {i} ? "{label}"
.COMMENT {label} {writer}  {i}
.PEN_DOWN
 100  400
 300  400
 200  100
.PEN_UP
.PEN_DOWN
 150  250
 260  250
.PEN_UP
.DT 100

"""


def write_pen(tmp_path, samples=((7, 3), (1, 4)), head='.LEXICON "0" "1"\n\n', tail=""):
    text = head + "".join(
        PEN_SAMPLE.format(i=i, label=label, writer=writer)
        for i, (label, writer) in enumerate(samples)
    )
    path = tmp_path / "pendigits-orig.tra"
    path.write_text(text + tail, encoding="latin-1")
    return path


def write_scan(tmp_path, digits, header_lines=21):
    lines = [f"header {i}" for i in range(header_lines)]
    for bitmap, label in digits:
        lines += ["".join(str(v) for v in row) for row in bitmap]
        lines.append(f" {label}")
    path = tmp_path / "optdigits-orig.tra"
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return path


def square_bitmap():
    bitmap = np.zeros((32, 32), dtype=np.uint8)
    bitmap[6:26, 10:14] = 1
    bitmap[6:10, 10:22] = 1
    return bitmap


def test_pendigits_reads_labels_writers_and_strokes(tmp_path):
    data = load_pendigits(write_pen(tmp_path))
    assert data.labels.tolist() == [7, 1]
    assert data.writers.tolist() == [3, 4]
    assert [len(s) for s in data.strokes] == [2, 2]
    assert data.strokes[0][0].tolist() == [[100, 400], [300, 400], [200, 100]]
    assert len(data.fingerprint) == 16


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda t: t.replace(" 300  400", " 300  x400", 1), "line 7: expected a point"),
        (lambda t: t.replace('"7"', '"A"', 1), 'line 3: expected .SEGMENT DIGIT n ? "d"'),
        (lambda t: t.replace(".PEN_UP\n.PEN_DOWN", ".PEN_DOWN", 1), "line 9: .PEN_DOWN inside"),
        (lambda t: t.replace(".COMMENT 7 3", ".COMMENT 5 3", 1), "differs from the segment's 7"),
        (lambda t: t.replace(".COMMENT 7 3  0\n", "", 1), "line 3: the sample has no '.COMMENT"),
        (lambda t: t.rsplit(".PEN_UP", 1)[0], "is not closed by .PEN_UP"),
        (lambda t: t.replace(".LEXICON", "stray words\n.LEXICON", 1), "line 1: unexpected text"),
    ],
)
def test_pendigits_malformed_files_name_the_line(tmp_path, edit, message):
    path = write_pen(tmp_path)
    path.write_text(edit(path.read_text(encoding="latin-1")), encoding="latin-1")
    with pytest.raises(DataError, match=re.escape(message)) as info:
        load_pendigits(path)
    assert str(path) in str(info.value)


def test_pendigits_empty_and_missing_files(tmp_path):
    path = tmp_path / "empty.tra"
    path.write_text(".LEXICON\n", encoding="latin-1")
    with pytest.raises(DataError, match="no digit samples"):
        load_pendigits(path)
    with pytest.raises(DataError, match="cannot read"):
        load_pendigits(tmp_path / "absent.tra")


def test_optdigits_reads_bitmaps_labels_and_writer_runs(tmp_path):
    bitmap = square_bitmap()
    data = load_optdigits(write_scan(tmp_path, [(bitmap, d % 10) for d in range(60)]))
    assert data.bitmaps.shape == (60, 32, 32)
    assert np.array_equal(data.bitmaps[0], bitmap)
    assert data.labels[:12].tolist() == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]
    # 30 writers in runs of consecutive digits.
    assert data.writers.tolist() == [w for w in range(30) for _ in range(2)]


def test_optdigits_malformed_files_name_the_line(tmp_path):
    bitmap = square_bitmap()
    path = write_scan(tmp_path, [(bitmap, 3), (bitmap, 4)])
    lines = path.read_text().splitlines()
    bad_row = list(lines)
    bad_row[21 + 33 + 5] = "0" * 31 + "2"
    path.write_text("\n".join(bad_row))
    with pytest.raises(DataError, match=r"line 60: expected 32 characters 0 or 1"):
        load_optdigits(path)
    bad_label = list(lines)
    bad_label[21 + 32] = " x"
    path.write_text("\n".join(bad_label))
    with pytest.raises(DataError, match=r"line 54: expected a digit label 0-9, got ' x'"):
        load_optdigits(path)
    path.write_text("\n".join(lines[:-3]))
    with pytest.raises(DataError, match="ends inside a digit"):
        load_optdigits(path)
    path.write_text("\n".join(lines[:30]))
    with pytest.raises(DataError, match="too few"):
        load_optdigits(path)


def test_resolve_real_path(tmp_path, monkeypatch):
    monkeypatch.delenv("LENET_REAL_DATA", raising=False)
    with pytest.raises(DataError, match="--real-data FOLDER or set LENET_REAL_DATA"):
        resolve_real_path("pendigits")
    write_pen(tmp_path)
    monkeypatch.setenv("LENET_REAL_DATA", str(tmp_path))
    assert resolve_real_path("pendigits") == tmp_path / "pendigits-orig.tra"
    with pytest.raises(DataError, match="optdigits file not found"):
        resolve_real_path("optdigits")


def test_writer_split_has_no_writer_on_two_sides():
    writers = np.random.default_rng(0).integers(1, 31, size=3000)
    split = writer_split(writers)
    sides = [set(writers[split[name]].tolist()) for name in ("train", "validation", "test")]
    assert [len(s) for s in sides] == [21, 3, 6]
    assert not (sides[0] & sides[1] or sides[0] & sides[2] or sides[1] & sides[2])
    assert sum(len(split[name]) for name in ("train", "validation", "test")) == 3000
    assert split["writers"]["test"] == [25, 26, 27, 28, 29, 30]
    with pytest.raises(DataError, match="at least 10"):
        writer_split(np.arange(9))


def test_writer_folds_test_every_writer_once_and_the_last_fold_is_the_default():
    writers = np.random.default_rng(1).integers(1, 31, size=3000)
    assert writer_folds(writers) == 5
    tested = []
    for fold in range(5):
        split = writer_split(writers, fold=fold)
        sides = [set(writers[split[name]].tolist()) for name in ("train", "validation", "test")]
        assert [len(s) for s in sides] == [21, 3, 6]
        assert not (sides[0] & sides[1] or sides[0] & sides[2] or sides[1] & sides[2])
        assert sum(len(split[name]) for name in ("train", "validation", "test")) == 3000
        tested += split["writers"]["test"]
    assert sorted(tested) == list(range(1, 31))
    assert writer_split(writers, fold=0)["writers"]["validation"] == [28, 29, 30]
    assert writer_split(writers, fold=2)["writers"]["validation"] == [10, 11, 12]
    last = writer_split(writers, fold=4)
    default = writer_split(writers)
    assert last["writers"] == default["writers"]
    assert all(np.array_equal(last[name], default[name]) for name in ("train", "test"))
    for fold in (5, -1):
        with pytest.raises(DataError, match=r"writer fold .* 5 folds of 6 test writers \(0 to 4\)"):
            writer_split(writers, fold=fold)


def test_drawing_digit_is_the_apps_preprocessing_of_a_drawing():
    from lenet_desktop.vision import preprocess_digit

    strokes = tablet_to_paper([np.array([[100, 400], [300, 400], [200, 100]])])
    image = model_image(strokes)
    app = preprocess_digit(image, ink="dark", remove_lighting=False).digit
    assert np.abs(drawing_digit(image) - app).max() < 1e-6


def test_scan_digit_is_the_apps_preprocessing_of_a_clean_scan():
    from lenet_desktop.vision import preprocess_digit

    bitmap = square_bitmap()
    paper = np.pad(255 - bitmap * 255, 16, constant_values=255).astype(np.uint8)
    app = preprocess_digit(paper, ink="dark", remove_lighting=False).digit
    assert np.abs(scan_digit(bitmap) - app).max() < 1e-6


def test_model_image_pen_width_follows_the_digit_not_the_pen():
    small = [[(100.0, 100.0), (130.0, 100.0), (115.0, 150.0)]]
    large = [[(40.0, 40.0), (160.0, 40.0), (100.0, 240.0)]]
    assert model_pen_width(large) == pytest.approx(4 * model_pen_width(small))
    digits = [drawing_digit(model_image(s)) for s in (small, large)]
    assert np.abs(digits[0] - digits[1]).mean() < 0.03
    assert drawing_digit(render_strokes(small, 30)).sum() > 1.5 * digits[0].sum()


def test_low_resolution_scans():
    bitmap = np.roll(square_bitmap(), 1, axis=(0, 1))  # edges inside 2x2 cells
    grey = low_resolution(bitmap, 16)
    binary = low_resolution(bitmap, 16, binary=True)
    assert grey.shape == binary.shape == (16, 16)
    assert set(np.unique(binary).tolist()) == {0.0, 1.0}
    assert len(np.unique(grey)) > 2
    assert scan_digit(binary).shape == (28, 28)
    assert scan_digit(np.zeros((32, 32), np.uint8)) is None
