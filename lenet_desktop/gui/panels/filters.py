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
from PySide6.QtWidgets import QWidget

from lenet_desktop.gui import palette
from lenet_desktop.gui.panels import imaging
from lenet_desktop.gui.panels.base import FigurePanel
from lenet_desktop.gui.panels.layout import Row
from lenet_desktop.gui.session import Session
from lenet_desktop.model.explanation import Explanation
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


class FiltersPanel(FigurePanel):
    """Kernels of C1 and C3 on a diverging scale, each with its response to the current input."""

    title = "Filters"
    margins = (44.0, 10.0, 4.0)

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(session, "filters", CAPTION, figsize=(4.4, 6.0), parent=parent)
        self.views: dict[str, ConvView] = {}
        self.show_message("Loading the model…")
        self.follow_session()

    # -- public API -------------------------------------------------------------
    def kernels_shown(self, name: str) -> np.ndarray | None:
        """The kernel mosaic currently shown for layer ``name``."""
        view = self.views.get(name)
        return None if view is None else np.asarray(view.kernel_image.get_array()).copy()

    def responses_shown(self, name: str) -> np.ndarray | None:
        """The response mosaic currently shown for layer ``name``."""
        view = self.views.get(name)
        return None if view is None else np.asarray(view.response_image.get_array()).copy()

    # -- the session --------------------------------------------------------------
    def model_changed(self, recognizer) -> None:
        """Show the kernels of a new model (a full redraw; models change rarely)."""
        self.views = {}
        if recognizer is None:
            self.show_message("Loading the model…")
            return
        self._build()
        self._update_responses(None)
        self.canvas.draw_idle()

    def show_explanation(self, explanation: Explanation | None) -> None:
        """Show each filter's response to a new input (the layer outputs of the explanation)."""
        self._update_responses(explanation)
        self.canvas.refresh()

    # -- building ------------------------------------------------------------------
    def _build(self) -> None:
        kernels = self.recognizer.filters()
        if not kernels:
            self.show_message("This model has no convolution layers.")
            return
        self.figure.clear()
        self.canvas.clear_animated()
        self.views = {}
        self.rows = []
        signed = signed_layers(self.recognizer)
        shapes = self.session.layer_shapes
        for name, kernel in kernels.items():
            view = self._kernel_view(name, kernel)
            if name in shapes and len(shapes[name]) == 3:
                self._response_view(view, shapes[name], name in signed)
            self.rows.append(Row([view.legend], height_px=8, below_px=18))
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
            f"{name} kernels · {cout} of {shape} · ±{limit:.2g}",
            fontsize=palette.TITLE_PT,
            loc="left",
        )
        _label_ticks(ax, tiling, rows=cin > 1)
        h, w = tiling.shape
        self.rows.append(Row([ax], aspect=h / w, above_px=14))
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
        title = ax.set_title(
            f"{view.name} output for this input", fontsize=palette.TITLE_PT, loc="left"
        )
        self.canvas.add_animated(image, title)
        view.response_axes, view.response_image, view.response_title = ax, image, title
        view.response_tiling, view.response_buffer, view.signed = tiling, buffer, signed
        mh, mw = tiling.shape
        self.rows.append(Row([ax], aspect=mh / mw))

    # -- live updates -----------------------------------------------------------------
    def _update_responses(self, explanation: Explanation | None) -> None:
        if not self.views:
            return
        values = explanation.layers if explanation is not None else {}
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
    def hover_text(self, axes, x: float, y: float) -> str | None:
        """Text describing the weight or response under data point (x, y) of ``axes``."""
        for view in self.views.values():
            if axes is view.kernel_axes:
                found = view.tiling.locate(x, y)
                if found is None:
                    return None
                index, r, c = found
                source, target = divmod(index, view.tiling.cols)
                weight = view.kernel[r, c, source, target]
                return (
                    f"{view.name} filter {target + 1}, input map {source + 1}, "
                    f"row {r + 1}, col {c + 1}: {weight:+.4f}"
                )
            if axes is view.response_axes and view.response_values is not None:
                found = view.response_tiling.locate(x, y)
                if found is None:
                    return None
                index, r, c = found
                value = view.response_values[r, c, index]
                return (
                    f"{view.name} filter {index + 1} output, row {r + 1}, col {c + 1}: {value:.4g}"
                )
        return None


def _label_ticks(ax, tiling: imaging.Tiling, rows: bool) -> None:
    """Filter numbers along the top; input-map numbers down the side when there are several."""
    step = tiling.tile_w + 1
    centres = [c * step + (tiling.tile_w - 1) / 2 for c in range(tiling.cols)]
    ax.set_xticks(centres, [str(c + 1) for c in range(tiling.cols)])
    ax.xaxis.tick_top()
    if rows:
        step = tiling.tile_h + 1
        middles = [r * step + (tiling.tile_h - 1) / 2 for r in range(tiling.rows)]
        ax.set_yticks(middles, [f"in {r + 1}" for r in range(tiling.rows)])
    else:
        ax.set_yticks([])
    ax.tick_params(labelsize=palette.TEXT_PT, length=0, pad=1)
    for spine in ax.spines.values():
        spine.set_visible(False)
