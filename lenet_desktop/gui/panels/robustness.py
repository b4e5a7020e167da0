"""Test-set accuracy of the model against rotation range, shift range and flip.

The figures come from the model's sidecar (``robustness_curves``, written by
``lenet-train``), so showing them costs nothing. For a model without them the
panel computes them with :func:`lenet_desktop.model.probes.robustness_on_test_set`
on the MNIST test set in a background thread, once the panel is on screen.
"""

from __future__ import annotations

import weakref

import numpy as np
from matplotlib.figure import Figure
from PySide6.QtCore import Slot
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from lenet_desktop.gui.panels.base import InsightPanel
from lenet_desktop.gui.panels.blit_canvas import BlitCanvasWidget
from lenet_desktop.gui.panels.test_set import JobRunner, SharedMnist
from lenet_desktop.model.probes import robustness_on_test_set

CAPTION = (
    "Accuracy on the MNIST test digits when each is rotated by a random angle within "
    "± the range, shifted sideways by a random whole number of pixels within ± the range, "
    "or mirrored. The classic LeNet-5 study found accuracy holds to about 20° of rotation "
    "but collapses under shifts of a few pixels."
)


def curves_from_sidecar(sidecar: dict) -> dict | None:
    """The sidecar's ``robustness_curves`` when they are complete, else ``None``."""
    curves = sidecar.get("robustness_curves") if isinstance(sidecar, dict) else None
    try:
        for key in ("rotation", "shift"):
            if len(curves[key]["ranges"]) != len(curves[key]["accuracy"]):
                return None
        float(curves["flip"])
        float(curves["clean"])
    except (KeyError, TypeError, ValueError):
        return None
    return curves


def training_note(sidecar: dict) -> str:
    """How the model was augmented in training, which decides how robust it is."""
    augmentation = (sidecar.get("config") or {}).get("augmentation") or {}
    rotation = float(augmentation.get("rotation") or 0)
    shift = float(augmentation.get("shift") or 0)
    if not augmentation:
        return ""
    if rotation == 0 and shift == 0:
        return "Trained without rotation or shift augmentation."
    return f"Trained with random rotations up to ±{rotation:g}° and shifts up to ±{shift:g} px."


