"""Insight panels docked beside the main window: how LeNet-5 reaches its answer.

:func:`install_panels` creates them, docks each with ``window.add_panel`` and
keeps them in step with ``window.input_changed`` and
``window.recognizer_changed``. Nothing heavy happens here: panels read the
model's sidecar and compute anything else in background threads, only once
they are on screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Slot
from PySide6.QtWidgets import QApplication

from lenet_desktop.gui.panels.activations import ActivationsPanel
from lenet_desktop.gui.panels.filters import FiltersPanel
from lenet_desktop.gui.panels.model_report import ModelReportPanel
from lenet_desktop.gui.panels.robustness import RobustnessPanel
from lenet_desktop.gui.panels.test_set import SharedMnist
from lenet_desktop.gui.panels.transform import TransformPanel

__all__ = [
    "ActivationsPanel",
    "FiltersPanel",
    "ModelReportPanel",
    "RobustnessPanel",
    "TransformPanel",
    "install_panels",
]


class _CloseWatcher(QObject):
    """Stops the panels' threads when the window closes or the application quits."""

    def __init__(self, window, panels):
        super().__init__(window)
        self._panels = panels
        window.installEventFilter(self)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Close:
            self.shutdown()
        return False

    @Slot()
    def shutdown(self) -> None:
        """Stop and join every panel's background thread."""
        for panel in self._panels.values():
            panel.shutdown()


def install_panels(window, mnist: SharedMnist | None = None) -> dict:
    """Create the insight panels, dock them in ``window`` and connect them to it.

    Parameters
    ----------
    window : MainWindow
        Provides ``add_panel``, ``input_changed``, ``recognizer_changed``,
        ``recognizer`` and ``current_input``.
    mnist : SharedMnist, optional
        Where the robustness and report panels get MNIST (default: the
        ``training.data.load_mnist`` search order, loaded once when needed).

    Returns
    -------
    dict
        ``{name: panel}`` for ``activations``, ``filters``, ``transform``,
        ``robustness`` and ``report``; the docks are named ``panel_<name>``.
    """
    mnist = mnist or SharedMnist()
    panels = {
        "activations": ActivationsPanel(),
        "filters": FiltersPanel(),
        "transform": TransformPanel(),
        "robustness": RobustnessPanel(mnist),
        "report": ModelReportPanel(mnist),
    }
    titles = {
        "activations": "Activations",
        "filters": "Filters",
        "transform": "Rotate / shift / flip",
        "robustness": "Robustness",
        "report": "Model report",
    }
    docks = {}
    for name, panel in panels.items():
        docks[name] = window.add_panel(name, titles[name], panel)
        panel.follow_dock(docks[name])
        window.recognizer_changed.connect(panel.set_recognizer)
        if hasattr(panel, "set_input"):
            window.input_changed.connect(panel.set_input)
        if window.recognizer is not None:
            panel.set_recognizer(window.recognizer)
        if hasattr(panel, "set_input") and window.current_input is not None:
            panel.set_input(window.current_input)
    docks["activations"].raise_()
    window.insight_panels = panels
    window._panel_watcher = _CloseWatcher(window, panels)
    return panels
