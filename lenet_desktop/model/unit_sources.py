"""Where a unit looks and what it feeds: receptive fields through convolution and pooling (no Qt).

A unit of a feature map sees a rectangle of the 28x28 input (its receptive
field), made by walking back through the layers: a convolution with a k-wide
window widens it by k - 1 (shifted back by the padding of a ``"same"``
convolution), a pooling of size s multiplies it by s. The other way round, an
input pixel feeds, in each map layer, the units whose receptive fields hold
it. Dense layers see everything before them, so the walk stops at the first
``flatten`` or ``dense`` layer. Boxes are inclusive, 0-based, and clipped to
each layer's size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

INPUT_SIZE = (28, 28)


@dataclass(frozen=True)
class LayerGeometry:
    """How one layer maps positions of its input to positions of its output."""

    name: str
    kind: str
    """``"conv"``, ``"pool"``, ``"dense"``, ``"flatten"`` or ``"activation"``."""
    window: tuple[int, int] = (1, 1)
    padding: str = "valid"


@dataclass(frozen=True)
class Box:
    """Rows ``top..bottom`` and columns ``left..right`` (inclusive, 0-based)."""

    top: int
    bottom: int
    left: int
    right: int

    def contains(self, row: int, col: int) -> bool:
        """Whether (row, col) is inside."""
        return self.top <= row <= self.bottom and self.left <= col <= self.right

    def clipped(self, height: int, width: int) -> Box | None:
        """The part inside a ``height`` x ``width`` layer (``None`` when nothing is)."""
        box = Box(max(self.top, 0), min(self.bottom, height - 1), max(self.left, 0),
                  min(self.right, width - 1))  # fmt: skip
        return box if box.top <= box.bottom and box.left <= box.right else None


def geometry_of(recognizer) -> list[LayerGeometry] | None:
    """The layers of ``recognizer`` as :class:`LayerGeometry` (``None`` without the engine)."""
    described = recognizer.layer_geometry()
    if described is None:
        return None
    return [
        LayerGeometry(name, kind, tuple(window), padding)
        for name, kind, window, padding in described
    ]


def _spatial_layers(layers: list[LayerGeometry]) -> list[LayerGeometry]:
    """The layers up to (not including) the first flatten or dense layer."""
    found = []
    for layer in layers:
        if layer.kind in ("flatten", "dense"):
            break
        found.append(layer)
    return found


def _before(layer: LayerGeometry) -> int:
    """Rows of padding a ``"same"`` convolution adds before the input (0 for ``"valid"``)."""
    return (layer.window[0] - 1) // 2 if layer.padding == "same" else 0


def receptive_field(layers, shapes: dict, name: str, row: int, col: int) -> Box:
    """The input pixels unit (row, col) of map layer ``name`` depends on.

    Parameters
    ----------
    layers : list of LayerGeometry
        The model's layers in order.
    shapes : dict
        Output shape (H, W, C) of each layer by name.
    name : str
        A feature-map layer (before any flatten or dense layer).
    row, col : int
        The unit's position in that layer's maps.

    Raises
    ------
    ValueError
        If ``name`` is not a feature-map layer of ``layers``.
    """
    spatial = _spatial_layers(layers)
    names = [layer.name for layer in spatial]
    if name not in names:
        raise ValueError(f"{name!r} is not a feature-map layer ({', '.join(names)})")
    box = Box(row, row, col, col)
    for index in range(names.index(name), -1, -1):
        layer = spatial[index]
        if layer.kind == "conv":
            (kh, kw), ph = layer.window, _before(layer)
            pw = (kw - 1) // 2 if layer.padding == "same" else 0
            box = Box(
                box.top - ph, box.bottom - ph + kh - 1, box.left - pw, box.right - pw + kw - 1
            )
        elif layer.kind == "pool":
            sh, sw = layer.window
            box = Box(
                box.top * sh, box.bottom * sh + sh - 1, box.left * sw, box.right * sw + sw - 1
            )
        size = shapes[names[index - 1]][:2] if index else INPUT_SIZE
        box = box.clipped(*size)
    return box


def fed_units(layers, shapes: dict, row: int, col: int) -> dict[str, Box]:
    """In each feature-map layer, the units whose receptive field holds input pixel (row, col).

    Returns
    -------
    dict
        ``{layer name: Box}`` in layer order; a layer none of whose units
        sees the pixel (possible at the edge of a ``"valid"`` convolution)
        ends the walk.
    """
    box = Box(row, row, col, col)
    found: dict[str, Box] = {}
    for layer in _spatial_layers(layers):
        if layer.kind == "conv":
            (kh, kw), ph = layer.window, _before(layer)
            pw = (kw - 1) // 2 if layer.padding == "same" else 0
            box = Box(
                box.top + ph - kh + 1, box.bottom + ph, box.left + pw - kw + 1, box.right + pw
            )
        elif layer.kind == "pool":
            sh, sw = layer.window
            box = Box(box.top // sh, box.bottom // sh, box.left // sw, box.right // sw)
        box = box.clipped(*shapes[layer.name][:2])
        if box is None:
            break
        found[layer.name] = box
    return found


def making_kernels(layers, kernels: dict, name: str, map_index: int):
    """The convolution whose filter ``map_index`` made map ``map_index`` of layer ``name``.

    Pooling and activation layers keep each map's channel, so a map of S2 was
    made by C1's filter of the same number.

    Returns
    -------
    (str, ndarray) or None
        The convolution's name and its filter, (kh, kw, input maps); ``None``
        for a dense layer or a map no convolution made.
    """
    names = [layer.name for layer in layers]
    if name not in names:
        raise ValueError(f"no layer {name!r}")
    for layer in layers[names.index(name) :: -1]:
        if layer.kind in ("dense", "flatten"):
            return None
        if layer.kind == "conv":
            kernel = np.asarray(kernels[layer.name])
            return layer.name, kernel[:, :, :, map_index]
    return None
