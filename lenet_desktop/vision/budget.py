"""A bound on the work one read may do, whatever the pixels: the GUI and the CLI share it.

Labelling the ink of an image costs time in proportion to its pixels (the
working copy is at most :data:`lenet_desktop.vision.detect.DETECT_SIDE` on its
long side), but what follows costs in proportion to the pieces of ink and the
pairs and segments they make. A sheet of specks or a security pattern holds
thousands of pieces, far more than a number has, and gathering or segmenting
them would take minutes. Every step that grows with the pieces therefore
:meth:`Budget.spend`\\ s work units from one :class:`Budget`; past its limits
the read stops with :class:`TooClutteredError`, whose message is
:data:`TOO_CLUTTERED`.
"""

from __future__ import annotations

from dataclasses import dataclass

TOO_CLUTTERED = "too cluttered to read"
"""What a read that ran out of budget reports."""
MAX_PIECES = 600
"""Most pieces of ink an image may hold (a camera frame of a few numbers holds tens)."""
MAX_WORK = 1_500_000
"""Most work units (pairs compared, pixels of segments cut, ...) one read may spend."""


class TooClutteredError(ValueError):
    """The image holds far more marks than any number: reading it would take too long."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(TOO_CLUTTERED)
        self.detail = detail


@dataclass
class Budget:
    """Work units left for one read (create one per image; see :func:`default_budget`).

    Attributes
    ----------
    max_pieces : int
        Most pieces of ink kept for gathering into digits.
    max_work : int
        Most work units in all.
    used : int
        Work units spent so far; never more than :attr:`max_work` (work that
        would go over is refused before it is done).
    """

    max_pieces: int = MAX_PIECES
    max_work: int = MAX_WORK
    used: int = 0

    def spend(self, units: int, what: str = "") -> None:
        """Spend ``units`` of work; raise :class:`TooClutteredError` when over the limit."""
        if self.used + int(units) > self.max_work:
            raise TooClutteredError(what or "work")
        self.used += int(units)

    def check_pieces(self, count: int) -> None:
        """Refuse an image with more than :attr:`max_pieces` pieces of ink."""
        if count > self.max_pieces:
            raise TooClutteredError(f"{count} pieces of ink")
        self.spend(count, "pieces")

    def affords(self, units: int) -> bool:
        """Whether ``units`` more work still fit (optional work is skipped when not)."""
        return self.used + int(units) <= self.max_work


def default_budget() -> Budget:
    """A fresh budget with the limits every reader uses (the Photo and Camera tabs, the CLI)."""
    return Budget()
