"""Linked views: click a unit to see its kernels, receptive field and share; hover the input."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from lenet_desktop.gui.panels import ActivationsPanel
from lenet_desktop.gui.panels.base import MIN_WIDTH
from lenet_desktop.gui.panels.imaging import Tiling, tile
from lenet_desktop.gui.panels.unit_links import Selection
from lenet_desktop.model.gradients import class_gradients
from lenet_desktop.model.unit_sources import fed_units, geometry_of, receptive_field
from tests.gui.test_panels import rec_a, rec_b, session, seven, shown

__all__ = ["rec_a", "rec_b", "seven", "session"]


def widget_point(panel, axes, x, y) -> QPoint:
    display = axes.transData.transform((x, y)) / panel.canvas.device_pixel_ratio
    return QPoint(round(display[0]), round(panel.canvas.height() - display[1]))


@pytest.fixture
def panel(qtbot, rec_a, seven, session):
    panel = shown(qtbot, ActivationsPanel(session), (520, 1000))
    session.set_recognizer(rec_a)
    session.show_input(seven)
    qtbot.waitUntil(lambda: panel.canvas.frame_count > 0, timeout=3000)
    return panel


def test_clicking_a_map_unit_shows_its_kernels_field_and_share(qtbot, panel, rec_a, session):
    view = panel.views["C3"]
    r0, c0 = view.tiling.origin(9)
    point = widget_point(panel, view.axes, c0 + 3, r0 + 2)
    qtbot.mouseClick(panel.canvas, Qt.MouseButton.LeftButton, pos=point)
    links = panel.links
    assert links.selection == Selection("C3", 9, 2, 3)
    field = receptive_field(geometry_of(rec_a), session.layer_shapes, "C3", 2, 3)
    assert links.field == field
    x, y, w, h = links.field_box.get_bbox().bounds
    assert (x, y, w, h) == (field.left - 0.5, field.top - 0.5, field.right - field.left + 1,
                            field.bottom - field.top + 1)  # fmt: skip
    # The kernels drawn are C3 filter 10's, one per S2 map.
    shown_kernels = links.kernel_axes.images[-1].get_array()
    kernel = rec_a.filters()["C3"]
    assert links.kernel_tiling == Tiling(5, 5, 2, 3, 6)
    for k in range(6):
        np.testing.assert_array_equal(
            tile(shown_kernels, links.kernel_tiling, k), kernel[:, :, k, 9]
        )
    # Its share of the answer's score: gradient x value.
    explanation = session.explanation
    (grads,) = class_gradients(rec_a, explanation, [explanation.label])
    share = grads.layers["C3"] * explanation.layers["C3"]
    assert links.contribution == pytest.approx((share[2, 3, 9], share[..., 9].sum()), rel=1e-5)
    note = panel.unit_note.text()
    assert note.startswith("C3 map 10, row 3, col 4 = ")
    assert f"sees input rows {field.top + 1}–{field.bottom + 1}" in note
    assert "Made by C3 filter 10 (6 kernels" in note
    # A new input: the same unit, its new share.
    moved = session.show_input(np.roll(explanation.image, 2, axis=0))
    (grads,) = class_gradients(rec_a, moved, [moved.label])
    assert links.contribution[0] == pytest.approx(
        (grads.layers["C3"] * moved.layers["C3"])[2, 3, 9], rel=1e-5, abs=1e-9
    )
    # Clicking it again lets it go.
    qtbot.mouseClick(panel.canvas, Qt.MouseButton.LeftButton, pos=point)
    assert links.selection is None and not links.field_box.get_visible()


def test_a_dense_unit_has_a_share_but_no_field(qtbot, panel, rec_a, session):
    view = panel.views["F6"]
    qtbot.mouseClick(
        panel.canvas, Qt.MouseButton.LeftButton, pos=widget_point(panel, view.axes, 40, 0)
    )
    links = panel.links
    assert links.selection == Selection("F6", 40, is_map=False)
    explanation = session.explanation
    (grads,) = class_gradients(rec_a, explanation, [explanation.label])
    expected = grads.layers["F6"][40] * explanation.layers["F6"][40]
    assert links.contribution[0] == pytest.approx(expected, rel=1e-5, abs=1e-9)
    assert "F6 unit 41" in panel.unit_note.text() and "whole input" in panel.unit_note.text()


def test_hovering_an_input_pixel_outlines_the_units_it_feeds(qtbot, panel, rec_a, session):
    links = panel.links
    qtbot.mouseMove(panel.canvas, widget_point(panel, links.input_axes, 5, 10))
    expected = fed_units(geometry_of(rec_a), session.layer_shapes, 10, 5)
    qtbot.waitUntil(lambda: links.fed == expected, timeout=3000)
    assert panel.readout.text().startswith("input row 11, col 6 feeds C1 rows")
    c1 = links._outlines["C1"]
    assert c1.get_visible() and len(c1.get_segments()) == 4 * 6
    box = expected["C1"]
    first = np.asarray(c1.get_segments()[0])
    np.testing.assert_allclose(
        first, [[box.left - 0.5, box.top - 0.5], [box.right + 0.5, box.top - 0.5]]
    )
    view = panel.views["C3"]
    qtbot.mouseMove(panel.canvas, widget_point(panel, view.axes, 3, 2))
    qtbot.waitUntil(lambda: links.fed == {}, timeout=3000)
    assert not c1.get_visible()


def test_a_new_model_drops_the_selection(qtbot, panel, rec_b, session):
    view = panel.views["C1"]
    qtbot.mouseClick(
        panel.canvas, Qt.MouseButton.LeftButton, pos=widget_point(panel, view.axes, 3, 3)
    )
    assert panel.links.selection is not None
    session.set_recognizer(rec_b)
    assert panel.links.selection is None and panel.links.contribution is None
    assert panel.unit_note.text().startswith("Click a map")


def test_the_longest_unit_note_fits_its_lines_in_the_narrowest_panel(qtbot, rec_a, seven, session):
    panel = shown(qtbot, ActivationsPanel(session), (MIN_WIDTH, 700))
    session.set_recognizer(rec_a)
    session.show_input(seven)
    qtbot.waitUntil(lambda: panel.canvas.frame_count > 0, timeout=3000)
    # A C3 unit with two-digit numbers says the most: its field, its six kernels, its share.
    view = panel.views["C3"]
    r0, c0 = view.tiling.origin(11)
    point = widget_point(panel, view.axes, c0 + 9, r0 + 9)
    qtbot.mouseClick(panel.canvas, Qt.MouseButton.LeftButton, pos=point)
    note = panel.unit_note
    assert note.text().startswith("C3 map 12, row 10, col 10 = ")
    assert "Share of the" in note.text()
    assert note.heightForWidth(note.width()) <= note.height()
