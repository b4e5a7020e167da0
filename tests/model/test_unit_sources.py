"""Receptive fields and the units an input pixel feeds, against cases worked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from lenet_desktop.model.explanation import layer_shapes
from lenet_desktop.model.unit_sources import (
    Box,
    LayerGeometry,
    fed_units,
    geometry_of,
    making_kernels,
    receptive_field,
)
from tests.model.test_probes import random_recognizer

# The shipped LeNet-5: C1 a 5x5 'same' convolution (28x28), pools of 2, C3 5x5 'valid'.
LENET = [
    LayerGeometry("C1", "conv", (5, 5), "same"),
    LayerGeometry("S2", "pool", (2, 2)),
    LayerGeometry("C3", "conv", (5, 5), "valid"),
    LayerGeometry("S4", "pool", (2, 2)),
    LayerGeometry("flatten", "flatten"),
    LayerGeometry("C5", "dense"),
]
SHAPES = {"C1": (28, 28, 6), "S2": (14, 14, 6), "C3": (10, 10, 16), "S4": (5, 5, 16)}


def test_receptive_fields_worked_by_hand():
    # C1 (10, 5) sees input rows 8..12, cols 3..7; at the corner the padding is cut off.
    assert receptive_field(LENET, SHAPES, "C1", 10, 5) == Box(8, 12, 3, 7)
    assert receptive_field(LENET, SHAPES, "C1", 0, 27) == Box(0, 2, 25, 27)
    # S2 (3, 4) pools C1 rows 6..7, cols 8..9 -> input rows 4..9, cols 6..11.
    assert receptive_field(LENET, SHAPES, "S2", 3, 4) == Box(4, 9, 6, 11)
    # C3 (2, 3): S2 rows 2..6, cols 3..7 -> C1 rows 4..13, cols 6..15 -> input 2..15, 4..17.
    assert receptive_field(LENET, SHAPES, "C3", 2, 3) == Box(2, 15, 4, 17)
    # S4 (4, 4): C3 8..9 -> S2 8..13 -> C1 16..27 -> input 14..29, clipped to 27.
    assert receptive_field(LENET, SHAPES, "S4", 4, 4) == Box(14, 27, 14, 27)


def test_fed_units_worked_by_hand():
    fed = fed_units(LENET, SHAPES, 10, 5)
    assert list(fed) == ["C1", "S2", "C3", "S4"]
    assert fed["C1"] == Box(8, 12, 3, 7)
    assert fed["S2"] == Box(4, 6, 1, 3)
    assert fed["C3"] == Box(0, 6, 0, 3)
    assert fed["S4"] == Box(0, 3, 0, 1)


def test_a_valid_convolution_at_the_edge_feeds_fewer_units():
    layers = [LayerGeometry("C1", "conv", (5, 5), "valid"), LayerGeometry("S2", "pool", (2, 2))]
    shapes = {"C1": (24, 24, 6), "S2": (12, 12, 6)}
    assert fed_units(layers, shapes, 0, 0) == {"C1": Box(0, 0, 0, 0), "S2": Box(0, 0, 0, 0)}
    assert receptive_field(layers, shapes, "S2", 11, 11) == Box(22, 27, 22, 27)


@pytest.mark.parametrize("pixel", [(0, 0), (13, 14), (27, 3), (6, 21)])
def test_fed_units_are_exactly_the_units_that_see_the_pixel(pixel):
    fed = fed_units(LENET, SHAPES, *pixel)
    for name, (height, width, _) in SHAPES.items():
        for r in range(height):
            for c in range(width):
                sees = receptive_field(LENET, SHAPES, name, r, c).contains(*pixel)
                assert sees == fed[name].contains(r, c), (name, r, c)


def test_dense_layers_have_no_receptive_box():
    with pytest.raises(ValueError, match="C5"):
        receptive_field(LENET, SHAPES, "C5", 0, 0)


def test_the_geometry_and_kernels_of_a_real_model():
    recognizer = random_recognizer(5)
    layers = geometry_of(recognizer)
    kinds = {layer.name: layer.kind for layer in layers}
    assert kinds["C1"] == "conv" and kinds["S2"] == "pool" and kinds["C5"] == "dense"
    shapes = layer_shapes(recognizer)
    # Only pixels inside the field of a C3 unit change it, and they reach its edges.
    box = receptive_field(layers, shapes, "C3", 4, 6)
    base = np.random.default_rng(0).random((28, 28)).astype(np.float32)
    batch = np.repeat(base[None], 28 * 28, axis=0)
    rows, cols = np.divmod(np.arange(28 * 28), 28)
    batch[np.arange(28 * 28), rows, cols] += 1.0
    import keras

    probe = keras.Model(recognizer.model.inputs, recognizer.model.get_layer("C3").output)
    before = np.asarray(probe(base[None, ..., None]))[0, 4, 6]
    after = np.asarray(probe(batch[..., None]))[:, 4, 6]
    moved = np.flatnonzero(np.any(np.abs(after - before) > 1e-6, axis=1))
    assert len(moved) and all(box.contains(rows[k], cols[k]) for k in moved)
    assert (rows[moved].min(), rows[moved].max()) == (box.top, box.bottom)
    assert (cols[moved].min(), cols[moved].max()) == (box.left, box.right)
    name, kernel = making_kernels(layers, recognizer.filters(), "S2", 3)
    assert name == "C1"
    np.testing.assert_array_equal(kernel, recognizer.filters()["C1"][:, :, :, 3])
    assert making_kernels(layers, recognizer.filters(), "C3", 7)[1].shape == (5, 5, 6)
    assert making_kernels(layers, recognizer.filters(), "F6", 0) is None
