"""What every layer of the network outputs for the current input, live.

Feature maps of a layer are tiled into one mosaic image (1-pixel grey gaps),
dense layers are one-pixel-high strips and the output is one bar collection,
so a new input changes the data of seven artists, which are blitted (see
:mod:`lenet_desktop.gui.panels.blit_canvas`). Titles and the colour legend
are static; the per-layer maxima that set the colour scale (see
:mod:`lenet_desktop.gui.panels.imaging`) are shown in a Qt label under the
figure, because re-rendering text in matplotlib on every frame would cost more
than the maps themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from matplotlib.collections import PolyCollection
from PySide6.QtWidgets import QWidget

from lenet_desktop.gui import palette
from lenet_desktop.gui.panels import imaging
from lenet_desktop.gui.panels.base import (
    FigurePanel,
    fixed_lines_label,
    set_text,
)
from lenet_desktop.gui.panels.layout import Row
from lenet_desktop.gui.panels.pixel_image import PixelImage
from lenet_desktop.gui.panels.unit_links import UnitLinks
from lenet_desktop.gui.session import Session
from lenet_desktop.model.explanation import Explanation
from lenet_desktop.model.probes import signed_layers

SKIPPED_LAYERS = ("flatten",)
MAPS_PER_ROW = 8
BAR_WIDTH = 0.7
CAPTION = (
    "Every layer's output for the input. One colour scale per layer: black 0, brightest its "
    "largest value (listed below). Hover to read a value; click a unit to trace it."
)


@dataclass
class LayerView:
    """The artist that shows one layer, and how to read a value back from it."""

    name: str
    kind: str
    """``"maps"``, ``"strip"`` or ``"bars"``."""
    axes: object
    shape: tuple
    signed: bool = False
    artist: object = None
    tiling: imaging.Tiling | None = None
    values: np.ndarray | None = None
    buffer: np.ndarray | None = field(default=None, repr=False)
    """The values behind the picture: mosaic with NaN gaps, strip, or bar heights."""
    limits: tuple[float, float] = (0.0, 1.0)
    """Colour limits of the current input (see ``imaging.activation_limits``)."""
    table: np.ndarray | None = field(default=None, repr=False)
    gap: np.ndarray | None = field(default=None, repr=False)

    def describe(self) -> str:
        """Layer name with its shape, for the title."""
        if self.kind == "maps":
            h, w, c = self.shape
            return f"{self.name} · {c} maps of {h}×{w}"
        if self.kind == "bars":
            return f"{self.name} · {self.shape[0]} class probabilities"
        return f"{self.name} · {self.shape[0]} units, 1 to {self.shape[0]} left to right"


def bar_verts(heights: np.ndarray) -> np.ndarray:
    """Rectangles (N, 4, 2) of a bar chart with bars centred on 0..N-1."""
    n = len(heights)
    x0 = np.arange(n) - BAR_WIDTH / 2
    x1 = x0 + BAR_WIDTH
    h = np.asarray(heights, dtype=float)
    zeros = np.zeros(n)
    return np.stack(
        [
            np.stack([x0, zeros], 1),
            np.stack([x0, h], 1),
            np.stack([x1, h], 1),
            np.stack([x1, zeros], 1),
        ],
        axis=1,
    )


def number_tiles(ax, view: LayerView) -> None:
    """Number maps from 1: map columns along the top, the maps of each row of tiles down
    the side."""
    ax.tick_params(labelsize=palette.TEXT_PT, length=0, pad=1)
    if view.kind != "maps":  # a strip: its title says how its units are numbered
        ax.set_xticks([])
        ax.set_yticks([])
        return
    tiling = view.tiling
    step = tiling.tile_w + 1
    centres = [c * step + (tiling.tile_w - 1) / 2 for c in range(tiling.cols)]
    ax.set_xticks(centres, [str(c + 1) for c in range(tiling.cols)])
    ax.xaxis.tick_top()
    if tiling.rows == 1:
        ax.set_yticks([])
        return
    middles = [r * (tiling.tile_h + 1) + (tiling.tile_h - 1) / 2 for r in range(tiling.rows)]
    ranges = [
        (r * tiling.cols + 1, min((r + 1) * tiling.cols, tiling.count)) for r in range(tiling.rows)
    ]
    ax.set_yticks(middles, [f"{first}–{last}" for first, last in ranges])


class ActivationsPanel(FigurePanel):
    """Feature maps of C1, S2, C3, S4, the dense layers and the output for the current input."""

    title = "Activations"
    margins = (40.0, 10.0, 4.0)

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(session, "activations", CAPTION, figsize=(4.4, 7.0), parent=parent)
        self.views: dict[str, LayerView] = {}
        self.scales = fixed_lines_label("activationsScales", 2)
        self.add_below(self.scales)
        self.links = UnitLinks(self)
        """The selected unit, its receptive field and kernels, the units an input pixel feeds."""
        self.unit_note = fixed_lines_label("activationsUnitNote", 4)
        self.add_below(self.unit_note)
        self.canvas.mpl_connect("button_press_event", self._on_click)
        self.show_message("Loading the model…")
        self.follow_session()

    # -- public API -------------------------------------------------------------
    def layer_data(self, name: str) -> np.ndarray | None:
        """The values shown for layer ``name`` (mosaic with NaN gaps, 1xN strip or bar heights)."""
        view = self.views.get(name)
        return None if view is None else view.buffer.copy()

    def layer_pixels(self, name: str) -> np.ndarray | None:
        """The RGBA picture of map or strip layer ``name``, as handed to matplotlib."""
        view = self.views.get(name)
        if view is None or view.kind == "bars":
            return None
        return np.asarray(view.artist.get_array()).copy()

    def layer_limits(self, name: str) -> tuple[float, float] | None:
        """The (low, high) values of the colour scale of layer ``name`` for this input."""
        view = self.views.get(name)
        return None if view is None else view.limits

    # -- the session ------------------------------------------------------------------
    def model_changed(self, recognizer) -> None:
        """Lay out the layers of a new model (their data follows with the explanation)."""
        self.views = {}
        if recognizer is None:
            self.show_message("Loading the model…")
            return
        self._build()
        self.canvas.draw_idle()

    def show_explanation(self, explanation: Explanation | None) -> None:
        """Show every layer's output for a new input (``None`` clears the maps), at once."""
        self._update_data(explanation)
        self.links.show_input(explanation)
        set_text(self.unit_note, self.links.note(explanation))
        self.canvas.refresh()

    # -- building the figure ------------------------------------------------------
    def _build(self) -> None:
        self.figure.clear()
        self.canvas.clear_animated()
        self.views = {}
        self.rows = []
        signed = signed_layers(self.recognizer)
        shapes = self.session.layer_shapes
        names = [name for name in shapes if name not in SKIPPED_LAYERS]
        # The input and the selected unit's kernels sit left of the first two map layers.
        beside = [self.figure.add_axes((0, 0, 1, 1)), self.figure.add_axes((0, 0, 1, 1))]
        input_axes, kernel_axes = beside
        for name in names:
            shape = shapes[name]
            is_map = len(shape) == 3
            ax = self.figure.add_axes((0, 0, 1, 1))
            kind = "maps" if is_map else ("bars" if name == names[-1] else "strip")
            view = LayerView(name, kind, ax, shape, signed=name in signed and kind != "bars")
            self._make_artist(view)
            ax.set_title(view.describe(), fontsize=palette.TITLE_PT, loc="left")
            self.canvas.add_animated(view.artist)
            self.views[name] = view
            row = self._row_for(view)
            if view.kind == "maps" and beside:
                row = self._with_beside(row, view, beside.pop(0))
            self.rows.append(row)
        legend = self.figure.add_axes((0, 0, 1, 1))
        self._make_legend(legend, signed, names, shapes)
        self.rows.append(Row([legend], height_px=10, below_px=18))
        self.links.build(input_axes, kernel_axes)
        set_text(self.unit_note, self.links.note(None))
        self._relayout()

    def _relayout(self, _event=None) -> None:
        super()._relayout(_event)
        if self.rows:
            self.links.fit_labels()

    def _row_for(self, view: LayerView) -> Row:
        if view.kind == "maps":
            h, w = view.tiling.shape
            return Row([view.axes], aspect=h / w, above_px=14)
        if view.kind == "bars":
            return Row([view.axes], height_px=56, below_px=20)
        return Row([view.axes], height_px=12)

    @staticmethod
    def _with_beside(row: Row, view: LayerView, axes) -> Row:
        """``row`` with a square ``axes`` left of the maps, as tall as one row of tiles."""
        h, w = view.tiling.shape
        square = h / view.tiling.rows
        return Row([axes, view.axes], aspect=h / (w + square), widths=[square, w], above_px=14)

    @staticmethod
    def _rows_for(count: int) -> int:
        return max(1, -(-count // MAPS_PER_ROW))

    def _make_artist(self, view: LayerView) -> None:
        ax = view.axes
        if view.kind == "bars":
            count = view.shape[0]
            view.buffer = np.zeros(count, np.float32)
            view.artist = PolyCollection(bar_verts(view.buffer), facecolors=palette.BAR)
            ax.add_collection(view.artist)
            ax.set_ylim(0, 1)
            ax.set_xlim(-0.6, count - 0.4)
            ax.set_xticks(range(count))
            ax.set_yticks([0, 0.5, 1])
            ax.tick_params(labelsize=palette.TEXT_PT, length=2)
            return
        cmap = imaging.activation_colormap(view.signed)
        view.table, view.gap = imaging.colour_table(cmap), imaging.gap_colour(cmap)
        if view.kind == "maps":
            view.tiling = imaging.tiling_for(np.zeros(view.shape), self._rows_for(view.shape[2]))
            view.buffer = np.full(view.tiling.shape, np.nan, np.float32)
            aspect = "equal"
        else:
            view.buffer = np.full((1, view.shape[0]), np.nan, np.float32)
            aspect = "auto"
        view.artist = PixelImage(ax, self._pixels(view))
        ax.set_aspect(aspect)
        number_tiles(ax, view)
        for spine in ax.spines.values():
            spine.set_visible(False)

    def _make_legend(self, ax, signed: set[str], names: list[str], shapes: dict) -> None:
        first = next((name for name in names if len(shapes[name]) == 3), names[0])
        cmap = imaging.activation_colormap(first in signed)
        title = "colour scale (each layer to its own max)"
        if first in signed:
            labels = ["−(layer max |value|)", "0", "+(layer max |value|)"]
            imaging.ramp_legend(ax, cmap, [0, 0.5, 1], labels, title)
        else:
            imaging.ramp_legend(ax, cmap, [0, 1], ["0", "layer max"], title)

    # -- live updates ---------------------------------------------------------------
    def _update_data(self, explanation: Explanation | None) -> None:
        if not self.views:
            return
        if explanation is None:
            for view in self.views.values():
                self._clear_view(view)
            set_text(self.scales, "Draw a digit (or click one in a photo) to see activations.")
            set_text(self.readout, "")
            return
        maxima = []
        for act in explanation.activations:
            view = self.views.get(act.name)
            if view is not None:
                high = self._show_values(view, act.values)
                if high is not None:
                    maxima.append(f"{act.name} {high:.3g}")
        label = "max |value|" if any(v.signed for v in self.views.values()) else "max"
        set_text(self.scales, f"Layer {label}: " + " · ".join(maxima))

    def _clear_view(self, view: LayerView) -> None:
        view.values = None
        if view.kind == "bars":
            view.buffer[...] = 0.0
            view.artist.set_verts(bar_verts(view.buffer))
        else:
            view.buffer[...] = np.nan
            view.artist.set_data(self._pixels(view))

    def _show_values(self, view: LayerView, values: np.ndarray) -> float | None:
        view.values = values
        if view.kind == "bars":
            view.buffer[...] = values
            view.artist.set_verts(bar_verts(view.buffer))
            colours = [palette.BAR] * len(values)
            colours[int(np.argmax(values))] = palette.TOP_BAR
            view.artist.set_facecolors(colours)
            return None
        view.limits = imaging.activation_limits(values, view.signed)
        if view.kind == "maps":
            imaging.mosaic(values, view.tiling, out=view.buffer)
        else:
            view.buffer[0] = values
        view.artist.set_data(self._pixels(view))
        return view.limits[1]

    @staticmethod
    def _pixels(view: LayerView) -> np.ndarray:
        return imaging.to_rgba(view.buffer, *view.limits, view.table, view.gap)

    # -- the mouse ----------------------------------------------------------------------
    def _on_click(self, event) -> None:
        for view in self.views.values():
            if view.axes is event.inaxes and event.xdata is not None:
                self.links.select_at(view, event.xdata, event.ydata)
                set_text(self.unit_note, self.links.note(self.session.explanation))
                return

    def value_at(self, name: str, x: float, y: float) -> str | None:
        """Text describing the value under data point (x, y) of layer ``name``'s axes."""
        view = self.views.get(name)
        if view is None or view.values is None:
            return None
        if view.kind == "maps":
            found = view.tiling.locate(x, y)
            if found is None:
                return None
            index, r, c = found
            value = view.values[r, c, index]
            return f"{name} map {index + 1}, row {r + 1}, col {c + 1}: {value:.4g}"
        unit = int(np.floor(x + 0.5))
        if not 0 <= unit < view.shape[0]:
            return None
        if view.kind == "bars":
            return f"{name} class {unit}: probability {view.values[unit]:.4f}"
        return f"{name} unit {unit + 1}: {view.values[unit]:.4g}"

    def hover_text(self, axes, x: float, y: float) -> str | None:
        """The value under (x, y) of the layer drawn in ``axes`` (on the input: what it feeds)."""
        if axes is self.links.input_axes:
            return self.links.hover_input(x, y)
        self.links.hide_fed()
        for view in self.views.values():
            if view.axes is axes:
                return self.value_at(view.name, x, y)
        return None
