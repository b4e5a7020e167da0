"""Choose how touching digits are cut: the best path through the recognizer's scores.

Each :class:`~lenet_desktop.vision.segments.Segment` of a wide group has been
classified (in the same batched call as every other digit of the image). A
path from the group's left edge to its right edge through segments that meet
at cut positions is one way to read it; dynamic programming finds the path
with the highest score, the sum over its segments of the log of the
recognizer's confidence, a penalty for shapes no digit has (wider than a
digit; narrow unless a 1) and a cost per segment, so that a digit is not cut
into pieces that each look like a digit. The number of digits is not fixed.
"""

from __future__ import annotations

import math

import numpy as np

SEGMENT_COST = 0.7
"""Log-score each extra digit costs (against cutting one digit into two)."""
WIDE_PENALTY = 4.0
"""Log-score lost per digit height of width beyond :data:`WIDEST`."""
WIDEST = 0.95
NARROW_PENALTY = 10.0
"""Log-score lost per digit height a non-1 is narrower than :data:`NARROWEST`."""
NARROWEST = 0.35
GAP_COST = 0.3
"""Log-score lost passing over a span between cuts too empty to be a digit (a link, a tail)."""


def segment_score(probabilities: np.ndarray, width: float) -> float:
    """Score of one segment read as its most likely digit."""
    label = int(np.argmax(probabilities))
    score = math.log(max(float(probabilities[label]), 1e-9)) - SEGMENT_COST
    score -= WIDE_PENALTY * max(0.0, width - WIDEST)
    if label != 1:
        score -= NARROW_PENALTY * max(0.0, NARROWEST - width)
    return score


def _scored_edges(
    options, probabilities: np.ndarray, gaps
) -> list[tuple[int, int, int | None, float]]:
    """Every segment and gap as (start cut, stop cut, option index or None, score), by stop.

    Sorted by the cut they end at, so that a pass in this order has every way
    into a cut before it leaves it; a gap scores 0.
    """
    edges = [
        (segment.start, segment.stop, i, segment_score(probabilities[i], segment.width))
        for i, segment in enumerate(options)
    ]
    edges += [(start, stop, None, -GAP_COST) for start, stop in gaps]
    return sorted(edges, key=lambda edge: edge[1])


def best_path(cuts: int, options, probabilities: np.ndarray, gaps=()) -> list[int] | None:
    """Indices into ``options`` of the best reading of a group, left to right.

    Parameters
    ----------
    cuts : int
        Number of cut positions (0 and ``cuts - 1`` are the group's edges).
    options : list of Segment
        Segments between cut positions (``start < stop``).
    probabilities : ndarray
        (len(options), 10) class probabilities of the segments.
    gaps : sequence of (int, int)
        Spans between neighbouring cuts that a path may pass over unread
        (too little ink for a digit), at no cost.

    Returns
    -------
    list of int or None
        ``None`` when no path of segments spans the group.
    """
    best = [-math.inf] * cuts
    back: list[int | None] = [None] * cuts
    best[0] = 0.0
    for start, stop, i, gain in _scored_edges(options, probabilities, gaps):
        if best[start] == -math.inf:
            continue
        if best[start] + gain > best[stop]:
            best[stop] = best[start] + gain
            back[stop] = i if i is not None else -1 - start
    if best[cuts - 1] == -math.inf:
        return None
    path, at = [], cuts - 1
    while at != 0:
        i = back[at]
        if i < 0:
            at = -1 - i
            continue
        path.append(i)
        at = options[i].start
    return path[::-1]


READINGS_KEPT = 32
"""Most distinct readings :func:`reading_share` follows into each cut (a beam)."""


def reading_share(
    cuts: int, options, probabilities: np.ndarray, gaps=(), path: list[int] | None = None
) -> float:
    """How much the best path's reading stands out among the readings of all paths.

    A path's weight is the exponential of its score (see :func:`best_path`).
    Paths that cut a group differently and read the same digits count
    together: only other readings are rivals. Near 1 when the group reads one
    way however it is cut; near 1/k when k readings score about as well. The
    weight of every path is summed exactly (the forward algorithm); the weight of each
    reading is followed for the :data:`READINGS_KEPT` heaviest readings into
    each cut, so the share of the best path's reading is at worst a little low.
    ``path`` is the best path when the caller has it (see :func:`best_path`).
    """
    if path is None:
        path = best_path(cuts, options, probabilities, gaps)
    if path is None:
        return 0.0
    labels = [int(np.argmax(p)) for p in probabilities]
    best_reading = "".join(str(labels[i]) for i in path)
    readings: list[dict[str, float]] = [{} for _ in range(cuts)]
    readings[0][""] = 0.0
    total = [-math.inf] * cuts
    total[0] = 0.0
    pruned = [False] * cuts
    for start, stop, i, gain in _scored_edges(options, probabilities, gaps):
        if total[start] == -math.inf:
            continue
        total[stop] = np.logaddexp(total[stop], total[start] + gain)
        if not pruned[start]:
            kept = sorted(readings[start].items(), key=lambda item: -item[1])[:READINGS_KEPT]
            readings[start] = dict(kept)
            pruned[start] = True
        step = "" if i is None else str(labels[i])
        into = readings[stop]
        for text, weight in readings[start].items():
            key = text + step
            into[key] = np.logaddexp(into.get(key, -math.inf), weight + gain)
    weight = readings[cuts - 1].get(best_reading, -math.inf)
    return float(math.exp(min(0.0, weight - total[cuts - 1])))
