"""Stack a figure's axes top to bottom so images keep square pixels and fill the width.

Matplotlib's grid layouts give each row a fixed share of the height, which
leaves mosaics of feature maps small in a narrow dock. :func:`stack_rows`
places rows in pixels instead: images as wide as the figure allows (shrunk
together when the figure is too short), fixed-height rows (strips, bars,
colour bars) at their height, a title band above each row. The panels call it
again on every resize.
"""

from __future__ import annotations

from dataclasses import dataclass

TITLE_PX = 20
BOTTOM_PX = 4
MIN_IMAGE_PX = 44
"""The flattest image row is never shrunk below this height, where the width allows it:
a shorter figure scrolls instead."""
SPACING_PX = 12.0
"""Room between axes side by side in one row."""


@dataclass
class Row:
    """One row of a stacked figure."""

    axes: list
    """The axes side by side in this row (usually one)."""
    aspect: float | None = None
    """Height / width of the content for image rows; ``None`` for fixed-height rows."""
    height_px: float = 0.0
    """Height of a fixed-height row."""
    below_px: float = 0.0
    """Room under the row for tick labels."""
    above_px: float = 0.0
    """Room between the title and the row, for tick labels on top."""
    widths: list[float] | None = None
    """Relative widths of the axes in the row (all the same when ``None``)."""


def _fixed_px(rows: list[Row], top_px: float) -> float:
    """Height of everything but the image rows: titles, tick-label room, fixed rows, margins."""
    fixed = sum(r.height_px for r in rows if r.aspect is None)
    return fixed + sum(TITLE_PX + r.above_px + r.below_px for r in rows) + top_px + BOTTOM_PX


def minimum_height(rows: list[Row], top_px: float = 4) -> int:
    """The least height (pixels) that shows every row of ``rows`` without overlap.

    Titles, tick labels and fixed-height rows at their height, image rows
    shrunk together (as :func:`stack_rows` shrinks them) until the flattest is
    :data:`MIN_IMAGE_PX` high: the others keep their proportions, so a row of
    two tiles is twice as high as a row of one. Whatever the width, this is
    the same height, so a scroll bar that appears and narrows the figure does
    not change it (where the width is too small for that height, the rows are
    as wide as the figure and the rest is empty).
    """
    aspects = [r.aspect for r in rows if r.aspect is not None]
    images = MIN_IMAGE_PX * sum(aspects) / min(aspects) if aspects else 0.0
    return int(round(_fixed_px(rows, top_px) + images))


def natural_height(
    rows: list[Row], width_px: float, left_px: float = 8, right_px: float = 8, top_px: float = 4
) -> int:
    """The height (pixels) that shows every row of ``rows`` unshrunk, as wide as ``width_px``."""
    usable_w = max(width_px - left_px - right_px, 10.0)
    images = sum(usable_w * r.aspect for r in rows if r.aspect is not None)
    return int(round(_fixed_px(rows, top_px) + images))


def stack_rows(
    figure, rows: list[Row], left_px: float = 8, right_px: float = 8, top_px: float = 4
) -> None:
    """Position every axes of ``rows`` in ``figure`` (pixels of its current size).

    Parameters
    ----------
    figure : matplotlib.figure.Figure
    rows : list of Row
        Top to bottom.
    left_px, right_px, top_px : float
        Margins in pixels.
    """
    width, height = figure.get_size_inches() * figure.dpi
    usable_w = max(width - left_px - right_px, 10.0)
    fixed = _fixed_px(rows, top_px)
    natural = sum(usable_w * r.aspect for r in rows if r.aspect is not None)
    room = max(height - fixed, 10.0)
    scale = min(1.0, room / natural) if natural else 1.0
    used = fixed + natural * scale
    gap = max(0.0, (height - used) / max(len(rows), 1))
    gap = min(gap, 24.0)
    y = height - top_px
    for row in rows:
        y -= TITLE_PX + row.above_px
        if row.aspect is None:
            row_h, row_w = row.height_px, usable_w
        else:
            row_h = usable_w * row.aspect * scale
            row_w = usable_w * scale
        y -= row_h
        _place(figure, row, left_px, y, row_w, row_h, width, height)
        y -= row.below_px + gap


def _place(figure, row: Row, x0: float, y: float, row_w: float, row_h: float, width, height):
    weights = row.widths or [1.0] * len(row.axes)
    total = sum(weights)
    spacing = SPACING_PX if len(row.axes) > 1 else 0.0
    free = row_w - spacing * (len(row.axes) - 1)
    x = x0
    for ax, weight in zip(row.axes, weights, strict=True):
        w = free * weight / total
        ax.set_position([x / width, y / height, max(w, 1.0) / width, max(row_h, 1.0) / height])
        x += w + spacing