class RobustnessPanel(InsightPanel):
    """Accuracy curves of the model under rotation, shift and flip, from the sidecar or computed."""

    def __init__(self, mnist: SharedMnist | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.mnist = mnist or SharedMnist()
        self.recognizer = None
        self.curves: dict | None = None
        self.source = ""
        self._computed = weakref.WeakKeyDictionary()
        self.jobs = JobRunner()
        self._wanted = False
        self.figure = Figure(figsize=(4.4, 5.0), dpi=100)
        self.canvas = BlitCanvasWidget(self.figure)
        self.canvas.setObjectName("robustnessCanvas")
        self.caption = QLabel(CAPTION)
        self.caption.setWordWrap(True)
        self.status = QLabel("")
        self.status.setObjectName("robustnessStatus")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.caption)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.status)
        self._draw()

    # -- public API ----------------------------------------------------------------
    def set_recognizer(self, recognizer) -> None:
        """Show a new model's figures; compute them in the background when it has none."""
        self.jobs.cancel()
        self.recognizer = recognizer
        self._wanted = False
        if recognizer is None:
            self.curves, self.source = None, ""
            self.status.setText("Loading the model…")
        elif curves_from_sidecar(recognizer.sidecar) is not None:
            self.curves = curves_from_sidecar(recognizer.sidecar)
            self.source = "sidecar"
            self.status.setText(
                f"From {recognizer.display_name}'s sidecar (computed at training). "
                + training_note(recognizer.sidecar)
            )
        elif recognizer in self._computed:
            self.curves, self.source = self._computed[recognizer], "computed"
            self.status.setText("Computed on the MNIST test set.")
        else:
            self.curves, self.source = None, ""
            self._wanted = True
            self.status.setText(
                f"{recognizer.display_name} has no robustness figures; they are computed "
                "on the MNIST test set when this panel is shown."
            )
            if self.on_screen:
                self._start_job()
        self._draw()

    def is_computing(self) -> bool:
        """Whether the figures are being computed."""
        return self.jobs.busy()

    def shutdown(self) -> None:
        """Stop a running computation and join its thread."""
        self.jobs.shutdown()

    def came_on_screen(self) -> None:
        """Start the computation that waited for the panel to be shown."""
        if self._wanted:
            self._start_job()

    # -- background computation --------------------------------------------------------
    def _start_job(self) -> None:
        recognizer, mnist = self.recognizer, self.mnist

        def compute(stop):
            data = mnist.load()
            return robustness_on_test_set(recognizer, data.x_test, data.y_test, stop)

        self._wanted = False
        self.status.setText("Computing the robustness figures on the MNIST test set…")
        self.jobs.start(compute, recognizer, self._job_finished, self._job_failed)

    @Slot(object, object)
    def _job_finished(self, token, curves) -> None:
        if token is not self.recognizer:
            return
        self._computed[token] = curves
        self.curves, self.source = curves, "computed"
        self.status.setText(
            "Computed now on the MNIST test set (not saved to the model's sidecar)."
        )
        self._draw()

    @Slot(object, str)
    def _job_failed(self, token, message: str) -> None:
        if token is not self.recognizer:
            return
        self.status.setText(
            f"Cannot compute the robustness figures: {message}\n"
            "Point LENET_MNIST at an mnist.npz file and load the model again."
        )
        self._draw()

    # -- drawing ---------------------------------------------------------------------------
    def _draw(self) -> None:
        fig = self.figure
        fig.clear()
        if self.curves is None:
            text = "No robustness figures yet." if self.recognizer is not None else ""
            fig.text(0.5, 0.5, text, ha="center", va="center", fontsize=10)
            self.canvas.draw_idle()
            return
        curves = self.curves
        clean = 100 * float(curves["clean"])
        grid = fig.add_gridspec(3, 1, height_ratios=[1, 1, 0.55], hspace=0.75)
        fig.subplots_adjust(left=0.14, right=0.96, top=0.93, bottom=0.08)
        self.axes = {}
        for row, (key, label, unit) in enumerate(
            (
                ("rotation", "random rotation within ±range", "°"),
                ("shift", "random x-shift within ±range", " px"),
            )
        ):
            ax = fig.add_subplot(grid[row, 0])
            ranges = np.asarray(curves[key]["ranges"], dtype=float)
            accuracy = 100 * np.asarray(curves[key]["accuracy"], dtype=float)
            ax.plot(ranges, accuracy, marker="o", ms=3, color="#1f77b4", label="this model")
            ax.axhline(clean, color="grey", ls="--", lw=1, label=f"no distortion {clean:.1f}%")
            if key == "rotation" and ranges.max() > 20:
                ax.axvline(20, color="#999999", ls=":", lw=1)
                ax.text(21, 42, "about 20°: the limit\nin the LeNet-5 study", fontsize=6)
            ax.set_ylim(0, 101)
            ax.set_xlim(ranges.min(), ranges.max())
            ax.set_ylabel("test accuracy (%)", fontsize=7)
            ax.set_xlabel(f"range ({unit.strip()})", fontsize=7)
            ax.set_title(f"Accuracy vs {label}", fontsize=8, loc="left")
            ax.tick_params(labelsize=7)
            ax.grid(alpha=0.3)
            ax.legend(fontsize=6, loc="lower right", frameon=False)
            ax.annotate(
                f"{accuracy[-1]:.0f}%",
                (ranges[-1], accuracy[-1]),
                textcoords="offset points",
                xytext=(-4, -10),
                fontsize=7,
                ha="right",
            )
            self.axes[key] = ax
        ax = fig.add_subplot(grid[2, 0])
        flip = 100 * float(curves["flip"])
        bars = ax.barh([1, 0], [clean, flip], color=["#7f7f7f", "#d62728"], height=0.6)
        ax.set_yticks([1, 0], ["as is", "mirrored"])
        ax.set_xlim(0, 100)
        ax.set_xlabel("test accuracy (%)", fontsize=7)
        ax.set_title("Accuracy on mirrored (left–right flipped) digits", fontsize=8, loc="left")
        ax.tick_params(labelsize=7)
        for bar, value in zip(bars, (clean, flip), strict=True):
            ax.text(
                min(value + 1, 88),
                bar.get_y() + bar.get_height() / 2,
                f"{value:.1f}%",
                va="center",
                fontsize=7,
            )
        self.axes["flip"] = ax
        self.canvas.draw_idle()

    def shown_curve(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """(ranges, accuracy in %) plotted for ``"rotation"`` or ``"shift"``."""
        line = self.axes[key].get_lines()[0]
        return np.asarray(line.get_xdata()), np.asarray(line.get_ydata())
