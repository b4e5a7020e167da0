"""Real handwriting of writers never trained on: the shipped model beside a MNIST-only one.

Prints, per model, the accuracy on

* the MNIST test set, and within ±30° random rotation;
* the held-out pen writers of ``pendigits-orig.tra`` (UCI, CC BY 4.0) drawn
  with pen widths 6, 18 and 40: through the app's real canvas widget
  (``DrawCanvasWidget``, offscreen, then the Draw tab's
  ``preprocess_digit``), and, for comparison, with the ink at the raw pen
  width (what the canvas gave the model before its pen was normalised);
* the held-out scan writers of ``optdigits-orig.tra`` (UCI, CC BY 4.0) as
  32x32 bitmaps, and at 16x16 binary and grey, upsampled.

The held-out writers are those of :func:`training.real_data.writer_split`
(the last 6 writers of each file); neither model trained on them. The
MNIST-only model is ``bench/models/mnist-only.keras``, the model shipped
before the real sources were added (``lenet-train --preset shipped`` of
that time: MNIST alone, rotation/shift/zoom/thickness augmentation).

Usage::

    LENET_MNIST=../shared/data/mnist.npz LENET_REAL_DATA=../shared/data/real \\
        python bench/real_handwriting.py [--model assets/lenet5.keras]
        [--baseline bench/models/mnist-only.keras] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

PEN_WIDTHS = (6, 18, 40)


def canvas_digits(strokes_list, width: int) -> np.ndarray:
    """Each sample drawn on the app's canvas widget with pen ``width``, read as the Draw tab."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from lenet_desktop.gui.inputs.canvas import DrawCanvasWidget
    from lenet_desktop.vision import preprocess_digit

    app = QApplication.instance() or QApplication([])
    canvas = DrawCanvasWidget()
    canvas.resize(400, 400)
    canvas.set_pen_width(width)
    out = np.zeros((len(strokes_list), 28, 28), np.float32)
    for i, strokes in enumerate(strokes_list):
        canvas.set_strokes(strokes)
        result = preprocess_digit(canvas.render_gray(), ink="dark", remove_lighting=False)
        if result.found:
            out[i] = result.digit
    canvas.deleteLater()
    app.processEvents()
    return out


def raw_pen_digits(strokes_list, width: int) -> np.ndarray:
    """Each sample with its ink at the raw pen width, then the app's drawing preprocessing."""
    from training.drawing import drawing_digit, render_strokes

    out = np.zeros((len(strokes_list), 28, 28), np.float32)
    for i, strokes in enumerate(strokes_list):
        digit = drawing_digit(render_strokes(strokes, width))
        if digit is not None:
            out[i] = digit
    return out


def measure(models: dict, folder) -> dict:
    """Accuracy of each model on every source (see the module docstring)."""
    from training.data import load_mnist
    from training.drawing import tablet_to_paper
    from training.evaluate import predict_classes
    from training.mix import held_out_sets, load_source
    from training.real_data import writer_split
    from training.transforms import random_rotation

    mnist = load_mnist()
    pen = load_source("pendigits", folder)
    test = pen.subset(writer_split(pen.writers)["test"])
    strokes = [tablet_to_paper(s) for s in test.strokes]
    inputs = {"MNIST test": (mnist.x_test, mnist.y_test)}
    inputs["MNIST test, rotation within ±30°"] = (
        random_rotation(mnist.x_test, 30, seed=30),
        mnist.y_test,
    )
    for width in PEN_WIDTHS:
        inputs[f"pen writers, canvas, pen {width}"] = (canvas_digits(strokes, width), test.labels)
    for width in PEN_WIDTHS:
        inputs[f"pen writers, raw pen {width} (old canvas)"] = (
            raw_pen_digits(strokes, width),
            test.labels,
        )
    scans = held_out_sets(folder, sources=("optdigits",))
    inputs["scan writers, 32x32"] = scans["optdigits"]
    inputs["scan writers, 16x16 binary"] = scans["optdigits_binary16"]
    inputs["scan writers, 16x16 grey"] = scans["optdigits_grey16"]
    figures = {}
    for name, model in models.items():
        figures[name] = {
            source: float(np.mean(predict_classes(model, x) == np.asarray(y)))
            for source, (x, y) in inputs.items()
        }
    counts = {source: int(len(y)) for source, (_, y) in inputs.items()}
    return {"figures": figures, "images": counts, "pen_writers": test.writers.tolist()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=str(REPO / "assets" / "lenet5.keras"))
    parser.add_argument("--baseline", default=str(REPO / "bench" / "models" / "mnist-only.keras"))
    parser.add_argument("--real-data", metavar="FOLDER", help="default: $LENET_REAL_DATA")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from training.model_io import load_model

    models = {"shipped": load_model(args.model), "MNIST-only": load_model(args.baseline)}
    result = measure(models, args.real_data)
    names = list(models)
    print(f"{'source (held-out writers)':<44}" + "".join(f"{n:>12}" for n in names) + "  images")
    for source, count in result["images"].items():
        row = "".join(f"{result['figures'][n][source] * 100:11.2f}%" for n in names)
        print(f"{source:<44}{row}  {count}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
