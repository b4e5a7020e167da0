"""Insight panels docked beside the main window: how LeNet-5 reaches its answer.

Each panel is a :class:`~lenet_desktop.gui.panels.base.FigurePanel` that takes
the session and subscribes to it; :func:`build_panels` makes them and the
window docks them. Nothing heavy happens here: panels read the model's
sidecar and compute anything else in background jobs, only once they are on
screen.
"""

from __future__ import annotations

from lenet_desktop.gui.panels.activations import ActivationsPanel
from lenet_desktop.gui.panels.base import FigurePanel
from lenet_desktop.gui.panels.filters import FiltersPanel
from lenet_desktop.gui.panels.model_report import ModelReportPanel
from lenet_desktop.gui.panels.robustness import RobustnessPanel
from lenet_desktop.gui.panels.saliency import SaliencyPanel
from lenet_desktop.gui.panels.test_set import SharedMnist
from lenet_desktop.gui.panels.transform import TransformPanel
from lenet_desktop.gui.session import Session
from lenet_desktop.gui.threads import WorkerRegistry

__all__ = [
    "ActivationsPanel",
    "FigurePanel",
    "FiltersPanel",
    "ModelReportPanel",
    "RobustnessPanel",
    "SaliencyPanel",
    "TransformPanel",
    "build_panels",
]


def build_panels(
    session: Session, workers: WorkerRegistry, mnist: SharedMnist | None = None
) -> dict[str, FigurePanel]:
    """Create the insight panels over ``session``, in the order they are docked.

    Parameters
    ----------
    session : Session
        What the panels show; each subscribes to it.
    workers : WorkerRegistry
        Where the panels' background jobs are started (the window's).
    mnist : SharedMnist, optional
        Where the robustness and report panels get MNIST (default: the
        ``training.data.load_mnist`` search order, loaded once when needed).

    Returns
    -------
    dict
        ``{name: panel}`` for ``activations``, ``saliency``, ``filters``, ``transform``,
        ``robustness`` and ``report``; each panel's ``title`` names its dock.
    """
    mnist = mnist or SharedMnist()
    return {
        "activations": ActivationsPanel(session),
        "saliency": SaliencyPanel(session),
        "filters": FiltersPanel(session),
        "transform": TransformPanel(session, workers),
        "robustness": RobustnessPanel(session, workers, mnist),
        "report": ModelReportPanel(session, workers, mnist),
    }
