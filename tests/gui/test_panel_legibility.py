"""Panels are legible at the default size and grow with the window; one palette for the bars."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.text import Text
from PySide6.QtGui import QColor

from lenet_desktop.gui import palette
from lenet_desktop.gui.answer.probability_chart import BAR_COLOR, TOP_COLOR
from lenet_desktop.gui.panels import ActivationsPanel, FiltersPanel
from tests.gui.conftest import digit_strokes, draw_strokes
from tests.gui.test_forward_passes import raise_dock
from tests.gui.test_panels import rec_a, session, seven, shown

__all__ = ["rec_a", "seven", "session"]


def test_every_text_in_every_panel_is_at_least_9_points(qtbot, main_window):
    canvas = main_window.draw.canvas
    draw_strokes(qtbot, canvas, digit_strokes(canvas, "7"))
    for name, panel in main_window.panels.items():
        raise_dock(qtbot, main_window, name)
        qtbot.waitUntil(
            lambda p=panel: not getattr(p, "is_computing", lambda: False)(), timeout=30_000
        )
        texts = [t for t in panel.figure.findobj(Text) if t.get_visible() and t.get_text().strip()]
        assert texts, name
        small = [(t.get_text(), t.get_fontsize()) for t in texts if t.get_fontsize() < 9]
        assert not small, (name, small[:5])


def tile_px(panel, name: str) -> float:
    view = panel.views[name]
    width = view.axes.get_window_extent().width
    return width / view.tiling.shape[1] * view.tiling.tile_w


def test_maps_grow_when_the_panel_grows(qtbot, rec_a, seven, session):
    panel = shown(qtbot, ActivationsPanel(session), (380, 700))
    session.set_recognizer(rec_a)
    session.show_input(seven)
    small = {name: tile_px(panel, name) for name in ("C1", "C3")}
    panel.resize(760, 1300)
    qtbot.waitUntil(lambda: tile_px(panel, "C1") > 1.6 * small["C1"], timeout=3000)
    assert tile_px(panel, "C3") > 1.6 * small["C3"]


def test_c3_kernels_grow_with_the_panel(qtbot, rec_a, session):
    panel = shown(qtbot, FiltersPanel(session), (380, 700))
    session.set_recognizer(rec_a)

    def kernel_px():
        view = panel.views["C3"]
        return view.kernel_axes.get_window_extent().width / view.tiling.shape[1] * 5

    small = kernel_px()
    panel.resize(900, 1200)
    qtbot.waitUntil(lambda: kernel_px() > 2 * small, timeout=3000)
    assert kernel_px() >= 40


def test_the_answer_bar_has_one_colour_everywhere(qtbot, main_window):
    assert BAR_COLOR == QColor(palette.BAR) and TOP_COLOR == QColor(palette.TOP_BAR)
    canvas = main_window.draw.canvas
    draw_strokes(qtbot, canvas, digit_strokes(canvas, "1"))
    raise_dock(qtbot, main_window, "activations")
    label = main_window.session.explanation.label
    bars = main_window.panels["activations"].views["output"].artist.get_facecolors()
    np.testing.assert_allclose(bars[label], to_rgba(palette.TOP_BAR))
    others = [k for k in range(10) if k != label]
    np.testing.assert_allclose(bars[others], [to_rgba(palette.BAR)] * 9)
    raise_dock(qtbot, main_window, "transform")
    transform = main_window.panels["transform"]
    qtbot.waitUntil(lambda: transform.prediction is not None, timeout=3000)
    patches = transform.bars.patches
    assert patches[label].get_facecolor() == to_rgba(palette.TOP_BAR)
    assert patches[others[0]].get_facecolor() == to_rgba(palette.BAR)


def test_a_short_panel_scrolls_instead_of_overlapping_its_rows(qtbot, rec_a, seven, session):
    panel = shown(qtbot, ActivationsPanel(session), (380, 260))
    session.set_recognizer(rec_a)
    session.show_input(seven)
    qtbot.waitUntil(lambda: panel.scroll.verticalScrollBar().maximum() > 0, timeout=3000)
    panel.canvas.draw()
    renderer = panel.canvas.get_renderer()
    views = list(panel.views.values())
    boxes = [v.axes.get_window_extent(renderer) for v in views]
    titles = [v.axes.title.get_window_extent(renderer) for v in views]
    for i, box in enumerate(boxes):
        for j, other in enumerate(boxes):
            if i != j:
                assert not box.overlaps(other), (views[i].name, views[j].name)
                assert not box.overlaps(titles[j]), (views[i].name, "title of", views[j].name)
    # Grown tall enough, the same panel needs no scrolling.
    panel.resize(380, 1400)
    qtbot.waitUntil(lambda: panel.scroll.verticalScrollBar().maximum() == 0, timeout=3000)
