"""Linked views in the Activations panel: what made a unit, what it looks at, what it is worth.

Clicking a map pixel or a dense unit selects it: it is outlined, its
receptive field is outlined on the input (the top-left image), the kernels
of the convolution that made its map are drawn beside the input, and a note
gives its value and its share of the answer's score (gradient × value, from
:func:`lenet_desktop.model.gradients.class_gradients`, recomputed for each new
input while the unit stays selected). Hovering an input pixel outlines, in
every map layer, the units that pixel feeds. The maths is Qt-free, in
:mod:`lenet_desktop.model.unit_sources`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle

from lenet_desktop.gui import palette
from lenet_desktop.gui.panels import imaging
from lenet_desktop.gui.panels.layout import SPACING_PX
from lenet_desktop.gui.panels.pixel_image import show_pixels
from lenet_desktop.model.gradients import class_gradients
from lenet_desktop.model.unit_sources import (
    Box,
    fed_units,
    geometry_of,
    making_kernels,
    receptive_field,
)

HINT = (
    "Click a map or a unit to see the kernels that made it, where it looks and what it is "
    "worth; hover the input to outline the units each pixel feeds."
)
CLEARANCE_PX = 4
"""Least room between a square's title and the title of the maps beside it."""


def label_beside(ax, text: str) -> None:
    """Name the square ``ax`` beside a row of maps: above it where the title fits, else along it.

    A square is as tall as one row of tiles, so in a narrow panel it is
    narrower than its title; the title would run into the maps' column
    numbers and title. Then the name goes up its left side, in the margin the
    rows of tiles below keep for their labels.
    """
    renderer = ax.figure.canvas.get_renderer()
    font = FontProperties(size=palette.TITLE_PT)
    width, _, _ = renderer.get_text_width_height_descent(text, font, ismath=False)
    if width + CLEARANCE_PX <= ax.get_window_extent().width + SPACING_PX:
        ax.set_title(text, fontsize=palette.TITLE_PT, loc="left")
        ax.set_ylabel("")
    else:
        ax.set_title("", loc="left")
        ax.set_ylabel(text, fontsize=palette.TEXT_PT, labelpad=2)


@dataclass(frozen=True)
class Selection:
    """A selected unit: map ``index`` at (row, col) of a map layer, or unit ``index`` of a strip."""

    layer: str
    index: int
    row: int = 0
    col: int = 0
    is_map: bool = True


def box_segments(box: Box, r0: int = 0, c0: int = 0) -> list:
    """The four sides of ``box`` around its pixels, shifted to the tile at (r0, c0)."""
    top, bottom = r0 + box.top - 0.5, r0 + box.bottom + 0.5
    left, right = c0 + box.left - 0.5, c0 + box.right + 0.5
    return [
        [(left, top), (right, top)],
        [(right, top), (right, bottom)],
        [(right, bottom), (left, bottom)],
        [(left, bottom), (left, top)],
    ]


