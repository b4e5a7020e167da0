"""Order statistics of small integer arrays, exactly as NumPy gives them, with less overhead.

``numpy.median`` costs some 13 microseconds on a 28x28 image, most of it in
argument handling; a digit's preprocessing takes several. :func:`median` gives
the same value (bit for bit) from one partition.
"""

from __future__ import annotations

import numpy as np


def median(values: np.ndarray) -> float:
    """The median of all of ``values``, as ``float(numpy.median(values))`` gives it.

    Integer arrays take the fast path: one partition, and for an even count
    the mean of the two middle values (exact in float64, as NumPy computes
    it). Any other dtype (floats may hold NaN), or no values, goes to NumPy.
    """
    array = np.asarray(values)
    if array.dtype.kind not in "iu" or array.size == 0:
        return float(np.median(array))
    flat = array.ravel()
    middle = flat.size // 2
    if flat.size % 2:
        return float(np.partition(flat, middle)[middle])
    part = np.partition(flat, (middle - 1, middle))
    return (float(part[middle - 1]) + float(part[middle])) / 2.0


def percentile(values: np.ndarray, q: float) -> float:
    """The ``q``-th percentile of all of ``values``, as ``float(numpy.percentile(values, q))``.

    Integer arrays take the fast path: NumPy's "linear" method step by step
    (its virtual index, the two neighbouring order statistics from one
    partition, its interpolation in float64). Anything else goes to NumPy.
    """
    array = np.asarray(values)
    if array.dtype.kind not in "iu" or array.size == 0 or type(q) not in (int, float):
        return float(np.percentile(array, q))
    flat = array.ravel()
    quantile = np.true_divide(q, 100)
    if not 0 <= quantile <= 1:
        raise ValueError("Percentiles must be in the range [0, 100]")
    virtual = (flat.size - 1) * quantile  # the "linear" method's virtual index
    if virtual >= flat.size - 1:
        return float(flat.max())
    below = np.floor(virtual)
    index, gamma = int(below), float(virtual - below)
    part = np.partition(flat, (index, index + 1))
    low, high = part[index], part[index + 1]
    step = high - low
    return float(high - step * (1 - gamma)) if gamma >= 0.5 else float(low + step * gamma)
