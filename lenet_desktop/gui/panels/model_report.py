"""The model's confusion matrix on the MNIST test set and the digits it gets wrong.

The confusion matrix comes from the sidecar's ``test`` entry. The
misclassified digits need the MNIST test images, which are loaded in a
background thread the first time the panel is shown; for a model without test
figures (or when the local MNIST is not the file the model was evaluated on)
the whole report is computed there with
:func:`lenet_desktop.model.probes.evaluate_on_test_set`.
"""

from __future__ import annotations

from functools import partial

import numpy as np
from matplotlib.colors import LogNorm
from PySide6.QtWidgets import QWidget

from lenet_desktop.gui.panels import imaging
from lenet_desktop.gui.panels.layout import Row
from lenet_desktop.gui.panels.test_set import SharedMnist, TestSetPanel
from lenet_desktop.gui.session import Session
from lenet_desktop.gui.threads import WorkerRegistry
from lenet_desktop.model.probes import evaluate_on_test_set

GRID_COLS = 8
GRID_ROWS = 8


def report_from_sidecar(sidecar: dict) -> dict | None:
    """The sidecar's ``test`` report when it has a 10x10 confusion matrix, else ``None``."""
    report = sidecar.get("test") if isinstance(sidecar, dict) else None
    try:
        matrix = np.asarray(report["confusion_matrix"], dtype=np.int64)
        float(report["accuracy"])
    except (KeyError, TypeError, ValueError):
        return None
    return report if matrix.shape == (10, 10) else None


def wrong_digits(report: dict, data, limit: int) -> dict:
    """Images, true and predicted labels and test indices of the first misclassified digits."""
    pairs = [(int(i), int(p)) for i, p in report.get("misclassified", [])[:limit]]
    pairs = [(i, p) for i, p in pairs if 0 <= i < len(data.x_test)]
    indices = np.array([i for i, _ in pairs], dtype=np.int64)
    return {
        "indices": indices,
        "images": data.x_test[indices].astype(np.float32) / 255.0,
        "true": np.asarray(data.y_test)[indices],
        "predicted": np.array([p for _, p in pairs], dtype=np.int64),
        "total": len(report.get("misclassified", [])),
    }


def _report_job(recognizer, sidecar_report, data, stop):
    """The report (from the sidecar when it fits the local MNIST) and the digits it gets wrong."""
    data_info = recognizer.sidecar.get("data")
    expected = data_info.get("fingerprint") if isinstance(data_info, dict) else None
    report = sidecar_report
    same_data = expected in (None, data.fingerprint)
    if report is None or not same_data or "misclassified" not in report:
        report = evaluate_on_test_set(recognizer, data.x_test, data.y_test, stop)
    return report, wrong_digits(report, data, GRID_COLS * GRID_ROWS), data.source


