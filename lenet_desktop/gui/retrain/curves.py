"""TrainingCurvesWidget: live loss and accuracy curves, with earlier runs overlaid to compare.

The run in progress is drawn in full colour (training smoothed per batch,
validation per epoch); earlier runs (:mod:`lenet_desktop.gui.retrain.runs`)
are drawn thinner, one colour each, and the legend under the plots (a Qt
label, so long settings wrap) names each run's settings and result. The axes
zoom to the data: once the first epoch is behind, the early steep part (loss
2.3, accuracy 10 %) no longer flattens the part worth reading (97 to 99 %).
"""

from __future__ import annotations

import html
import math

from matplotlib.backends.backend_qtagg import FigureCanvas
from matplotlib.figure import Figure
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

REDRAW_INTERVAL_MS = 250
"""Matplotlib redraws at most four times a second, however often data arrives."""

TRAIN_COLOUR = "#1f77b4"
VAL_COLOUR = "#d62728"
RUN_COLOURS = ("#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")
"""Earlier runs, newest first."""
SHOWN_RUNS = 5
"""How many earlier runs are overlaid."""
EMPTY_TEXT = "Curves appear here when training starts."
STACK_BELOW_PX = 560
"""Narrower than this, the loss plot goes above the accuracy plot instead of beside it."""
ZOOM_AFTER = 0.35
"""The y range is fitted to the points after this share of the run's x range."""


def zoomed_limits(points: list[tuple[float, float]], right: float, bounds=(0.0, None)):
    """(low, high) y limits fitted to the later part of ``points`` (x, y), or ``None``.

    Points in the first :data:`ZOOM_AFTER` of the x range are left out once later
    points exist, so the start of training does not squash the end of it.
    """
    # A diverged run logs NaN or infinite losses: they have no place on an axis.
    points = [(x, y) for x, y in points if math.isfinite(y)]
    if not points:
        return None
    cut = ZOOM_AFTER * right
    later = [y for x, y in points if x >= cut] or [y for _, y in points]
    low, high = min(later), max(later)
    pad = max(0.005, (high - low) * 0.12)
    low, high = low - pad, high + pad
    floor, ceiling = bounds
    low = max(floor, low) if floor is not None else low
    high = min(ceiling, high) if ceiling is not None else high
    return low, high


