"""Why this answer: which input pixels push the answer's score up or down, live while drawing.

For the current input the panel shows the gradient of a class's score (its
logit) over the 28x28 input, for the answer and for a class the user picks
(by default the runner-up), on one diverging scale: red where more ink would
raise that class's score, blue where it would lower it. The gradients come
from :func:`lenet_desktop.model.gradients.class_gradients`, one backward pass
through the NumPy engine from the explanation's layer outputs (about a
millisecond, so it runs on the GUI thread and costs no forward pass).
"""

from __future__ import annotations

import matplotlib
import numpy as np
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from lenet_desktop.gui import palette
from lenet_desktop.gui.panels import imaging
from lenet_desktop.gui.panels.base import FigurePanel, fixed_lines_label, set_text
from lenet_desktop.gui.panels.layout import Row
from lenet_desktop.gui.panels.pixel_image import show_pixels
from lenet_desktop.gui.session import Session
from lenet_desktop.model.explanation import Explanation
from lenet_desktop.model.gradients import class_gradients

RUNNER_UP = "runner-up"
CAPTION = (
    "Why this answer: the gradient of a class's score over the input, with the ink shaded "
    "dark. Red: more ink there would raise the score; blue: it would lower it. Both maps "
    "share one scale; hover to read a pixel."
)
INK_SHADE = 0.55
"""How much the input's ink darkens the maps (so the strokes show through the colours)."""


def shaded(rgba: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """``rgba`` (28, 28, 4) with the input's ink (28, 28 in [0, 1]) drawn over it in dark."""
    out = rgba.copy()
    keep = 1.0 - INK_SHADE * np.clip(np.asarray(ink, np.float32), 0.0, 1.0)
    out[..., :3] = (rgba[..., :3] * keep[..., None]).astype(np.uint8)
    return out


class SaliencyPanel(FigurePanel):
    """The gradient saliency of the answer and of a picked class, the input's ink shaded in."""

    title = "Why this answer"
    margins = (8.0, 8.0, 4.0)

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(session, "saliency", CAPTION, figsize=(4.4, 3.0), parent=parent)
        self.picker = QComboBox()
        self.picker.setObjectName("saliencyClass")
        self.picker.addItem("the runner-up", RUNNER_UP)
        for digit in range(10):
            self.picker.addItem(str(digit), digit)
        self.picker.currentIndexChanged.connect(self._picked)
        row = QHBoxLayout()
        row.addWidget(QLabel("Compare the answer with"))
        row.addWidget(self.picker, 1)
        self.add_above(row)
        self.summary = fixed_lines_label("saliencySummary", 2)
        self.add_below(self.summary)
        self.gradients = None
        """The :class:`ClassGradients` of the answer and of the picked class, or ``None``."""
        self.targets: tuple[int, int] | None = None
        self.limit = 1e-6
        self.axes: list = []
        self.images: list = []
        self.titles: list = []
        self._table = imaging.colour_table(matplotlib.colormaps[palette.SALIENCY_CMAP])
        self._gap = np.array([48, 48, 48, 255], np.uint8)
        self.show_message("Loading the model…")
        self.follow_session()

    # -- the session ----------------------------------------------------------------
    def model_changed(self, recognizer) -> None:
        """Lay out the three maps (they are the same for every model)."""
        self.gradients = self.targets = None
        if recognizer is None:
            self.show_message("Loading the model…")
            return
        self._build()
        self.canvas.draw_idle()

    def show_explanation(self, explanation: Explanation | None) -> None:
        """Backpropagate the answer's and the picked class's scores and show them, at once."""
        if not self.images:
            return
        self.gradients = None
        if explanation is None:
            for image in self.images:
                image.set_data(self._blank())
            set_text(self.summary, "Draw a digit (or click one in a photo) to see why.")
        else:
            self._show(explanation)
        self.canvas.refresh()

    def picked_class(self, explanation: Explanation) -> int:
        """The class compared with the answer: the user's pick, or the runner-up."""
        chosen = self.picker.currentData()
        if chosen != RUNNER_UP:
            return int(chosen)
        return int(np.argsort(explanation.probabilities)[-2])

    # -- drawing ------------------------------------------------------------------------
    def _build(self) -> None:
        self.figure.clear()
        self.canvas.clear_animated()
        self.axes, self.images, self.titles, self.rows = [], [], [], []
        # Static titles: re-rendering text on every frame would cost more than the maps.
        for name in ("the answer", "the class compared"):
            ax = self.figure.add_axes((0, 0, 1, 1))
            image = show_pixels(ax, self._blank())
            ax.set_xticks([])
            ax.set_yticks([])
            title = ax.set_title(name, fontsize=palette.TITLE_PT, loc="left")
            self.canvas.add_animated(image)
            self.axes.append(ax)
            self.images.append(image)
            self.titles.append(title)
        self.rows.append(Row(self.axes, aspect=1 / 2))
        legend = self.figure.add_axes((0, 0, 1, 1))
        cmap = matplotlib.colormaps[palette.SALIENCY_CMAP]
        labels = ["lowers the score", "0", "raises it"]
        imaging.ramp_legend(legend, cmap, [0, 0.5, 1], labels, "more ink here…")
        self.rows.append(Row([legend], height_px=10, below_px=18))
        self._relayout()

    def _blank(self) -> np.ndarray:
        return np.broadcast_to(self._gap, (28, 28, 4)).copy()

    def _show(self, explanation: Explanation) -> None:
        answer, picked = explanation.label, self.picked_class(explanation)
        self.targets = (answer, picked)
        found = class_gradients(self.recognizer, explanation, [answer, picked])
        p = explanation.probabilities
        if found is None:
            for image in self.images:
                image.set_data(self._blank())
            set_text(self.summary, "This model runs on TensorFlow: no gradients to show.")
            return
        self.gradients = found
        self.limit = max(float(max(np.abs(g.input).max() for g in found)), 1e-6)
        for image, grads in zip(self.images, found, strict=True):
            rgba = imaging.to_rgba(grads.input, -self.limit, self.limit, self._table, self._gap)
            image.set_data(shaded(rgba, explanation.image))
        set_text(
            self.summary,
            f"answer {answer} ({p[answer]:.0%}) · compared: {self._picked_name()} {picked} "
            f"({p[picked]:.0%}) · scale ±{self.limit:.3g} per unit of ink",
        )

    def _picked_name(self) -> str:
        return "runner-up" if self.picker.currentData() == RUNNER_UP else "picked"

    def _picked(self, _index: int) -> None:
        if self.on_screen:
            self.show_explanation(self.session.explanation)
        else:
            self.mark_stale()

    # -- hover ----------------------------------------------------------------------------
    def hover_text(self, axes, x: float, y: float) -> str | None:
        """The gradient of both classes' scores at the pixel under (x, y)."""
        if axes not in self.axes or self.gradients is None:
            return None
        r, c = int(np.floor(y + 0.5)), int(np.floor(x + 0.5))
        if not (0 <= r < 28 and 0 <= c < 28):
            return None
        parts = [f"d score({g.target})/d ink {g.input[r, c]:+.3g}" for g in self.gradients]
        return f"pixel row {r + 1}, col {c + 1}: " + " · ".join(parts)
