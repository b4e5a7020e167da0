"""The learned convolution kernels, each above its response to the current input.

For every Conv2D layer (C1: 6 kernels of 5x5 on the image; C3: 16 kernels of
6x5x5 on the six S2 maps) the kernels form one mosaic, one column per filter
and one row per input map, drawn blue (negative) / white (0) / red (positive)
with limits ± the layer's largest absolute weight. Under each column is that
filter's output map for the current input, on the activation colour scale of
:mod:`lenet_desktop.gui.panels.imaging`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QLabel, QToolTip, QVBoxLayout, QWidget

from lenet_desktop.gui.panels import imaging
from lenet_desktop.gui.panels.base import InsightPanel
from lenet_desktop.gui.panels.blit_canvas import BlitCanvasWidget
from lenet_desktop.gui.panels.layout import Row, stack_rows
from lenet_desktop.model.probes import signed_layers

CAPTION = (
    "Learned kernels (columns: filters, rows: input maps; blue < 0 < red) with, under "
    "each filter, its output for the current input. Hover to read a weight or value."
)


@dataclass
class ConvView:
    """The kernel mosaic and response row of one convolution layer."""

    name: str
    kernel: np.ndarray
    tiling: imaging.Tiling
    kernel_axes: object
    kernel_image: object
    response_axes: object = None
    response_image: object = None
    response_title: object = None
    response_tiling: imaging.Tiling | None = None
    response_values: np.ndarray | None = None
    response_buffer: np.ndarray | None = None
    signed: bool = False
    legend: object = None


class FiltersPanel(InsightPanel):
    """Kernels of C1 and C3 on a diverging scale, each with its response to the current input."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.recognizer = None
        self.digit = None
        self.views: dict[str, ConvView] = {}
        self._rows: list[Row] = []
        self._dirty = False
        self.figure = Figure(figsize=(4.4, 6.0), dpi=100)
        self.canvas = BlitCanvasWidget(self.figure)
        self.canvas.setObjectName("filtersCanvas")
        self.canvas.mpl_connect("resize_event", self._relayout)
        self.canvas.mpl_connect("motion_notify_event", self._on_hover)
        self.caption = QLabel(CAPTION)
        self.caption.setWordWrap(True)
        self.readout = QLabel("")
        self.readout.setObjectName("filtersReadout")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.caption)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.readout)
        self._message("Loading the model…")

    # -- public API -------------------------------------------------------------
    def set_recognizer(self, recognizer) -> None:
        """Show the kernels of a new model (a full redraw; models change rarely)."""
        self.recognizer = recognizer
        self._build()
        self._update_responses()
        self.canvas.draw_idle()

    def set_input(self, digit: np.ndarray | None) -> None:
        """Show each filter's response to a new input (deferred while the panel is hidden)."""
        self.digit = None if digit is None else np.asarray(digit, dtype=np.float32)
        if not self.on_screen:
            self._dirty = True
            return
        self._update_responses()
        self.canvas.refresh()

    def kernels_shown(self, name: str) -> np.ndarray | None:
        """The kernel mosaic currently shown for layer ``name``."""
        view = self.views.get(name)
        return None if view is None else np.asarray(view.kernel_image.get_array()).copy()

    def responses_shown(self, name: str) -> np.ndarray | None:
        """The response mosaic currently shown for layer ``name``."""
        view = self.views.get(name)
        return None if view is None else np.asarray(view.response_image.get_array()).copy()

    def came_on_screen(self) -> None:
        """Show the responses to the input that arrived while the panel was hidden."""
        if self._dirty:
            self._dirty = False
            self._update_responses()
            self.canvas.refresh()

    # -- building ------------------------------------------------------------------
    def _message(self, text: str) -> None:
        self.figure.clear()
        self.canvas.clear_animated()
        self.views = {}
        self._rows = []
        self.figure.text(0.5, 0.5, text, ha="center", va="center", fontsize=10)
        self.canvas.draw_idle()

    def _build(self) -> None:
        if self.recognizer is None:
            self._message("Loading the model…")
            return
        kernels = self.recognizer.filters()
        if not kernels:
            self._message("This model has no convolution layers.")
            return
        self.figure.clear()
        self.canvas.clear_animated()
        self.views = {}
        self._rows = []
        signed = signed_layers(self.recognizer)
        shapes = {
            a.name: a.values.shape
            for a in self.recognizer.activations(np.zeros((28, 28), np.float32))
        }
        for name, kernel in kernels.items():
            view = self._kernel_view(name, kernel)
            if name in shapes and len(shapes[name]) == 3:
                self._response_view(view, shapes[name], name in signed)
            self._rows.append(Row([view.legend], height_px=8, below_px=14))
            self.views[name] = view
        self._relayout()

    def _kernel_view(self, name: str, kernel: np.ndarray) -> ConvView:
        kh, kw, cin, cout = kernel.shape
        tiles, tiling = imaging.kernel_tiles(kernel)
        limit = imaging.weight_limit(kernel)
        ax = self.figure.add_axes((0, 0, 1, 1))
        image = ax.imshow(
            imaging.mosaic(tiles, tiling),
            cmap=imaging.weight_colormap(),
            vmin=-limit,
            vmax=limit,
            interpolation="nearest",
        )
        shape = f"{kh}×{kw}" if cin == 1 else f"{cin}×{kh}×{kw}"
        ax.set_title(
            f"{name} kernels · {cout} of {shape} · weights ±{limit:.2g}", fontsize=8, loc="left"
        )
        _label_ticks(ax, tiling, rows=cin > 1)
        h, w = tiling.shape
        self._rows.append(Row([ax], aspect=h / w, above_px=9))
        legend = self.figure.add_axes((0, 0, 1, 1))
        imaging.ramp_legend(
            legend,
            imaging.weight_colormap(),
            [0, 0.5, 1],
            [f"−{limit:.2g}", "0", f"+{limit:.2g}"],
            f"{name} weight scale",
        )
        return ConvView(name, kernel, tiling, ax, image, legend=legend)

    def _response_view(self, view: ConvView, shape: tuple, signed: bool) -> None:
        h, w, count = shape
        tiling = imaging.Tiling(h, w, 1, count, count)
        ax = self.figure.add_axes((0, 0, 1, 1))
        buffer = np.full(tiling.shape, np.nan, np.float32)
        image = ax.imshow(buffer, cmap=imaging.activation_colormap(signed), interpolation="nearest")
        ax.set_xticks([])
        ax.set_yticks([])
        title = ax.set_title(f"{view.name} output for this input", fontsize=8, loc="left")
        self.canvas.add_animated(image, title)
        view.response_axes, view.response_image, view.response_title = ax, image, title
        view.response_tiling, view.response_buffer, view.signed = tiling, buffer, signed
        mh, mw = tiling.shape
        self._rows.append(Row([ax], aspect=mh / mw))

    def _relayout(self, _event=None) -> None:
        if self._rows:
            stack_rows(self.figure, self._rows, left_px=44, right_px=10)

    # -- live updates -----------------------------------------------------------------
    def _update_responses(self) -> None:
        if self.recognizer is None or not self.views:
            return
        values = {}
        if self.digit is not None:
            values = {a.name: a.values for a in self.recognizer.activations(self.digit)}
        for view in self.views.values():
            if view.response_image is None:
                continue
            maps = values.get(view.name)
            view.response_values = maps
            if maps is None:
                view.response_buffer[...] = np.nan
                view.response_title.set_text(f"{view.name} output (no input yet)")
            else:
                imaging.mosaic(maps, view.response_tiling, out=view.response_buffer)
                low, high = imaging.activation_limits(maps, view.signed)
                view.response_image.set_clim(low, high)
                view.response_title.set_text(f"{view.name} output for this input · max {high:.3g}")
            view.response_image.set_data(view.response_buffer)

    # -- hover -------------------------------------------------------------------------
    def value_at(self, axes, x: float, y: float) -> str | None:
        """Text describing the weight or response under data point (x, y) of ``axes``."""
        for view in self.views.values():
            if axes is view.kernel_axes:
                found = view.tiling.locate(x, y)
                if found is None:
                    return None
                index, r, c = found
                source, target = divmod(index, view.tiling.cols)
                weight = view.kernel[r, c, source, target]
                return f"{view.name} filter {target}, input map {source}, ({r}, {c}): {weight:+.4f}"
            if axes is view.response_axes and view.response_values is not None:
                found = view.response_tiling.locate(x, y)
                if found is None:
                    return None
                index, r, c = found
                value = view.response_values[r, c, index]
                return f"{view.name} filter {index} output, row {r}, col {c}: {value:.4g}"
        return None

    def _on_hover(self, event) -> None:
        text = None
        if event.inaxes is not None and event.xdata is not None:
            text = self.value_at(event.inaxes, event.xdata, event.ydata)
        self.readout.setText(text or "")
        if text:
            QToolTip.showText(QCursor.pos(), text, self.canvas)
        else:
            QToolTip.hideText()


def _label_ticks(ax, tiling: imaging.Tiling, rows: bool) -> None:
    """Filter numbers along the top; input-map numbers down the side when there are several."""
    step = tiling.tile_w + 1
    centres = [c * step + (tiling.tile_w - 1) / 2 for c in range(tiling.cols)]
    ax.set_xticks(centres, [str(c) for c in range(tiling.cols)])
    ax.xaxis.tick_top()
    if rows:
        step = tiling.tile_h + 1
        middles = [r * step + (tiling.tile_h - 1) / 2 for r in range(tiling.rows)]
        ax.set_yticks(middles, [f"in {r}" for r in range(tiling.rows)])
    else:
        ax.set_yticks([])
    ax.tick_params(labelsize=6, length=0, pad=1)
    for spine in ax.spines.values():
        spine.set_visible(False)
