"""Groups of ink that are not digits: specks, printed hairlines, cell walls, printed meshes.

:mod:`lenet_desktop.vision.detect` gathers the pieces of ink of a photo into
groups, one per digit or mark; these filters drop the groups that no digit
makes: specks too small next to the digits, bands of a printed line far
thinner than the pen, the walls of a table cell beside (or without) a number,
what is left of a border along the crop's edge, and the mesh of a security
pattern. Each works on the groups' boxes (and a group's mask), at the working
resolution.
"""

from __future__ import annotations

from statistics import median

import cv2
import numpy as np

from lenet_desktop.vision.gather import Group, typical_height
from lenet_desktop.vision.lines import stroke_width

MIN_HEIGHT = 6
"""No digit is shorter than this many pixels at the working resolution."""
MIN_HEIGHT_FRACTION = 0.02
"""... nor shorter than this fraction of the working image's short side."""
SPECK_HEIGHT = 0.4
"""Groups both shorter and narrower than this fraction of the typical digit height are specks."""
EDGE_SLIVER = 0.1
"""Bands along the border, on average thinner than this fraction of the typical digit
height (printed lines are finer than a digit's strokes, about 0.12 of its height) and
three times longer than thick, are what is left of a border cut by the crop."""
HAIRLINE = 0.5
"""Straight bands thinner on average than this fraction of the pen's stroke are printed lines."""
CELL_WALL_SPAN = 0.75
"""An outermost upright band spanning this fraction of the crop's height, and at least
:data:`CELL_WALL_TALLER` times as tall as the other digits, is the wall of a table cell
(a written 1 sits within the cell's margins, as tall as the digits beside it)."""
CELL_WALL_TALLER = 1.15
"""See :data:`CELL_WALL_SPAN`."""
CELL_WALL_FULL = 0.95
"""An outermost upright band spanning this fraction of the crop's height is a wall as
soon as it is :data:`CELL_WALL_FULL_TALLER` times as tall as the other digits (a big
digit beside it may fill the cell nearly as high)."""
CELL_WALL_FULL_TALLER = 1.05
"""See :data:`CELL_WALL_FULL`."""
WALL_HUG = 0.03
"""An upright band (three times taller than wide) within this fraction of the crop's
width from its left or right edge (all of a wall, or what is left of it) ..."""
WALL_ROOM = 1.0
"""... with empty paper beside it this many times its height wide, is a cell's wall (a
tight crop of a 1 has no room beside it; of "11", the other 1 close by)."""
WALL_THIN = 0.11
"""A band spanning :data:`CELL_WALL_SPAN` of the crop's height counts as upright when
its ink is this thin for its height (ink area / height², its mean thickness over the
height): a wall that kept the stubs of the cell's top and bottom borders ("[", "L") is
wider than a third of its height but holds no more ink than a line. (A pen's 7 as wide
holds about 0.16: its bar and its stem, each as thick as the pen's strokes.)"""
BOX_INSET = 0.15
"""A drawn box, or a cell cropped with some margin, has its wall further in: a band
spanning :data:`CELL_WALL_SPAN` of the height within this fraction of the crop's
height from its side is along the side too."""
BOX_SIDE = 0.5
"""The two sides of an empty box (:func:`_box_sides`) are each at least this fraction of
the crop's height ..."""
BOX_MATCH = 0.1
"""... and their tops, and their bottoms, are within this fraction of it of each other."""
EDGE_WALL = 0.09
"""An outermost upright band within this fraction of the crop's height from its side ..."""
EDGE_WALL_THIN = 0.8
"""... whose ink is thinner on average than this fraction of the pen's strokes in the
digits beside it is a cell's wall (printed lines are finer than a pen's digits; a 1
written as close to the cell's side is rare, as thick as the other strokes), unless the
ink fills the crop's height (a tight crop, whose 1 may touch its side)."""
TIGHT = 0.05
"""Ink that comes this close (a fraction of the height) to a crop's top and bottom fills
it: the crop is tight around it."""
MESH_HOLES = 30
"""A group with more holes than this per digit-height of width is a printed mesh."""
CROP_HEIGHT = 0.2
"""In a small crop (enlarged to be read), no digit is shorter than this fraction of it."""


