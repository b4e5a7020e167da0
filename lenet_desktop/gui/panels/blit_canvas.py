"""A matplotlib canvas that repaints only its moving artists.

A full matplotlib draw of a panel's figure takes about 100 ms; restoring a
saved background and drawing the artists that change (images, bars, lines,
labels) takes a few milliseconds, which keeps the panels live while the user
draws. The static parts (axes, ticks, titles, colour bars) are drawn by a
normal full draw, which also saves the new background (on resize, or when a
panel calls :meth:`BlitCanvasWidget.draw_idle` after changing them).
"""

from __future__ import annotations

import time

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure


class BlitCanvasWidget(FigureCanvasQTAgg):
    """A Qt figure canvas with blitted updates of its animated artists."""

    def __init__(self, figure: Figure):
        super().__init__(figure)
        self._animated = []
        self._background = None
        self._stale = False
        self._active = True
        self.frame_count = 0
        """Number of times the canvas has been repainted with fresh data."""
        self.last_frame_time = 0.0
        """``time.perf_counter()`` at the end of the latest repaint (for benches)."""
        self.mpl_connect("draw_event", self._on_draw)

    def add_animated(self, *artists) -> None:
        """Mark ``artists`` as moving: full draws skip them, :meth:`refresh` redraws them."""
        for artist in artists:
            artist.set_animated(True)
            self._animated.append(artist)

    def remove_animated(self, *artists) -> None:
        """Forget artists added with :meth:`add_animated` (before removing them)."""
        for artist in artists:
            if artist in self._animated:
                self._animated.remove(artist)

    def clear_animated(self) -> None:
        """Forget every animated artist (before the figure is cleared and rebuilt)."""
        self._animated.clear()
        self._background = None

    def refresh(self) -> None:
        """Show the current state of the animated artists as soon as possible.

        Blits when a background is saved and the canvas is on screen; asks
        for a full draw at the next event-loop turn when there is no
        background yet, and waits until it is shown when it is hidden.
        """
        if not self._showing():
            # Hidden (e.g. a panel behind another tab): draw once it is shown.
            self._stale = True
            return
        if self._background is None or self._draw_pending:
            self.draw_idle()
            return
        self.restore_region(self._background)
        self._draw_animated()
        self.blit(self.figure.bbox)
        self._count_frame()

    def draw_idle(self) -> None:
        """Full redraw at the next event-loop turn, or once shown when hidden."""
        if not self._showing():
            self._stale = True
            return
        super().draw_idle()

    def set_active(self, active: bool) -> None:
        """Whether the panel holding the canvas is on screen; catches up when it comes back."""
        self._active = active
        self._catch_up()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._catch_up()

    def wheelEvent(self, event) -> None:
        # The panels do not zoom; the wheel scrolls the panel a short dock puts in a scroll area.
        event.ignore()

    def _showing(self) -> bool:
        return self._active and self.isVisible()

    def _catch_up(self) -> None:
        if self._stale and self._showing():
            self._stale = False
            super().draw_idle()

    def _on_draw(self, _event) -> None:
        self._background = self.copy_from_bbox(self.figure.bbox)
        self._draw_animated()
        self._count_frame()

    def _count_frame(self) -> None:
        self.frame_count += 1
        self.last_frame_time = time.perf_counter()

    def _draw_animated(self) -> None:
        for artist in self._animated:
            if artist.get_visible():
                self.figure.draw_artist(artist)
