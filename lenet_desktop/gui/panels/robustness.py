"""Test-set accuracy of the model against rotation range, shift range and flip.

The figures come from the model's sidecar (``robustness_curves``, written by
``lenet-train``), so showing them costs nothing. For a model without them the
panel computes them with :func:`lenet_desktop.model.probes.robustness_on_test_set`
on the MNIST test set in a background thread, once the panel is on screen.
"""

from __future__ import annotations

import weakref

import numpy as np
from PySide6.QtWidgets import QWidget

from lenet_desktop.gui import palette
from lenet_desktop.gui.panels.test_set import SharedMnist, TestSetPanel
from lenet_desktop.gui.session import Session
from lenet_desktop.gui.threads import WorkerRegistry
from lenet_desktop.model.probes import robustness_on_test_set

CAPTION = (
    "Accuracy on the MNIST test digits when each is rotated by a random angle within "
    "± the range, shifted sideways by a random whole number of pixels within ± the range, "
    "or mirrored. The classic LeNet-5 study found accuracy holds to about 20° of rotation "
    "but collapses under shifts of a few pixels."
)


def curves_from_sidecar(sidecar: dict) -> dict | None:
    """The sidecar's ``robustness_curves`` when they are complete, else ``None``."""
    curves = sidecar.get("robustness_curves") if isinstance(sidecar, dict) else None
    try:
        for key in ("rotation", "shift"):
            if len(curves[key]["ranges"]) != len(curves[key]["accuracy"]):
                return None
        float(curves["flip"])
        float(curves["clean"])
    except (KeyError, TypeError, ValueError):
        return None
    return curves


def training_note(sidecar: dict) -> str:
    """How the model was augmented in training, which decides how robust it is."""
    augmentation = (sidecar.get("config") or {}).get("augmentation") or {}
    rotation = float(augmentation.get("rotation") or 0)
    shift = float(augmentation.get("shift") or 0)
    if not augmentation:
        return ""
    if rotation == 0 and shift == 0:
        return "Trained without rotation or shift augmentation."
    return f"Trained with random rotations up to ±{rotation:g}° and shifts up to ±{shift:g} px."