def drop_specks(groups: list[Group], shape: tuple[int, int], enlarged: bool = False) -> list[Group]:
    """Keep groups tall or wide enough to be a digit next to the others.

    In a small crop that was ``enlarged`` (a table cell, an amount), a digit also
    fills a good part of the crop's height (:data:`CROP_HEIGHT`).
    """
    if not groups:
        return groups
    reference = typical_height(groups)
    least = CROP_HEIGHT if enlarged else MIN_HEIGHT_FRACTION
    smallest = max(MIN_HEIGHT, least * min(shape))
    kept = []
    h, w = shape
    largest = max(groups, key=lambda g: g.area)
    for group in groups:
        if max(group.height, group.width) < SPECK_HEIGHT * reference:
            continue
        if group.height < smallest:
            continue
        if group is not largest and _edge_sliver(group, reference, w, h):
            continue  # what is left of a table's border along the crop's edge
        kept.append(group)
    return kept


def without_hairlines(groups: list[Group], mask: np.ndarray) -> list[Group]:
    """Drop straight bands far thinner than the pen's strokes: pieces of printed lines.

    A band's mean thickness is its area over its length; a 1 is as thick as
    the strokes of the other digits, a piece of a cell's border (what is left
    of it where it met a digit, or where it stops short of the crop's edge) is not.
    """
    bands = [g for g in groups if max(g.width, g.height) ** 2 >= 4 * g.area]
    if not bands or len(groups) < 2:
        return groups
    x0, y0 = min(g.x0 for g in groups), min(g.y0 for g in groups)
    x1, y1 = max(g.x1 for g in groups), max(g.y1 for g in groups)
    stroke = stroke_width(mask[y0:y1, x0:x1])
    thin = {id(g) for g in bands if g.area / max(g.width, g.height) < HAIRLINE * stroke}
    return [g for g in groups if id(g) not in thin]


def without_cell_walls(
    groups: list[Group], height: int, width: int | None = None, enlarged: bool = False
) -> list[Group]:
    """Drop the leftmost or rightmost group where it is a cell's wall, not a 1.

    A photo of a table cell has the cell's vertical border beside the number;
    cut off short of the crop's edge it survives the edge tests. It is upright,
    runs most of the crop's height and stands clearly taller than the digits
    beside it (see :data:`CELL_WALL_SPAN`), or runs its full height and stands
    taller (:data:`CELL_WALL_FULL`). Given the crop's ``width``, an upright band
    along its left or right edge with empty paper beside it (see
    :data:`WALL_HUG`), as in an empty cell, is a wall too, also with the stubs of
    the cell's borders at its ends (:data:`WALL_THIN`) or a little in from the edge
    (:data:`BOX_INSET`; :data:`EDGE_WALL` in a small crop that was ``enlarged``);
    otherwise one group alone is kept.
    """
    walls = set()
    if width is not None:
        walls = {id(g) for g in groups if _lone_wall(g, groups, width, height, enlarged)}
    rest = [g for g in groups if id(g) not in walls]
    if width is not None and _box_sides(rest, width, height):
        return []
    if len(rest) < 2:
        return rest
    ends = {id(min(rest, key=lambda g: g.x0)), id(max(rest, key=lambda g: g.x1))}
    for group in rest:
        if id(group) not in ends or group.width * 3 > group.height:
            continue
        others = median(g.height for g in rest if g is not group)
        spans, full = (
            group.height >= CELL_WALL_SPAN * height,
            group.height >= CELL_WALL_FULL * height,
        )
        if (spans and group.height >= CELL_WALL_TALLER * others) or (
            full and group.height >= CELL_WALL_FULL_TALLER * others
        ):
            walls.add(id(group))
    return [g for g in groups if id(g) not in walls]


def without_edge_walls(groups: list[Group], mask: np.ndarray) -> list[Group]:
    """Drop the leftmost or rightmost group where it is a cell's wall by the crop's side.

    What :func:`without_cell_walls` leaves: a wall no taller than the digits, at
    the crop's side (:data:`EDGE_WALL`) and thinner than their strokes
    (:data:`EDGE_WALL_THIN`). For small crops only: in a frame a row of digits may
    end near its side.

    Parameters
    ----------
    groups : list of Group
        The digits found in a crop.
    mask : ndarray
        uint8 (H, W) ink mask the groups were found in (the crop's shape).

    Returns
    -------
    list of Group
        ``groups`` without the walls, in the same order; as given when the ink
        fills the crop's height (:data:`TIGHT`) or there are fewer than two.
    """
    if len(groups) < 2:
        return groups
    height, width = mask.shape
    top, bottom = min(g.y0 for g in groups), max(g.y1 for g in groups)
    if top <= TIGHT * height and bottom >= (1 - TIGHT) * height:
        return groups  # a tight crop: its ink fills its height, a 1 may touch its side
    edge = EDGE_WALL * height
    ends = [min(groups, key=lambda g: g.x0), max(groups, key=lambda g: g.x1)]
    walls = set()
    for group, margin in ((ends[0], ends[0].x0), (ends[1], width - ends[1].x1)):
        if margin > edge or group.width * 3 > group.height or id(group) in walls:
            continue
        others = [g for g in groups if g is not group and id(g) not in walls]
        if not others:
            continue
        x0, y0 = min(g.x0 for g in others), min(g.y0 for g in others)
        x1, y1 = max(g.x1 for g in others), max(g.y1 for g in others)
        stroke = stroke_width(mask[y0:y1, x0:x1])
        if group.area / group.height < EDGE_WALL_THIN * stroke:
            walls.add(id(group))
    return [g for g in groups if id(g) not in walls]


