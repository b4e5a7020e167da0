"""How the window words counts: "1 epoch", "2 epochs", "60,000 images"."""

from __future__ import annotations


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``count`` and ``noun``, in the plural unless ``count`` is 1 (``many`` for irregular ones).

    >>> plural(1, "epoch"), plural(3, "sample"), plural(60000, "image")
    ('1 epoch', '3 samples', '60,000 images')
    """
    word = noun if count == 1 else (many or noun + "s")
    return f"{count:,} {word}"


def sample_count(usable: int, unreadable: int = 0) -> str:
    """How many of the user's samples can be used, and how many files cannot be read.

    >>> sample_count(3), sample_count(18, 2), sample_count(0, 1)
    ('3 samples', '18 usable samples, 2 unreadable', '0 usable samples, 1 unreadable')
    """
    if not unreadable:
        return plural(usable, "sample")
    return f"{plural(usable, 'usable sample')}, {unreadable:,} unreadable"
