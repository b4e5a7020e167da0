"""The cross-validation bench's interval over writers (bench/writer_folds.py)."""

from __future__ import annotations

import numpy as np

from bench.writer_folds import writer_interval


def test_the_interval_spans_what_other_writers_would_give():
    writers = np.repeat(np.arange(30), 50)
    assert writer_interval(np.ones(len(writers), bool), writers) == (1.0, 1.0)
    correct = np.ones(len(writers), bool)
    correct[writers == 7] = False  # one writer of 30 is never read right
    pooled = correct.mean()
    low, high = writer_interval(correct, writers)
    # Drawn again, 30 writers hold that writer 0, 1, 2, ... times: the pooled
    # share moves by whole writers, 1/30 each.
    assert low < pooled <= high == 1.0
    assert np.isclose(low, 1 - 3 / 30) or np.isclose(low, 1 - 4 / 30)