def is_mesh(mask: np.ndarray, group: Group) -> bool:
    """Whether a group is a mesh of fine lines (a security pattern), not digits.

    Digits have a few loops each (an 8 two, pinholes in thick ink a few more);
    a guilloche has hundreds: more than :data:`MESH_HOLES` per digit-height of width.
    """
    inside = cv2.bitwise_not(mask)
    count, _, stats, _ = cv2.connectedComponentsWithStats(inside, connectivity=4)
    h, w = mask.shape
    x, y, bw, bh = (stats[1:, k] for k in range(4))
    holes = int(np.count_nonzero((x > 0) & (y > 0) & (x + bw < w) & (y + bh < h)))
    return holes > MESH_HOLES * max(1.0, group.width / max(1, group.height))


def _box_sides(groups: list[Group], width: int, height: int) -> bool:
    """Whether ``groups`` are the two sides of an empty box: a pair of matching upright bands.

    One stands by the crop's left side and one by its right (within
    :data:`BOX_INSET` of the height), as tall as each other and level (within
    :data:`BOX_MATCH` of the crop's height), at least :data:`BOX_SIDE` of it
    high, with empty paper between them as wide as :data:`WALL_ROOM` times
    their height (a tight crop of "11" has its 1s close together).
    """
    if len(groups) != 2:
        return False
    left, right = sorted(groups, key=lambda g: g.x0)
    inset = max(2, int(BOX_INSET * height))
    match = BOX_MATCH * height
    return (
        all(g.height >= BOX_SIDE * height and _upright(g, height, BOX_SIDE) for g in groups)
        and left.x0 <= inset
        and right.x1 >= width - inset
        and abs(left.y0 - right.y0) <= match
        and abs(left.y1 - right.y1) <= match
        and right.x0 - left.x1 >= WALL_ROOM * max(left.height, right.height)
    )


def _upright(group: Group, height: int, span: float) -> bool:
    """Upright as a wall is: three times taller than wide, or, spanning ``span`` of the
    crop's ``height``, holding no more ink than a line (:data:`WALL_THIN`)."""
    if group.width * 3 <= group.height:
        return True
    return group.height >= span * height and group.area <= WALL_THIN * group.height**2


def _lone_wall(
    group: Group, groups: list[Group], width: int, height: int, enlarged: bool = False
) -> bool:
    """Whether ``group`` is an upright band along the crop's side with empty paper beside it.

    In a small crop that was ``enlarged``, a band within :data:`EDGE_WALL` of the
    crop's height from its side is along it (a cell's wall cut a few pixels in).
    """
    spans = group.height >= CELL_WALL_SPAN * height
    if not _upright(group, height, CELL_WALL_SPAN):
        return False
    edge = BOX_INSET if spans else EDGE_WALL if enlarged else 0.0
    hug = max(2, int(WALL_HUG * width), int(edge * height))
    if group.x0 <= hug:
        beside = [g.x0 for g in groups if g is not group and g.x0 >= group.x1]
        room = min(beside, default=width) - group.x1
    elif group.x1 >= width - hug:
        beside = [g.x1 for g in groups if g is not group and g.x1 <= group.x0]
        room = group.x0 - max(beside, default=0)
    else:
        return False
    return room >= WALL_ROOM * group.height


def _edge_sliver(group: Group, reference: float, w: int, h: int) -> bool:
    """Whether a group is a thin band along the crop's edge that it touches (see EDGE_SLIVER)."""
    long = max(group.width, group.height)
    if group.height >= group.width:
        along = group.x0 == 0 or group.x1 == w
    else:
        along = group.y0 == 0 or group.y1 == h
    thin = group.area / long  # the mean thickness of a band
    return along and thin < EDGE_SLIVER * reference and long >= 3 * thin
