"""The fast median gives NumPy's median bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from lenet_desktop.vision.order import median


def test_median_is_numpys_median_exactly():
    rng = np.random.default_rng(3)
    for size in [*range(1, 40), 783, 784, 4096, 4097]:
        for dtype in (np.uint8, np.int16, np.int32, np.uint16):
            info = np.iinfo(dtype)
            values = rng.integers(info.min, info.max, size, endpoint=True, dtype=dtype)
            expected = float(np.median(values))
            assert median(values) == expected and isinstance(median(values), float)
            square = values[: size - size % 4].reshape(-1, 4) if size >= 4 else values
            assert median(square) == float(np.median(square))
    # Floats (which may hold NaN) and empty arrays are NumPy's own answer.
    floats = rng.normal(size=101)
    assert median(floats) == float(np.median(floats))
    assert np.isnan(median(np.array([1.0, np.nan, 2.0])))
    with pytest.warns(RuntimeWarning):
        assert np.isnan(median(np.zeros(0, np.uint8)))