class TrainingCurvesWidget(QWidget):
    """Plots this run's training and validation curves by epoch, over earlier runs'."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.figure = Figure(figsize=(6, 3.0), layout="constrained")
        self.canvas = FigureCanvas(self.figure)
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.canvas.setMinimumHeight(220)
        # One 2x2 grid for both arrangements (side by side, or one above the other): the
        # constrained layout copes with axes moving inside one grid, not between grids.
        self._grid = self.figure.add_gridspec(2, 2)
        self.loss_axes = self.figure.add_subplot(self._grid[:, 0])
        self.accuracy_axes = self.figure.add_subplot(self._grid[:, 1])
        self.lines = {}
        for axes, key, title in (
            (self.loss_axes, "loss", "Loss"),
            (self.accuracy_axes, "accuracy", "Accuracy"),
        ):
            axes.set_title(title, fontsize=10)
            axes.set_xlabel("epoch", fontsize=9)
            axes.tick_params(labelsize=8)
            axes.grid(True, alpha=0.3)
            (self.lines[key],) = axes.plot(
                [], [], color=TRAIN_COLOUR, lw=1.3, label="this run: training (smoothed)"
            )
            # Markers at the last epoch sit on the right edge: never clip them.
            (self.lines["val_" + key],) = axes.plot(
                [], [], color=VAL_COLOUR, lw=1.3, marker="o", ms=4, clip_on=False,
                label="this run: validation",
            )  # fmt: skip
            # Unclipped lines would count in the constrained layout (an empty one makes
            # it give up, leaving the plots squeezed): the axes alone are laid out.
            self.lines["val_" + key].set_in_layout(False)
        self.empty_text = self.figure.text(
            0.5, 0.55, EMPTY_TEXT, ha="center", va="center", fontsize=10, color="#666666"
        )
        self._stacked = False
        self.canvas.mpl_connect("resize_event", self._arrange)
        self.data = {key: ([], []) for key in self.lines}
        self.previous: list = []
        """The earlier runs overlaid (:class:`~lenet_desktop.gui.retrain.runs.RunRecord`)."""
        self._previous_artists: list = []
        self._legend_entries: list[str] = []
        self.legend_label = QLabel()
        self.legend_label.setObjectName("runsLegend")
        self.legend_label.setTextFormat(Qt.TextFormat.RichText)
        self.legend_label.setWordWrap(True)
        font = self.legend_label.font()
        font.setPointSizeF(font.pointSizeF() * 0.9)
        self.legend_label.setFont(font)
        self.epochs = 1
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.setInterval(REDRAW_INTERVAL_MS)
        self._redraw_timer.timeout.connect(self.redraw)
        self.redraw_count = 0

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.legend_label)
        self.reset(1)

    def reset(self, epochs: int) -> None:
        """Clear this run's curves for a run of ``epochs`` epochs."""
        self.epochs = max(1, int(epochs))
        for xs, ys in self.data.values():
            xs.clear()
            ys.clear()
        self._schedule()

    def set_previous_runs(self, runs: list) -> None:
        """Overlay ``runs`` (oldest first; the newest :data:`SHOWN_RUNS` are drawn)."""
        for artist in self._previous_artists:
            artist.remove()
        self._previous_artists = []
        self.previous = list(runs)[-SHOWN_RUNS:]
        for index, run in enumerate(reversed(self.previous)):
            colour = RUN_COLOURS[index % len(RUN_COLOURS)]
            for axes, key in ((self.loss_axes, "loss"), (self.accuracy_axes, "accuracy")):
                # Training faint, validation (one square per epoch) solid, as for this run.
                for curve, width, alpha in ((key, 0.8, 0.45), ("val_" + key, 1.0, 0.9)):
                    if curve not in run.curves:
                        continue
                    xs, ys = run.curves[curve]
                    marked = curve.startswith("val_")
                    (line,) = axes.plot(
                        xs, ys, color=colour, lw=width, alpha=alpha, ms=3, zorder=1,
                        marker="s" if marked else None, clip_on=not marked,
                        label=run.label() if marked and axes is self.accuracy_axes else None,
                    )  # fmt: skip
                    line.set_in_layout(False)
                    self._previous_artists.append(line)
        self._schedule()

    def add_batch(self, epoch: int, step: int, steps: int, logs: dict) -> None:
        """Add the training loss and accuracy after a batch (x = fractional epoch).

        Uses ``smooth_loss`` / ``smooth_accuracy`` when the logs have them, else
        ``loss`` / ``accuracy``.
        """
        x = epoch + (step + 1) / max(1, steps)
        for key in ("loss", "accuracy"):
            value = logs.get("smooth_" + key, logs.get(key))
            if value is not None:
                xs, ys = self.data[key]
                xs.append(x)
                ys.append(float(value))
        self._schedule()

    def add_epoch(self, epoch: int, logs: dict) -> None:
        """Add the validation loss and accuracy at the end of an epoch."""
        for key in ("val_loss", "val_accuracy"):
            if key in logs:
                xs, ys = self.data[key]
                xs.append(epoch + 1)
                ys.append(float(logs[key]))
        self._schedule()

    def point_count(self, key: str) -> int:
        """How many points curve ``key`` (``loss``, ``val_accuracy`` ...) holds."""
        return len(self.data[key][0])

    def is_stacked(self) -> bool:
        """Whether the plots are one above the other (a narrow dialog)."""
        return self._stacked

    def _arrange(self, _event=None) -> None:
        stacked = self.canvas.width() < STACK_BELOW_PX
        if stacked == self._stacked:
            return
        self._stacked = stacked
        grid = self._grid
        self.loss_axes.set_subplotspec(grid[0, :] if stacked else grid[:, 0])
        self.accuracy_axes.set_subplotspec(grid[1, :] if stacked else grid[:, 1])
        # One above the other they share the epoch axis: label it once, at the bottom.
        self.loss_axes.set_xlabel("" if stacked else "epoch", fontsize=9)
        self.loss_axes.tick_params(labelbottom=not stacked)
        self.canvas.draw_idle()

    def legend_texts(self) -> list[str]:
        """The legend's entries, as shown under the plots (wrapped lines joined again)."""
        return list(self._legend_entries)

    def _schedule(self) -> None:
        if not self._redraw_timer.isActive():
            self._redraw_timer.start()

    def _points(self, keys) -> list[tuple[float, float]]:
        points = [(x, y) for key in keys for x, y in zip(*self.data[key], strict=True)]
        for run in self.previous:
            for key in keys:
                if key in run.curves:
                    points += list(zip(*run.curves[key], strict=True))
        return points

    def redraw(self) -> None:
        """Push the collected points into the plot, fit the axes and ask for a repaint."""
        for key, line in self.lines.items():
            line.set_data(*self.data[key])
        has_data = any(xs for xs, _ in self.data.values()) or bool(self.previous)
        self.empty_text.set_visible(not has_data)
        ends = [xs[-1] for xs, _ in self.data.values() if xs]
        ends += [c[0][-1] for run in self.previous for c in run.curves.values() if c[0]]
        right = max([self.epochs, *ends])
        for axes, keys, bounds, empty in (
            (self.loss_axes, ("loss", "val_loss"), (0.0, None), (0.0, 2.5)),
            (self.accuracy_axes, ("accuracy", "val_accuracy"), (0.0, 1.0), (0.0, 1.0)),
        ):
            axes.set_xlim(0, right)
            limits = zoomed_limits(self._points(keys), right, bounds)
            axes.set_ylim(*(limits or empty))
            # Empty axes would show made-up ranges: only the titles until there is data.
            axes.set_axis_on() if has_data else axes.set_axis_off()
        axes = self.accuracy_axes
        axes.yaxis.set_major_formatter(lambda value, _pos: f"{value * 100:.4g} %")
        self._update_legend(has_data)
        self.canvas.draw_idle()
        self.redraw_count += 1

    def _update_legend(self, has_data: bool) -> None:
        # A Qt label under the figure rather than a matplotlib legend: the settings of a run
        # are a long line, which wraps here instead of squeezing the plots.
        entries = []
        if has_data:
            entries.append((TRAIN_COLOUR, "this run: training (blue line), validation (red dots)"))
            for index, run in enumerate(reversed(self.previous)):
                entries.append((RUN_COLOURS[index % len(RUN_COLOURS)], run.label()))
        self._legend_entries = [text for _colour, text in entries]
        rows = "".join(
            f'<tr><td style="color:{colour}">&#9632;</td><td>{html.escape(text)}</td></tr>'
            for colour, text in entries
        )
        self.legend_label.setText(f"<table cellspacing=0 cellpadding=1>{rows}</table>")
        self.legend_label.setVisible(bool(entries))
