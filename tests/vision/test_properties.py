"""Property tests: no array, shape or dtype crashes the vision code; it finds digits or none."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lenet_desktop.vision.detect import find_digits
from lenet_desktop.vision.preprocess import preprocess_digit, to_gray8

DTYPES = [np.uint8, np.uint16, np.int16, np.int32, np.float32, np.float64, np.bool_]


@st.composite
def images(draw):
    """Any image-shaped array: 1 to 80 pixels a side, grey/1/3/4 channels, any dtype and values."""
    dtype = draw(st.sampled_from(DTYPES))
    h = draw(st.integers(1, 80))
    w = draw(st.integers(1, 80))
    channels = draw(st.sampled_from([None, 1, 3, 4]))
    shape = (h, w) if channels is None else (h, w, channels)
    kind = draw(st.sampled_from(["random", "constant", "blob"]))
    if kind == "random":
        if np.dtype(dtype).kind == "f":
            elements = st.floats(allow_nan=True, allow_infinity=True, width=32)
        else:
            elements = None
        return draw(arrays(dtype, shape, elements=elements))
    value = draw(st.integers(0, 255))
    image = np.full(shape, value).astype(dtype)
    if kind == "blob" and h > 4 and w > 4:
        y, x = draw(st.integers(0, h - 3)), draw(st.integers(0, w - 3))
        image[y : y + 3, x : x + draw(st.integers(1, w - x))] = 255 - value
    return image


def _check_digit(digit):
    assert digit.shape == (28, 28) and digit.dtype == np.float32
    assert np.isfinite(digit).all() and digit.min() >= 0.0 and digit.max() <= 1.0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(images())
def test_preprocess_never_crashes(image):
    result = preprocess_digit(image)
    if result.found:
        _check_digit(result.digit)
        x, y, w, h = result.box
        assert 0 <= x and 0 <= y and w >= 1 and h >= 1
        assert x + w <= image.shape[1] and y + h <= image.shape[0]
    else:
        assert result.digit is None and result.reason.startswith("no digit")
    for _, step in result.steps:
        assert step.dtype == np.uint8


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(images())
def test_find_digits_never_crashes(image):
    for candidate in find_digits(image):
        _check_digit(candidate.digit)
        x, y, w, h = candidate.box
        assert 0 <= x and 0 <= y and x + w <= image.shape[1] and y + h <= image.shape[0]
        assert candidate.line >= 0


@settings(max_examples=60, deadline=None)
@given(
    st.one_of(
        arrays(np.uint8, st.tuples(st.integers(1, 9))),
        arrays(np.uint8, st.tuples(st.integers(1, 5), st.integers(1, 5), st.sampled_from([2, 5]))),
        arrays(
            np.uint8,
            st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), st.integers(1, 3)),
        ),
        arrays(np.uint8, st.tuples(st.integers(0, 3), st.just(0))),
        arrays(np.complex64, st.tuples(st.integers(1, 5), st.integers(1, 5))),
    )
)
def test_non_images_are_a_clear_value_error(array):
    for function in (preprocess_digit, find_digits, to_gray8):
        with pytest.raises(ValueError, match="image|dtype"):
            function(array)
