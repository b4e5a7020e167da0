"""Rotate, shift and flip the current input and watch the prediction change.

The sliders apply :func:`lenet_desktop.model.probes.transformed_input` (the
same transform the robustness figures use) and classify the result at once.
The curves of every class's probability against rotation, x-shift and y-shift
(each one batched call, the other settings held at the sliders' values) come
from a :class:`~lenet_desktop.gui.panels.test_set.SweepWorker` thread; while
one sweep runs, newer requests wait and only the latest is computed.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QPushButton, QSlider, QWidget

from lenet_desktop.gui import palette
from lenet_desktop.gui.panels import imaging
from lenet_desktop.gui.panels.base import FigurePanel
from lenet_desktop.gui.panels.layout import Row
from lenet_desktop.gui.panels.sweeps import SweepRequest, compute_sweeps
from lenet_desktop.gui.session import Session
from lenet_desktop.gui.threads import JobSlot, WorkerRegistry
from lenet_desktop.model.explanation import Explanation
from lenet_desktop.model.probes import ANGLES, SHIFTS, transformed_input

CLASS_COLOURS = [f"C{k}" for k in range(10)]


def _slider(low: int, high: int, name: str) -> QSlider:
    slider = QSlider(Qt.Orientation.Horizontal)
    slider.setRange(low, high)
    slider.setValue(0)
    slider.setObjectName(name)
    return slider


class TransformPanel(FigurePanel):
    """Sliders that rotate, shift and flip the input, its prediction, and probability curves."""

    title = "Rotate / shift / flip"
    margins = (30.0, 16.0, 4.0)
    shrinks = False

    def __init__(self, session: Session, workers: WorkerRegistry, parent: QWidget | None = None):
        super().__init__(session, "transform", figsize=(4.4, 5.0), hover=False, parent=parent)
        self.explanation: Explanation | None = None
        self.digit: np.ndarray | None = None
        self.transformed: np.ndarray | None = None
        self.prediction: tuple[int, float, np.ndarray] | None = None
        self.curves: dict[str, np.ndarray] = {}
        self.angle_range: tuple[float, float] | None = None
        self.reference_label: int | None = None
        self._version = 0
        self._curve_keys: dict[str, tuple] = {}
        self.sweeps = JobSlot(workers, "Computing the rotation and shift curves")
        self.sweeps.done.connect(self._request_sweeps)

        self.rotation = _slider(-180, 180, "rotationSlider")
        self.shift_x = _slider(-14, 14, "shiftXSlider")
        self.shift_y = _slider(-14, 14, "shiftYSlider")
        self.flip = QCheckBox("Flip left–right")
        self.flip.setObjectName("flipCheck")
        self.reset = QPushButton("Reset")
        self.values = QLabel("")
        self.statement = QLabel("")
        self.statement.setObjectName("angleRangeLabel")
        self.statement.setWordWrap(True)
        controls = QGridLayout()
        for row, (label, slider) in enumerate(
            (("Rotation", self.rotation), ("Shift x", self.shift_x), ("Shift y", self.shift_y))
        ):
            controls.addWidget(QLabel(label), row, 0)
            controls.addWidget(slider, row, 1)
        controls.addWidget(self.flip, 3, 0, 1, 2)
        controls.addWidget(self.reset, 3, 1, Qt.AlignmentFlag.AlignRight)
        controls.addWidget(self.values, 4, 0, 1, 2)
        self.add_above(controls)
        self.add_below(self.statement)
        self._build_figure()

        for slider in (self.rotation, self.shift_x, self.shift_y):
            slider.valueChanged.connect(self._settings_changed)
        self.flip.toggled.connect(self._settings_changed)
        self.reset.clicked.connect(self.reset_settings)
        self._show_values()
        self.follow_session()

    # -- public API -------------------------------------------------------------------
    def settings(self) -> tuple[float, float, float, bool]:
        """(angle, dx, dy, flip) as set on the sliders."""
        return (
            float(self.rotation.value()),
            float(self.shift_x.value()),
            float(self.shift_y.value()),
            self.flip.isChecked(),
        )

    def reset_settings(self) -> None:
        """Sliders back to 0 and flip off."""
        for widget in (self.rotation, self.shift_x, self.shift_y, self.flip):
            widget.blockSignals(True)
        self.rotation.setValue(0)
        self.shift_x.setValue(0)
        self.shift_y.setValue(0)
        self.flip.setChecked(False)
        for widget in (self.rotation, self.shift_x, self.shift_y, self.flip):
            widget.blockSignals(False)
        self._settings_changed()

    def sweeps_busy(self) -> bool:
        """Whether curves are being computed."""
        return self.sweeps.busy()

    # -- the session ---------------------------------------------------------------------
    def model_changed(self, recognizer) -> None:
        """Curves of the old model are void (the explanation by the new one follows)."""
        self.sweeps.cancel()
        self._version += 1
        self._curve_keys = {}

    def show_explanation(self, explanation: Explanation | None) -> None:
        """Explore a new input (``None`` clears the panel)."""
        self.explanation = explanation
        self.digit = None if explanation is None else explanation.image
        self._version += 1
        self._curve_keys = {}
        self._apply(request_sweeps=True)

    def came_on_screen(self) -> None:
        """Compute the curves that waited for the panel to be shown."""
        self._request_sweeps()

    # -- figure ------------------------------------------------------------------------
    def _build_figure(self) -> None:
        fig = self.figure
        blank = np.full((28, 28), np.nan, np.float32)
        self.ax_input = fig.add_axes((0, 0, 1, 1))
        self.ax_moved = fig.add_axes((0, 0, 1, 1))
        self.ax_probs = fig.add_axes((0, 0, 1, 1))
        gray = imaging.input_colormap()
        self.input_image = self.ax_input.imshow(blank, cmap=gray, vmin=0, vmax=1)
        self.moved_image = self.ax_moved.imshow(blank, cmap=gray, vmin=0, vmax=1)
        self.ax_input.set_title("input", fontsize=palette.TEXT_PT, loc="left")
        self.moved_title = self.ax_moved.set_title(
            "transformed", fontsize=palette.TEXT_PT, loc="left"
        )
        for ax in (self.ax_input, self.ax_moved):
            ax.set_xticks([])
            ax.set_yticks([])
        self.bars = self.ax_probs.bar(range(10), np.zeros(10), color=palette.BAR, width=0.7)
        self.ax_probs.set_ylim(0, 1)
        self.ax_probs.set_xticks(range(10))
        self.ax_probs.set_yticks([])
        self.ax_probs.tick_params(labelsize=palette.TEXT_PT, length=2)
        self.probs_title = self.ax_probs.set_title("answer", fontsize=palette.TEXT_PT, loc="left")
        self.curve_axes = {}
        self.curve_lines = {}
        self.markers = {}
        specs = (
            ("rotation", ANGLES, "rotation (°)"),
            ("x", SHIFTS, "shift x (px)"),
            ("y", SHIFTS, "shift y (px)"),
        )
        for key, xs, label in specs:
            ax = fig.add_axes((0, 0, 1, 1))
            ax.set_xlim(xs[0], xs[-1])
            ax.set_ylim(-0.02, 1.02)
            ax.set_yticks([0, 0.5, 1])
            ax.tick_params(labelsize=palette.TEXT_PT, length=2)
            ax.set_title(f"class probabilities vs {label}", fontsize=palette.TITLE_PT, loc="left")
            ax.grid(alpha=0.3)
            lines = [
                ax.plot(xs, np.full(len(xs), np.nan), color=CLASS_COLOURS[k], lw=1.2)[0]
                for k in range(10)
            ]
            marker = ax.axvline(0, color="black", lw=1, ls="--")
            self.curve_axes[key], self.curve_lines[key], self.markers[key] = ax, lines, marker
            self.canvas.add_animated(*lines, marker)
        self.span = self.curve_axes["rotation"].axvspan(0, 0, color="#2a9d8f", alpha=0.15, lw=0)
        self.curve_axes["rotation"].set_xticks([-180, -90, 0, 90, 180])
        self.curve_axes["rotation"].set_xticks([-135, -45, 45, 135], minor=True)
        # The class colours in a row of their own: anchored to a curve's axes, the
        # legend would move with its height into the title or the row above.
        self.ax_legend = fig.add_axes((0, 0, 1, 1))
        self.ax_legend.axis("off")
        self.ax_legend.legend(
            self.curve_lines["rotation"],
            [f"{k}" for k in range(10)],
            ncol=10,
            fontsize=palette.TEXT_PT,
            loc="center",
            frameon=False,
            handlelength=0.8,
            handletextpad=0.3,
            columnspacing=0.6,
            borderaxespad=0,
        )
        self.canvas.add_animated(
            self.input_image, self.moved_image, self.moved_title, self.probs_title, self.span
        )
        self.canvas.add_animated(*self.bars.patches)
        self.rows = [
            Row([self.ax_input, self.ax_moved, self.ax_probs], aspect=0.27, widths=[1, 1, 1.3]),
            Row([self.ax_legend], height_px=14, below_px=4),
            Row([self.curve_axes["rotation"]], aspect=0.3, below_px=24),
            Row([self.curve_axes["x"]], aspect=0.24, below_px=24),
            Row([self.curve_axes["y"]], aspect=0.24, below_px=18),
        ]

    # -- updates -------------------------------------------------------------------------
    @Slot()
    def _settings_changed(self) -> None:
        self._show_values()
        if not self.on_screen:
            self.mark_stale()
            return
        self._apply(request_sweeps=True)

    def _show_values(self) -> None:
        angle, dx, dy, flip = self.settings()
        flipped = ", flipped" if flip else ""
        self.values.setText(f"rotation {angle:+.0f}°, shift ({dx:+.0f}, {dy:+.0f}) px{flipped}")

    def _apply(self, request_sweeps: bool) -> None:
        angle, dx, dy, flip = self.settings()
        for key, value in (("rotation", angle), ("x", dx), ("y", dy)):
            self.markers[key].set_xdata([value, value])
        if self.digit is None or self.recognizer is None:
            self._clear()
            self.canvas.refresh()
            return
        if (angle, dx, dy, flip) == (0.0, 0.0, 0.0, False):
            # At rest the input is the explained one: its answer is already known.
            self.transformed = self.digit
            self.prediction = self.explanation.answer()
        else:
            self.transformed = transformed_input(self.digit, angle, dx, dy, flip)
            self.prediction = self.recognizer.classify(self.transformed)
        label, confidence, probs = self.prediction
        self.input_image.set_data(self.digit)
        self.moved_image.set_data(self.transformed)
        for digit, (patch, value) in enumerate(zip(self.bars.patches, probs, strict=True)):
            patch.set_height(float(value))
            patch.set_facecolor(palette.TOP_BAR if digit == label else palette.BAR)
        self.probs_title.set_text(f"answer {label}, {confidence:.0%}")
        self.canvas.refresh()
        if request_sweeps:
            self._request_sweeps()

    def _clear(self) -> None:
        blank = np.full((28, 28), np.nan, np.float32)
        self.transformed = self.prediction = None
        self.input_image.set_data(blank)
        self.moved_image.set_data(blank)
        for patch in self.bars.patches:
            patch.set_height(0.0)
        self.probs_title.set_text("answer: no input")
        for lines in self.curve_lines.values():
            for line in lines:
                line.set_ydata(np.full(len(line.get_xdata()), np.nan))
        self.curves = {}
        self.angle_range = self.reference_label = None
        self.span.set_visible(False)
        message = "Draw a digit (or click one in a photo) to explore it."
        self.statement.setText("" if self.recognizer is None else message)

    def _request_sweeps(self) -> None:
        """Start computing the curves that are stale, unless a computation is running.

        When the running one is done (``sweeps.done``) this runs again, so the
        curves always catch up with the latest settings, one job at a time.
        """
        if self.sweeps.busy() or not self.on_screen:
            return
        if self.digit is None or self.recognizer is None:
            return
        angle, dx, dy, flip = self.settings()
        keys = {
            "rotation": (self._version, dx, dy, flip),
            "x": (self._version, angle, dy, flip),
            "y": (self._version, angle, dx, flip),
        }
        which = tuple(k for k, v in keys.items() if self._curve_keys.get(k) != v)
        if not which:
            return
        # Asked for once: a computation that fails is not retried until something changes.
        self._curve_keys.update({k: keys[k] for k in which})
        request = SweepRequest(
            self.recognizer, self.digit, angle, dx, dy, flip, ANGLES, SHIFTS, which
        )
        version = self._version
        self.sweeps.start(
            lambda _stop: compute_sweeps(request),
            lambda result: self._sweeps_done(version, result),
            self._sweeps_failed,
        )

    def _sweeps_done(self, version: int, result: dict) -> None:
        if version == self._version and self.digit is not None:
            self._show_curves(result)

    def _sweeps_failed(self, message: str) -> None:
        self.statement.setText(f"The probability curves could not be computed: {message}")

    def _show_curves(self, result: dict) -> None:
        for key in ("rotation", "x", "y"):
            if key in result:
                self.curves[key] = result[key]
                for k, line in enumerate(self.curve_lines[key]):
                    line.set_ydata(result[key][:, k])
        if "rotation" in result:
            self.reference_label = result["label"]
            self.angle_range = result["range"]
            self._show_range()
        self.canvas.refresh()

    def _show_range(self) -> None:
        label, span = self.reference_label, self.angle_range
        _, dx, dy, flip = self.settings()
        held = f" (shift {dx:+.0f}, {dy:+.0f} px{', flipped' if flip else ''})"
        if span is None:
            self.span.set_visible(False)
            self.statement.setText(f"Even unrotated{held}, the prediction is not {label}.")
            return
        lo, hi = span
        self.span.set_visible(True)
        self.span.set_x(lo)
        self.span.set_width(max(hi - lo, 0.5))
        if lo <= ANGLES[0] and hi >= ANGLES[-1]:
            text = f"The prediction stays {label} at every rotation{held}."
        else:
            text = (
                f"The prediction stays {label} for rotations from {lo:+.0f}° to {hi:+.0f}°{held}."
            )
        self.statement.setText(text)
