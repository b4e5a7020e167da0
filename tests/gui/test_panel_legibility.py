"""Panels are legible at the default size and grow with the window; one palette for the bars."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.text import Text
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel

from lenet_desktop.gui import palette
from lenet_desktop.gui.answer.probability_chart import BAR_COLOR, TOP_COLOR
from lenet_desktop.gui.panels import (
    ActivationsPanel,
    FiltersPanel,
    ModelReportPanel,
    TransformPanel,
)
from tests.gui.conftest import digit_strokes, draw_strokes
from tests.gui.test_forward_passes import raise_dock
from tests.gui.test_panels import (
    rec_a,
    report_sidecar,
    session,
    seven,
    shown,
    tiny_mnist,
    with_sidecar,
    workers,
)

__all__ = ["rec_a", "seven", "session", "workers"]


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


def undrawn_tick_labels(figure) -> set[int]:
    """ids of the tick labels matplotlib keeps but does not draw (ticks outside the view)."""
    hidden = set()
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            span = (high - low) * 1e-9
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not low - span <= tick.get_loc() <= high + span:
                    hidden |= {id(tick.label1), id(tick.label2)}
    return hidden


def visible_texts(figure, renderer) -> list[tuple[str, object]]:
    """(text, window extent) of every drawn, non-empty text in ``figure``."""
    hidden = undrawn_tick_labels(figure)
    return [
        (t.get_text(), t.get_window_extent(renderer))
        for t in figure.findobj(Text)
        if t.get_visible() and t.get_text().strip() and t.figure is not None and id(t) not in hidden
    ]


def assert_no_text_overlaps(panel) -> None:
    panel.canvas.draw()
    texts = visible_texts(panel.figure, panel.canvas.get_renderer())
    for i, (text, box) in enumerate(texts):
        for other, other_box in texts[i + 1 :]:
            assert not box.overlaps(other_box), (text, other)


def kernel_hint(panel):
    """The visible hint in the kernel square and whether it lies inside the square."""
    kernels = panel.links.kernel_axes
    hint = [t for t in kernels.texts if t.get_visible()]
    if not hint:
        return None, False
    square = kernels.get_window_extent()
    box = hint[0].get_window_extent(panel.canvas.get_renderer())
    inside = square.x0 <= box.x0 and box.x1 <= square.x1 and square.y0 <= box.y0
    return hint[0].get_text(), inside and box.y1 <= square.y1


@pytest.mark.parametrize("width", [250, 310, 380])
def test_in_a_short_narrow_panel_no_text_overlaps_another(qtbot, rec_a, seven, session, width):
    # The sizes a small window leaves the dock: the squares beside C1 and S2 are
    # narrower than their names, which go up their sides; the hint hides.
    panel = shown(qtbot, ActivationsPanel(session), (width, 280))
    session.set_recognizer(rec_a)
    session.show_input(seven)
    qtbot.waitUntil(lambda: panel.scroll.verticalScrollBar().maximum() > 0, timeout=3000)
    assert_no_text_overlaps(panel)
    names = {panel.links.input_axes.get_title(loc="left"), panel.links.input_axes.get_ylabel()}
    assert "input" in names
    hint, inside = kernel_hint(panel)
    assert hint is None or inside


def test_in_a_wide_panel_the_squares_are_titled_and_the_hint_shows(qtbot, rec_a, seven, session):
    panel = shown(qtbot, ActivationsPanel(session), (700, 900))
    session.set_recognizer(rec_a)
    session.show_input(seven)
    qtbot.waitUntil(lambda: panel.links.kernel_axes.get_window_extent().width > 60, timeout=3000)
    assert_no_text_overlaps(panel)
    assert panel.links.kernel_axes.get_title(loc="left") == "kernels"
    assert panel.links.kernel_axes.get_ylabel() == ""
    assert kernel_hint(panel) == ("click\na map", True)
    # Narrowed, the same panel moves the names to the squares' sides.
    panel.resize(250, 900)
    qtbot.waitUntil(lambda: panel.links.kernel_axes.get_ylabel() == "kernels", timeout=3000)
    assert panel.links.kernel_axes.get_title(loc="left") == ""
    assert_no_text_overlaps(panel)


def text_clashes(figure, renderer) -> list:
    """Pairs of visible texts that overlap, and texts that run past the figure's sides."""
    texts = visible_texts(figure, renderer)
    width = figure.bbox.width
    clashes = [(text, "off the figure") for text, box in texts if box.x0 < -1 or box.x1 > width + 1]
    for i, (text, box) in enumerate(texts):
        clashes += [(text, other) for other, other_box in texts[i + 1 :] if box.overlaps(other_box)]
    return clashes