def kernel_tiling(kh: int, kw: int, count: int) -> imaging.Tiling:
    """``count`` kernels in a near-square block (2 rows of 3 for C3's six), read row by row."""
    cols = int(np.ceil(np.sqrt(count)))
    return imaging.Tiling(kh, kw, -(-count // cols), cols, count)


def describe_box(name: str, box: Box) -> str:
    """``"C1 rows 3–7, cols 1–5"``: the box numbered from 1, as the maps are."""
    return f"{name} rows {box.top + 1}–{box.bottom + 1}, cols {box.left + 1}–{box.right + 1}"


class UnitLinks:
    """The selection, the receptive field, the kernels and the fed units of one panel."""

    def __init__(self, panel):
        self.panel = panel
        self.selection: Selection | None = None
        self.layers = None
        self.fed: dict[str, Box] = {}
        """The boxes outlined now for the hovered input pixel."""
        self.field: Box | None = None
        """The receptive field outlined on the input now."""
        self.contribution: tuple[float, float] | None = None
        """(unit, whole map) share of the answer's score of the selection, for this input."""
        self.input_axes = self.kernel_axes = self.input_image = None
        self.made = None
        """(convolution, its filter (kh, kw, inputs)) that made the selected map, or None."""
        self.kernel_tiling: imaging.Tiling | None = None
        self._outlines: dict[str, LineCollection] = {}
        self._input_table = imaging.colour_table(imaging.input_colormap())
        self._gap = imaging.gap_colour(imaging.input_colormap())

    # -- building ------------------------------------------------------------------
    def build(self, input_axes, kernel_axes) -> None:
        """Make the artists (after the panel's layer views exist)."""
        panel = self.panel
        self.layers = geometry_of(panel.recognizer)
        self.selection, self.fed, self.field, self.contribution = None, {}, None, None
        self.input_axes, self.kernel_axes = input_axes, kernel_axes
        self.input_image = show_pixels(input_axes, self._input_pixels(None))
        input_axes.set_xticks([])
        input_axes.set_yticks([])
        self.field_box = Rectangle((0, 0), 1, 1, fill=False, ec=palette.SELECTION, lw=2)
        self.field_box.set_visible(False)
        input_axes.add_patch(self.field_box)
        self.unit_box = Rectangle((0, 0), 1, 1, fill=False, ec=palette.SELECTION, lw=1.5)
        self.unit_box.set_visible(False)
        panel.canvas.add_animated(self.input_image, self.field_box)
        self._outlines = {}
        for view in panel.views.values():
            if view.kind == "maps":
                outline = LineCollection([], colors=palette.FED_UNITS, linewidths=1.2)
                outline.set_visible(False)
                view.axes.add_collection(outline)
                panel.canvas.add_animated(outline)
                self._outlines[view.name] = outline
        self._draw_kernels(None)

    def fit_labels(self) -> None:
        """Name the input and kernel squares, and show the kernels' hint, where they fit.

        Called after each relayout. A hint ("click a map") wider or taller than
        the kernel square is hidden: the note under the figure says the same.
        """
        if self.input_axes is None:
            return
        label_beside(self.input_axes, "input")
        label_beside(self.kernel_axes, "kernels")
        renderer = self.kernel_axes.figure.canvas.get_renderer()
        square = self.kernel_axes.get_window_extent()
        for text in self.kernel_axes.texts:
            text.set_visible(True)
            box = text.get_window_extent(renderer)
            text.set_visible(box.width <= square.width and box.height <= square.height)

    def _input_pixels(self, explanation) -> np.ndarray:
        image = np.full((28, 28), np.nan) if explanation is None else explanation.image
        return imaging.to_rgba(image, 0.0, 1.0, self._input_table, self._gap)

    # -- selecting -----------------------------------------------------------------
    def select(self, selection: Selection | None) -> None:
        """Select a unit (``None``: none), outline it and its field, draw its kernels."""
        panel = self.panel
        self.selection = selection
        if self.unit_box.axes is not None:
            self.unit_box.remove()
        panel.canvas.remove_animated(self.unit_box)
        self.field = None
        if selection is not None:
            view = panel.views[selection.layer]
            if selection.is_map:
                r0, c0 = view.tiling.origin(selection.index)
                corner = (c0 + selection.col - 0.5, r0 + selection.row - 0.5)
                if self.layers is not None:
                    self.field = receptive_field(
                        self.layers, panel.session.layer_shapes, selection.layer,
                        selection.row, selection.col,
                    )  # fmt: skip
            else:
                corner = (selection.index - 0.5, -0.5)
            self.unit_box = Rectangle(corner, 1, 1, fill=False, ec=palette.SELECTION, lw=1.5)
            view.axes.add_patch(self.unit_box)
            panel.canvas.add_animated(self.unit_box)
        self._show_field()
        self._draw_kernels(selection)
        self.show_input(panel.session.explanation)
        panel.canvas.draw_idle()

    def select_at(self, view, x: float, y: float) -> Selection | None:
        """Select the unit under data point (x, y) of ``view``'s axes (again: unselect it)."""
        chosen = None
        if view.kind == "maps":
            found = view.tiling.locate(x, y)
            if found is not None:
                chosen = Selection(view.name, *found)
        elif view.kind == "strip":
            unit = int(np.floor(x + 0.5))
            if 0 <= unit < view.shape[0]:
                chosen = Selection(view.name, unit, is_map=False)
        if chosen == self.selection:
            chosen = None
        self.select(chosen)
        return chosen

    def _show_field(self) -> None:
        box = self.field
        self.field_box.set_visible(box is not None)
        if box is not None:
            self.field_box.set_bounds(
                box.left - 0.5, box.top - 0.5, box.right - box.left + 1, box.bottom - box.top + 1
            )

    def _draw_kernels(self, selection: Selection | None) -> None:
        ax = self.kernel_axes
        ax.cla()
        ax.set_xticks([])
        ax.set_yticks([])
        made = None
        if selection is not None and selection.is_map and self.layers is not None:
            kernels = self.panel.recognizer.filters()
            made = making_kernels(self.layers, kernels, selection.layer, selection.index)
        self.made = made
        if made is None:
            ax.text(0.5, 0.5, "click\na map" if selection is None else "dense:\nnone",
                    ha="center", va="center", fontsize=palette.TEXT_PT, color="#666666",
                    transform=ax.transAxes)  # fmt: skip
            self.fit_labels()
            return
        conv, kernel = made
        kh, kw, cin = kernel.shape
        limit = imaging.weight_limit(kernels[conv])
        self.kernel_tiling = kernel_tiling(kh, kw, cin)
        ax.imshow(imaging.mosaic(kernel, self.kernel_tiling), cmap=imaging.weight_colormap(),
                  vmin=-limit, vmax=limit, interpolation="nearest")  # fmt: skip
        for spine in ax.spines.values():
            spine.set_visible(False)
        self.fit_labels()

    # -- each input ------------------------------------------------------------------------
    def show_input(self, explanation) -> None:
        """Show the new input and the selection's share of its answer (no redraw here)."""
        if self.input_image is None:
            return
        self.input_image.set_data(self._input_pixels(explanation))
        self.contribution = None
        selection = self.selection
        if explanation is None or selection is None:
            return
        found = class_gradients(self.panel.recognizer, explanation, [explanation.label])
        if found is None:
            return
        values = explanation.layers[selection.layer]
        share = found[0].contributions(selection.layer, values)
        if selection.is_map:
            unit = share[selection.row, selection.col, selection.index]
            whole = share[..., selection.index].sum()
        else:
            unit = whole = share[selection.index]
        self.contribution = (float(unit) + 0.0, float(whole) + 0.0)  # + 0.0: no "-0"

    def note(self, explanation) -> str:
        """What the note under the figure says about the selection for ``explanation``."""
        selection = self.selection
        if selection is None:
            return HINT
        view = self.panel.views[selection.layer]
        if selection.is_map:
            where = f"{selection.layer} map {selection.index + 1}, row {selection.row + 1}, "
            where += f"col {selection.col + 1}"
            box = self.field
            sees = "sees the input" if box is None else "sees " + describe_box("input", box)
        else:
            where, sees = f"{selection.layer} unit {selection.index + 1}", "sees the whole input"
        if explanation is None or view.values is None:
            return f"{where}: {sees}. Draw a digit to see its value."
        if selection.is_map:
            value = view.values[selection.row, selection.col, selection.index]
        else:
            value = view.values[selection.index]
        text = f"{where} = {value:.3g}; {sees}."
        if self.made is not None:
            conv, kernel = self.made
            inputs = kernel.shape[2]
            text += f" Made by {conv} filter {selection.index + 1}" + (
                f" ({inputs} kernels, one per input map)." if inputs > 1 else "."
            )
        if self.contribution is not None:
            unit, whole = self.contribution
            scope = f", whole map {whole:+.3g}" if selection.is_map else ""
            text += (
                f" Share of the {explanation.label}'s score (gradient × value): {unit:+.3g}{scope}."
            )
        return text

    # -- hovering the input ----------------------------------------------------------------
    def hover_input(self, x: float, y: float) -> str | None:
        """Outline the units input pixel (x, y) feeds; the readout's text."""
        r, c = int(np.floor(y + 0.5)), int(np.floor(x + 0.5))
        if not (0 <= r < 28 and 0 <= c < 28) or self.layers is None:
            self.hide_fed()
            return None
        fed = fed_units(self.layers, self.panel.session.layer_shapes, r, c)
        if fed != self.fed:
            self.fed = fed
            for name, outline in self._outlines.items():
                box = fed.get(name)
                outline.set_visible(box is not None)
                if box is not None:
                    tiling = self.panel.views[name].tiling
                    segments = []
                    for k in range(tiling.count):
                        segments += box_segments(box, *tiling.origin(k))
                    outline.set_segments(segments)
            self.panel.canvas.refresh()
        parts = [describe_box(name, box) for name, box in fed.items()]
        return f"input row {r + 1}, col {c + 1} feeds " + "; ".join(parts)

    def hide_fed(self) -> None:
        """Remove the fed-unit outlines (the mouse left the input)."""
        if self.fed:
            self.fed = {}
            for outline in self._outlines.values():
                outline.set_visible(False)
            self.panel.canvas.refresh()
