"""Array helpers shared by the panels: map mosaics and the colour scales.

Qt-free (NumPy and matplotlib colormaps only), so they are tested without a display.

Colour scales (the same in every panel):

* Activations of a layer after a relu, sigmoid or softmax are drawn with
  ``magma``: black is 0 and the brightest colour is the largest activation in
  that layer for the current input, so all maps of one layer share one scale
  and can be compared with each other. Layers that can be negative (tanh,
  linear) use ``RdBu_r`` centred on 0 with limits ± the layer's largest
  absolute value. Each layer's title gives that largest value.
* Learned kernels use ``RdBu_r`` centred on 0 with limits ± the largest
  absolute weight of the layer (blue negative, red positive).
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib
import numpy as np

from lenet_desktop.gui import palette

ACTIVATION_CMAP = "magma"
SIGNED_CMAP = "RdBu_r"
WEIGHT_CMAP = "RdBu_r"
INPUT_CMAP = "gray"
SEPARATOR = np.nan
"""Value of the 1-pixel gaps between tiles; drawn in the colormap's 'bad' colour."""


def activation_colormap(signed: bool):
    """The colormap of activations (signed or not), grey gaps between tiles."""
    if signed:
        return matplotlib.colormaps[SIGNED_CMAP].with_extremes(bad="#555555")
    return matplotlib.colormaps[ACTIVATION_CMAP].with_extremes(bad="#8c8c8c")


def input_colormap():
    """Grey levels for input digits; an empty image shows dark grey."""
    return matplotlib.colormaps[INPUT_CMAP].with_extremes(bad="#303030")


def weight_colormap():
    """The diverging colormap of kernel weights, dark grey gaps between tiles."""
    return matplotlib.colormaps[WEIGHT_CMAP].with_extremes(bad="#555555")


def kernel_tiles(kernel: np.ndarray) -> tuple[np.ndarray, Tiling]:
    """Kernels (kh, kw, in, out) as tiles for :func:`mosaic`: one row per input
    channel, one column per filter (tile ``i * out + o`` is ``kernel[:, :, i, o]``)."""
    kh, kw, cin, cout = kernel.shape
    tiles = np.asarray(kernel, dtype=np.float32).reshape(kh, kw, cin * cout)
    return tiles, Tiling(kh, kw, cin, cout, cin * cout)


@dataclass(frozen=True)
class Tiling:
    """How maps of one shape are laid out in a mosaic with 1-pixel gaps."""

    tile_h: int
    tile_w: int
    rows: int
    cols: int
    count: int

    @property
    def shape(self) -> tuple[int, int]:
        """(height, width) of the mosaic."""
        return self.rows * (self.tile_h + 1) - 1, self.cols * (self.tile_w + 1) - 1

    def origin(self, index: int) -> tuple[int, int]:
        """(row, col) of the top-left pixel of tile ``index``."""
        r, c = divmod(index, self.cols)
        return r * (self.tile_h + 1), c * (self.tile_w + 1)

    def locate(self, x: float, y: float) -> tuple[int, int, int] | None:
        """(tile index, row, col) under mosaic pixel coordinates, or None on a gap.

        ``x`` and ``y`` are data coordinates of an ``imshow`` of the mosaic,
        where pixel centres sit on whole numbers.
        """
        col, row = int(np.floor(x + 0.5)), int(np.floor(y + 0.5))
        height, width = self.shape
        if not (0 <= row < height and 0 <= col < width):
            return None
        tr, r = divmod(row, self.tile_h + 1)
        tc, c = divmod(col, self.tile_w + 1)
        if r == self.tile_h or c == self.tile_w:
            return None
        index = tr * self.cols + tc
        if index >= self.count:
            return None
        return index, r, c