class ModelReportPanel(TestSetPanel):
    """Confusion matrix and a grid of misclassified test digits (true → predicted)."""

    title = "Model report"
    margins = (56.0, 10.0, 6.0)
    job_description = "Computing the model report"

    def __init__(
        self,
        session: Session,
        workers: WorkerRegistry,
        mnist: SharedMnist | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(session, workers, mnist, "report", figsize=(4.4, 6.4), parent=parent)
        self.report: dict | None = None
        self.wrong: dict | None = None
        self.matrix_axes = self.grid_axes = self.grid_image = None
        self.add_above(self.status)
        self.draw()
        self.follow_session()

    @property
    def computing_text(self) -> str:
        """Say so only when the whole report is computed (the digits alone load quickly)."""
        return "" if self.report is not None else "Computing the test-set report on MNIST…"

    @property
    def failure_subject(self) -> str:
        """What could not be shown: the whole report, or only its digits."""
        what = "the misclassified digits" if self.report is not None else "the test-set report"
        return f"show {what}"

    def reset(self) -> None:
        """No report until the new model's is known."""
        self.report = self.wrong = None

    def take_model(self, recognizer) -> bool:
        """The sidecar's report now; its misclassified digits (or the whole report) when shown."""
        self.report = report_from_sidecar(recognizer.sidecar)
        if self.report is None:
            self.status.setText(
                f"{recognizer.display_name} has no test-set figures; they are computed on "
                "the MNIST test set when this panel is shown."
            )
        else:
            self.status.setText(self._summary("from the model's sidecar"))
        return True

    def make_job(self, recognizer):
        """:func:`_report_job` with the sidecar's report as it is now."""
        return partial(_report_job, recognizer, self.report)

    def take_result(self, recognizer, result) -> None:
        """Show the report and the wrong digits the job found."""
        report, wrong, source = result
        computed = report is not self.report
        self.report, self.wrong = report, wrong
        where = f"computed now on {source}" if computed else "from the model's sidecar"
        self.status.setText(self._summary(where))

    def _summary(self, where: str) -> str:
        report = self.report
        size = report.get("test_size") or int(np.sum(report["confusion_matrix"]))
        return f"Test accuracy {float(report['accuracy']):.2%} on {size:,} MNIST digits, {where}."

    # -- drawing ------------------------------------------------------------------------
    def draw(self) -> None:
        """Draw the confusion matrix and the grid of wrong digits (what is known of them)."""
        fig = self.figure
        fig.clear()
        self.rows = []
        self.matrix_axes = self.grid_axes = self.grid_image = None
        if self.report is None:
            fig.text(0.5, 0.5, "No test-set report yet.", ha="center", va="center", fontsize=10)
            self.canvas.draw_idle()
            return
        self._draw_matrix(fig.add_axes((0, 0, 1, 1)))
        self.rows.append(Row([self.matrix_axes], height_px=230, above_px=4, below_px=24))
        if self.wrong is not None and len(self.wrong["indices"]):
            self._draw_grid(fig.add_axes((0, 0, 1, 1)))
            h, w = self.grid_tiling.shape
            self.rows.append(Row([self.grid_axes], aspect=h / w, above_px=2))
        self._relayout()
        self.canvas.draw_idle()

    def _draw_matrix(self, ax) -> None:
        matrix = np.asarray(self.report["confusion_matrix"], dtype=np.int64)
        per_class = self.report.get("per_class_accuracy") or [
            matrix[k, k] / max(matrix[k].sum(), 1) for k in range(10)
        ]
        self.matrix_axes = ax
        self.matrix_image = ax.imshow(
            np.maximum(matrix, 0.5), cmap="Blues", norm=LogNorm(0.5, max(matrix.max(), 1))
        )
        for (r, c), count in np.ndenumerate(matrix):
            if count:
                colour = "white" if r == c else "black"
                ax.text(c, r, str(count), ha="center", va="center", fontsize=6, color=colour)
        ax.set_xticks(range(10))
        ax.set_yticks(range(10), [f"{k}  {per_class[k]:.1%}" for k in range(10)])
        ax.tick_params(labelsize=7, length=0)
        ax.set_xlabel("predicted", fontsize=7, labelpad=2)
        ax.set_ylabel("true (class accuracy)", fontsize=7)
        ax.set_title("Confusion matrix (counts, log colour)", fontsize=8, loc="left")

    def _draw_grid(self, ax) -> None:
        wrong = self.wrong
        self.grid_axes = ax
        images = np.moveaxis(wrong["images"], 0, -1)
        rows = -(-len(wrong["indices"]) // GRID_COLS)
        self.grid_tiling = imaging.Tiling(28, 28, rows, GRID_COLS, len(wrong["indices"]))
        cmap = imaging.input_colormap().with_extremes(bad="white")
        self.grid_image = ax.imshow(
            imaging.mosaic(images, self.grid_tiling), cmap=cmap, vmin=0, vmax=1
        )
        for k, (true, predicted) in enumerate(zip(wrong["true"], wrong["predicted"], strict=True)):
            r, c = self.grid_tiling.origin(k)
            ax.text(c + 1, r + 1, f"{true}→{predicted}", color="#ffd54f", fontsize=6, va="top")
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
        shown = len(wrong["indices"])
        ax.set_title(
            f"Misclassified test digits, true→predicted ({shown} of {wrong['total']})",
            fontsize=8,
            loc="left",
        )

    # -- hover --------------------------------------------------------------------------
    def hover_text(self, axes, x: float, y: float) -> str | None:
        """Text describing the matrix cell or misclassified digit under (x, y)."""
        if axes is self.matrix_axes:
            r, c = int(np.floor(y + 0.5)), int(np.floor(x + 0.5))
            if 0 <= r < 10 and 0 <= c < 10:
                count = self.report["confusion_matrix"][r][c]
                return f"true {r}, predicted {c}: {count} test digits"
        if axes is self.grid_axes and self.wrong is not None:
            found = self.grid_tiling.locate(x, y)
            if found is not None:
                k = found[0]
                true, predicted = self.wrong["true"][k], self.wrong["predicted"][k]
                index = self.wrong["indices"][k]
                return f"test digit #{index}: true {true}, predicted {predicted}"
        return None