def test_in_a_small_window_no_text_of_any_panel_overlaps_another(qtbot, main_window):
    # A laptop-sized window leaves each dock at the panels' least width.
    main_window.resize(1080, 540)
    canvas = main_window.draw.canvas
    draw_strokes(qtbot, canvas, digit_strokes(canvas, "7"))
    clashes = {}
    for name, panel in main_window.panels.items():
        raise_dock(qtbot, main_window, name)
        qtbot.waitUntil(
            lambda p=panel: not getattr(p, "is_computing", lambda: False)(), timeout=30_000
        )
        busy = getattr(panel, "sweeps_busy", lambda: False)
        qtbot.waitUntil(lambda b=busy: not b(), timeout=30_000)
        # A label's new text is laid out on a later turn of the event loop.
        for _ in range(40):
            panel.canvas.draw()
            clashes[name] = text_clashes(panel.figure, panel.canvas.get_renderer())
            clashes[name] += cut_labels(panel)
            if not clashes[name]:
                break
            qtbot.wait(50)
    assert not any(clashes.values()), clashes


def cut_labels(panel) -> list:
    """The panel's visible labels whose text does not fit them (a line cut off)."""
    cut = []
    for label in panel.findChildren(QLabel):
        if not label.isVisibleTo(panel) or not label.text() or label.textFormat() == Qt.RichText:
            continue
        if label.wordWrap():
            fits = label.heightForWidth(label.width()) <= label.height()
        else:
            fits = label.fontMetrics().horizontalAdvance(label.text()) <= label.width()
        if not fits:
            cut.append((label.objectName() or label.text()[:40], "cut off"))
    return cut


def test_the_transform_curves_follow_the_panel_when_it_widens(
    qtbot, rec_a, seven, session, workers
):
    # Plots keep the panel's width: their least height grows with it, at once.
    panel = shown(qtbot, TransformPanel(session, workers), (330, 500))
    session.set_recognizer(rec_a)
    session.show_input(seven)
    left, right, _ = panel.margins

    def full_width() -> bool:
        usable = panel.figure.bbox.width - left - right
        return abs(panel.curve_axes["rotation"].get_window_extent().width - usable) < 2

    qtbot.waitUntil(full_width, timeout=3000)
    for width in (450, 600, 380):
        panel.resize(width, 500)
        qtbot.waitUntil(lambda w=width: panel.figure.bbox.width > w - 40, timeout=3000)
        qtbot.waitUntil(full_width, timeout=3000)


def test_the_confusion_matrix_shows_its_diagonal_counts_all_or_none(qtbot, rec_a, session, workers):
    diagonal = [978, 1130, 1025, 1008, 980, 885, 953, 1020, 972, 999]
    sidecar = report_sidecar(diagonal, 0.99, 0.99, 10_000, [])
    panel = shown(qtbot, ModelReportPanel(session, workers, tiny_mnist()), (900, 1100))
    session.set_recognizer(with_sidecar(rec_a, sidecar))
    texts = panel.count_texts

    def diagonal_shown() -> list[bool]:
        return [texts[(k, k)].get_visible() for k in range(10)]

    qtbot.waitUntil(lambda: all(diagonal_shown()), timeout=3000)
    assert texts[(4, 9)].get_visible()
    # Narrowed until "1130" no longer fits its cell though "978" still would: no diagonal
    # count shows (a class without one would look as if it had none right); the small
    # count off the diagonal still does.
    renderer = panel.canvas.get_renderer()
    short, wide = (texts[(k, k)].get_window_extent(renderer).width for k in (0, 1))
    cell = (short + wide) / 2 + 1
    left, right, _ = panel.margins
    bar = panel.scroll.verticalScrollBar().sizeHint().width()
    panel.resize(int(left + right + bar + 10 * cell), 1100)

    def cell_width() -> float:
        return panel.matrix_axes.get_window_extent().width / 10

    qtbot.waitUntil(lambda: short + 1 <= cell_width() < wide + 1, timeout=3000)
    qtbot.waitUntil(lambda: not any(diagonal_shown()), timeout=3000)
    assert texts[(4, 9)].get_visible()
    assert (
        panel.hover_text(panel.matrix_axes, 1, 1)
        == "true 1 (99.0% right), predicted 1: 1130 test digits"
    )
