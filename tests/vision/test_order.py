"""The fast median and percentile give NumPy's values bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from lenet_desktop.vision.order import median, percentile


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


def test_percentile_is_numpys_percentile_exactly():
    rng = np.random.default_rng(4)
    for size in [*range(1, 60), 783, 784, 1000, 4096]:
        for dtype in (np.uint8, np.int16, np.uint16):
            info = np.iinfo(dtype)
            top = rng.choice([3, 40, int(info.max)])
            values = rng.integers(max(info.min, -top), top, size, endpoint=True, dtype=dtype)
            for q in (0, 1, 10, 25, 50, 75, 80, 90, 97, 99, 100, 33.3, 12.5):
                assert percentile(values, q) == float(np.percentile(values, q)), (size, q)
    floats = rng.normal(size=99)
    assert percentile(floats, 80) == float(np.percentile(floats, 80))
    with pytest.raises(ValueError):
        percentile(np.arange(5), 101)