class RobustnessPanel(TestSetPanel):
    """Accuracy curves of the model under rotation, shift and flip, from the sidecar or computed."""

    title = "Robustness"
    job_description = "Computing the robustness figures"
    computing_text = "Computing the robustness figures on the MNIST test set…"
    failure_subject = "compute the robustness figures"
    min_figure_height = 560

    def __init__(
        self,
        session: Session,
        workers: WorkerRegistry,
        mnist: SharedMnist | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(
            session, workers, mnist, "robustness", CAPTION, (4.4, 5.0), hover=False, parent=parent
        )
        self.curves: dict | None = None
        self.source = ""
        self.axes: dict = {}
        self._computed = weakref.WeakKeyDictionary()
        self.add_below(self.status)
        self.draw()
        self.follow_session()

    def reset(self) -> None:
        """No curves until the new model's are known."""
        self.curves, self.source = None, ""

    def take_model(self, recognizer) -> bool:
        """The sidecar's curves, or those computed before for this model; True when neither."""
        from_sidecar = curves_from_sidecar(recognizer.sidecar)
        if from_sidecar is not None:
            self.curves, self.source = from_sidecar, "sidecar"
            self.status.setText(
                f"From {recognizer.display_name}'s sidecar (computed at training). "
                + training_note(recognizer.sidecar)
            )
            return False
        if recognizer in self._computed:
            self.curves, self.source = self._computed[recognizer], "computed"
            self.status.setText("Computed on the MNIST test set.")
            return False
        self.curves, self.source = None, ""
        self.status.setText(
            f"{recognizer.display_name} has no robustness figures; they are computed "
            "on the MNIST test set when this panel is shown."
        )
        return True

    def make_job(self, recognizer):
        """Accuracy under rotation, shift and flip on the test set."""
        return lambda data, stop: robustness_on_test_set(recognizer, data.x_test, data.y_test, stop)

    def take_result(self, recognizer, curves) -> None:
        """Show (and remember) the curves computed for ``recognizer``."""
        self._computed[recognizer] = curves
        self.curves, self.source = curves, "computed"
        self.status.setText(
            "Computed now on the MNIST test set (not saved to the model's sidecar)."
        )

    # -- drawing ---------------------------------------------------------------------------
    def draw(self) -> None:
        """Plot the curves (or say there are none yet)."""
        fig = self.figure
        fig.clear()
        if self.curves is None:
            text = "No robustness figures yet." if self.recognizer is not None else ""
            fig.text(0.5, 0.5, text, ha="center", va="center", fontsize=10)
            self.canvas.draw_idle()
            return
        curves = self.curves
        clean = 100 * float(curves["clean"])
        # Constrained layout keeps the tick labels, axis labels and titles inside a
        # narrow figure and off each other (the figure is drawn only when it changes).
        fig.set_layout_engine("constrained", h_pad=0.06, hspace=0.04)
        grid = fig.add_gridspec(3, 1, height_ratios=[1, 1, 0.55])
        self.axes = {}
        for row, (key, label, unit) in enumerate(
            (
                ("rotation", "Random rotation within ±range", "°"),
                ("shift", "Random x-shift within ±range", " px"),
            )
        ):
            ax = fig.add_subplot(grid[row, 0])
            ranges = np.asarray(curves[key]["ranges"], dtype=float)
            accuracy = 100 * np.asarray(curves[key]["accuracy"], dtype=float)
            ax.plot(ranges, accuracy, marker="o", ms=3, color="#1f77b4", label="this model")
            ax.axhline(clean, color="grey", ls="--", lw=1, label=f"no distortion {clean:.1f}%")
            if key == "rotation" and ranges.max() > 20:
                ax.axvline(20, color="#999999", ls=":", lw=1)
                ax.text(
                    21, 42, "about 20°: the limit\nin the LeNet-5 study", fontsize=palette.TEXT_PT
                )
            ax.set_ylim(0, 101)
            ax.set_xlim(ranges.min(), ranges.max())
            ax.set_ylabel("test accuracy (%)", fontsize=palette.TEXT_PT)
            ax.set_xlabel(f"range ({unit.strip()})", fontsize=palette.TEXT_PT)
            ax.set_title(label, fontsize=palette.TITLE_PT, loc="left")
            ax.tick_params(labelsize=palette.TEXT_PT)
            ax.grid(alpha=0.3)
            ax.legend(fontsize=palette.TEXT_PT, loc="lower left", frameon=False)
            ax.annotate(
                f"{accuracy[-1]:.0f}%",
                (ranges[-1], accuracy[-1]),
                textcoords="offset points",
                xytext=(-4, -10),
                fontsize=palette.TEXT_PT,
                ha="right",
            )
            self.axes[key] = ax
        ax = fig.add_subplot(grid[2, 0])
        flip = 100 * float(curves["flip"])
        bars = ax.barh([1, 0], [clean, flip], color=["#7f7f7f", "#d62728"], height=0.6)
        ax.set_yticks([1, 0], ["as is", "mirrored"])
        ax.set_xlim(0, 100)
        ax.set_xlabel("test accuracy (%)", fontsize=palette.TEXT_PT)
        ax.set_title(
            "Mirrored (left–right flipped) digits",
            fontsize=palette.TITLE_PT,
            loc="left",
        )
        ax.tick_params(labelsize=palette.TEXT_PT)
        for bar, value in zip(bars, (clean, flip), strict=True):
            ax.text(
                min(value + 1, 88),
                bar.get_y() + bar.get_height() / 2,
                f"{value:.1f}%",
                va="center",
                fontsize=palette.TEXT_PT,
            )
        self.axes["flip"] = ax
        self.canvas.draw_idle()

    def shown_curve(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """(ranges, accuracy in %) plotted for ``"rotation"`` or ``"shift"``."""
        line = self.axes[key].get_lines()[0]
        return np.asarray(line.get_xdata()), np.asarray(line.get_ydata())
