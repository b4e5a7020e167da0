"""The window's colours and text sizes, in one place, for Qt widgets and matplotlib alike.

Colours are hex strings (``QColor("#1e9646")`` and matplotlib both read
them). Every view that draws class probabilities uses :data:`BAR` and
:data:`TOP_BAR`, so the answer beside the input and the Activations panel's
output bars agree; every text in a panel figure is at least
:data:`MIN_POINT_SIZE` points.
"""

from __future__ import annotations

BAR = "#5a82be"
"""A class probability bar."""
TOP_BAR = "#1e9646"
"""The bar of the most probable class (the answer)."""
PICKED_BAR = "#d9822b"
"""The bar of a class the user picked to explain (when it is not the answer)."""
CAPTION_ON_DIGIT = "#ffd54f"
"""Text written over a (black) digit, such as "7→2" in the report's gallery."""
SELECTION = "#00e5ff"
"""The outline of what is selected: a tile, a unit, a receptive field."""
FED_UNITS = "#7cfc00"
"""The outline of the units an input pixel feeds."""
SALIENCY_CMAP = "RdBu_r"
"""Gradient saliency: red where more ink raises the class score, blue where it lowers it."""

MIN_POINT_SIZE = 9.0
"""The smallest text anywhere in a panel (legends, notes, tick labels)."""
TEXT_PT = 9.0
"""Tick labels, legends and notes in panel figures."""
TITLE_PT = 10.0
"""Titles of the rows of a panel figure."""
