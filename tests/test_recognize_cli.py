"""``lenet-desktop recognize``: digits of many files in one run, per-file errors, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from lenet_desktop.cli import main
from tests.support.scenes import digit_canvas, digit_row_photo

REPO = Path(__file__).resolve().parents[1]


def _first(mnist, label):
    return mnist.x_test[int(np.flatnonzero(mnist.y_test == label)[0])]


@pytest.fixture
def photos(tmp_path, mnist):
    rng = np.random.default_rng(7)
    number = digit_row_photo([_first(mnist, k) for k in (2, 0, 2, 6)], rng)
    seven = digit_canvas(_first(mnist, 7), rng)
    paths = {
        "number": tmp_path / "number.png",
        "seven": tmp_path / "seven.png",
        "colour": tmp_path / "number colour.jpg",
        "blank": tmp_path / "blank.png",
        "text": tmp_path / "notes.png",
    }
    cv2.imwrite(str(paths["number"]), number.image)
    cv2.imwrite(str(paths["seven"]), seven.image)
    cv2.imwrite(str(paths["colour"]), cv2.cvtColor(number.image, cv2.COLOR_GRAY2BGR))
    cv2.imwrite(str(paths["blank"]), np.full((120, 160), 250, np.uint8))
    paths["text"].write_text("hello")
    return {name: str(path) for name, path in paths.items()}, number


@pytest.mark.mnist
def test_reads_numbers_and_reports_boxes(photos, capsys):
    paths, number = photos
    assert main([paths["number"], paths["colour"], paths["blank"]]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{paths['number']}: 2026  (4 digits)"
    x = number.boxes[0][0]
    assert out[1].split()[0] == "2" and "box x=" in out[1]
    shown_x = int(out[1].split("x=")[1].split()[0])
    assert abs(shown_x - x) <= 4
    assert f"{paths['colour']}: 2026  (4 digits)" in out
    assert f"{paths['blank']}: no digits found" in out


@pytest.mark.mnist
def test_json_output(photos, capsys, shipped_recognizer):
    from lenet_desktop.model.reading import read_frame

    paths, number = photos
    assert main([paths["number"], paths["seven"], "--json"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert [r["file"] for r in results] == [paths["number"], paths["seven"]]
    first = results[0]
    assert first["ok"] and first["text"] == "2026"
    assert [d["label"] for d in first["digits"]] == [2, 0, 2, 6]
    # The whole number's confidence: the digits' product, lowered by any doubt about a cut.
    product = np.prod([d["confidence"] for d in first["digits"]])
    in_process = read_frame(shipped_recognizer, cv2.imread(paths["number"], cv2.IMREAD_GRAYSCALE))
    assert first["confidence"] == pytest.approx(in_process.confidence, abs=1e-5)
    assert first["confidence"] <= product + 1e-5
    assert isinstance(first["sure"], bool) and first["separators"] == []
    for digit, box in zip(first["digits"], number.boxes, strict=True):
        assert 0.0 <= digit["confidence"] <= 1.0 and digit["line"] == 0
        assert abs(digit["box"][0] - box[0]) <= 4 and len(digit["box"]) == 4


@pytest.mark.mnist
def test_single_treats_the_whole_image_as_one_digit(photos, capsys):
    paths, _ = photos
    assert main(["--single", "--json", paths["seven"], paths["blank"]]) == 0
    seven, blank = json.loads(capsys.readouterr().out)
    assert seven["text"] == "7" and len(seven["digits"]) == 1
    assert blank["ok"] and blank["digits"] == [] and blank["text"] == ""


@pytest.mark.mnist
def test_bad_files_fail_alone(photos, capsys, tmp_path):
    paths, _ = photos
    missing = str(tmp_path / "missing.png")
    code = main([paths["text"], paths["number"], missing, "--json"])
    assert code == 1
    captured = capsys.readouterr()
    results = json.loads(captured.out)
    assert [r["ok"] for r in results] == [False, True, False]
    assert results[1]["text"] == "2026"
    assert "not an image" in results[0]["error"] and "no such file" in results[2]["error"]
    assert f"{missing}: error: no such file" in captured.err
    assert main([missing]) == 1
    assert "error: no such file" in capsys.readouterr().err


def test_usage_and_model_errors_exit_2(tmp_path, capsys):
    assert main([]) == 2
    assert "usage: lenet-desktop recognize" in capsys.readouterr().err
    assert main(["x.png", "--bogus"]) == 2
    capsys.readouterr()
    bad_model = tmp_path / "model.keras"
    bad_model.write_text("not a model")
    assert main(["x.png", "--model", str(bad_model)]) == 2
    assert "model.keras" in capsys.readouterr().err
    assert main(["x.png", "--model", str(tmp_path / "none.keras")]) == 2
    assert "not found" in capsys.readouterr().err
    assert main(["--help"]) == 0
    assert "--single" in capsys.readouterr().out


@pytest.mark.mnist
def test_runs_as_a_module_in_one_process(photos):
    """``python -m lenet_desktop.cli`` reads several files in one process and batch."""
    paths, _ = photos
    command = [sys.executable, "-m", "lenet_desktop.cli", paths["number"], paths["seven"]]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=REPO)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].endswith(": 2026  (4 digits)")
    assert f"{paths['seven']}: 7  (1 digit)" in lines


def _fields(reading):
    """What a reading says; its scores come apart in :func:`_scores`."""
    digits = [(d.label, d.box, d.line, d.digit.tobytes()) for d in reading.digits]
    separators = [(s.char, s.box, s.line) for s in reading.separators]
    return reading.error, reading.text, reading.sure, digits, separators


def _scores(readings):
    # Scores differ in the last bits with the batch they were classified in (each process
    # classifies its own files): compared to float32 precision (the JSON gives four places).
    scores = [[r.confidence] + [d.confidence for d in r.digits] for r in readings]
    return [pytest.approx(row, rel=1e-5, abs=1e-6) for row in scores]


@pytest.mark.mnist
@pytest.mark.parametrize(("single", "tensorflow"), [(False, False), (True, False), (True, True)])
def test_worker_processes_read_what_one_process_reads(
    photos, shipped_model_path, monkeypatch, tmp_path, single, tensorflow
):
    """Many files go to forked workers: the readings are those of the one-process path.

    Each process classifies what it found, unless the model runs in TensorFlow
    (whose threads do not survive a fork): then this process classifies it all.
    """
    import lenet_desktop.cli as cli
    from lenet_desktop.model import Recognizer, reading

    shipped_recognizer = Recognizer.from_file(shipped_model_path)
    assert shipped_recognizer.engine == "numpy"
    readings_of = reading.readings_of

    def noting_the_process(recognizer, found):
        (tmp_path / f"classified-in-{os.getpid()}").touch()
        return readings_of(recognizer, found)

    monkeypatch.setattr(reading, "readings_of", noting_the_process)
    if tensorflow:
        monkeypatch.setattr(Recognizer, "engine", property(lambda self: "tensorflow"))

    paths, _ = photos
    files = [paths[name] for name in ("number", "text", "seven", "blank", "colour")] * 2
    monkeypatch.setattr(cli, "PARALLEL_FILES", 4)
    monkeypatch.setattr(cli, "CHUNK_FILES", 2)
    cores = len(os.sched_getaffinity(0))
    assert cli._workers(len(files)) == min(cores - 1, len(files) // 2 - 1)
    assert cli._workers(3) == 0
    import cv2

    threads = cv2.getNumThreads()
    alone = cli._read_in_parallel(shipped_recognizer, files, 2, None, single, "auto")
    # Each process reads on one OpenCV thread meanwhile; this one gets its threads back.
    assert cv2.getNumThreads() == threads
    notes = {path.name for path in tmp_path.glob("classified-in-*")}
    assert f"classified-in-{os.getpid()}" in notes
    assert len(notes) == (1 if tensorflow else 1 + 2)  # this process and its 2 workers
    together = reading.read_many(shipped_recognizer, cli._images(files), single=single)
    assert [_fields(r) for r in alone] == [_fields(r) for r in together]
    assert _scores(together) == [[r.confidence] + [d.confidence for d in r.digits] for r in alone]
    assert [r.ok for r in alone] == [True, False, True, True, True] * 2
    # A file whose reading fails in a worker, in a way no check foresaw, fails alone.
    find_in = reading.find_in

    def failing(image, *args):
        if image.ndim == 3:  # the colour copy
            raise MemoryError
        return find_in(image, *args)

    monkeypatch.setattr(reading, "find_in", failing)
    failed = cli._read_in_parallel(shipped_recognizer, files, 2, None, single, "auto")
    assert [r.error for r in failed][4::5] == ["not enough memory to read it"] * 2
    assert [_fields(r) for i, r in enumerate(failed) if i % 5 != 4] == [
        _fields(r) for i, r in enumerate(together) if i % 5 != 4
    ]