def tiling_for(maps: np.ndarray, rows: int) -> Tiling:
    """The :class:`Tiling` of ``maps`` (H, W, C) on ``rows`` rows."""
    h, w, count = maps.shape
    cols = -(-count // rows)
    return Tiling(h, w, rows, cols, count)


def mosaic(maps: np.ndarray, tiling: Tiling, out: np.ndarray | None = None) -> np.ndarray:
    """Tile ``maps`` (H, W, C) into one 2-D float32 array, gaps set to NaN.

    Parameters
    ----------
    maps : ndarray
        (H, W, C) feature maps or kernels, tile ``k`` is ``maps[..., k]``.
    tiling : Tiling
        Layout; its tile shape must match ``maps``.
    out : ndarray, optional
        A mosaic to fill in place (its gaps are already NaN).

    Returns
    -------
    ndarray
        float32 mosaic of shape ``tiling.shape``.
    """
    h, w, count = maps.shape
    if (h, w, count) != (tiling.tile_h, tiling.tile_w, tiling.count):
        raise ValueError(f"maps of shape {maps.shape} do not fit {tiling}")
    if out is None:
        out = np.full(tiling.shape, SEPARATOR, dtype=np.float32)
    for index in range(count):
        r, c = tiling.origin(index)
        out[r : r + h, c : c + w] = maps[..., index]
    return out


def tile(mosaic_array: np.ndarray, tiling: Tiling, index: int) -> np.ndarray:
    """Tile ``index`` cut back out of a mosaic (the inverse of :func:`mosaic`)."""
    r, c = tiling.origin(index)
    return np.asarray(mosaic_array)[r : r + tiling.tile_h, c : c + tiling.tile_w]


def activation_limits(values: np.ndarray, signed: bool) -> tuple[float, float]:
    """Colour limits of one layer: (0, max) or, when ``signed``, (-m, m) with m = max |value|.

    The upper limit never drops below a tiny positive number, so a layer that
    is all zeros still has a valid scale (and shows as black).
    """
    array = np.asarray(values)
    if signed:
        top = float(np.max(np.abs(array))) if array.size else 0.0
        top = max(top, 1e-6)
        return -top, top
    top = float(np.max(array)) if array.size else 0.0
    return 0.0, max(top, 1e-6)


def colour_table(cmap) -> np.ndarray:
    """The 256 colours of ``cmap`` as uint8 RGBA rows (what ``cmap`` maps [0, 1] onto)."""
    return np.asarray(cmap(np.arange(cmap.N), bytes=True), dtype=np.uint8)


def gap_colour(cmap) -> np.ndarray:
    """The uint8 RGBA colour ``cmap`` gives NaN (the gaps between tiles)."""
    return np.round(np.asarray(cmap.get_bad()) * 255).astype(np.uint8)


def to_rgba(
    values: np.ndarray, low: float, high: float, table: np.ndarray, gap: np.ndarray
) -> np.ndarray:
    """Colour ``values`` as matplotlib would with ``Normalize(low, high)`` and the colormap
    whose :func:`colour_table` is ``table``; NaNs get the ``gap`` colour.

    Handing matplotlib ready-made RGBA skips its normalising, masking and
    colour mapping at draw time, which is most of the cost of a live frame.
    """
    array = np.asarray(values, dtype=np.float32)
    gaps = np.isnan(array)
    scaled = (np.where(gaps, low, array) - low) * (len(table) / (high - low))
    index = np.clip(np.floor(scaled), 0, len(table) - 1).astype(np.intp)
    rgba = table[index]
    rgba[gaps] = gap
    return rgba


def weight_limit(weights: np.ndarray) -> float:
    """Symmetric colour limit of a kernel tensor: its largest absolute weight."""
    return max(float(np.max(np.abs(weights))), 1e-6)


def ramp_legend(ax, cmap, ticks, labels, title: str) -> None:
    """Draw a horizontal colour bar of ``cmap`` over [0, 1] into ``ax``.

    ``ticks`` are positions in [0, 1] and ``labels`` their texts; the first
    label is left-aligned and the last right-aligned so they stay inside.
    """
    ax.imshow(np.linspace(0, 1, 256)[None], cmap=cmap, aspect="auto", extent=(0, 1, 0, 1))
    ax.set_yticks([])
    ax.set_xticks(list(ticks), list(labels))
    ax.tick_params(labelsize=palette.TEXT_PT, length=2)
    texts = ax.get_xticklabels()
    texts[0].set_horizontalalignment("left")
    texts[-1].set_horizontalalignment("right")
    ax.set_title(title, fontsize=palette.TEXT_PT, loc="left")
