"""The model's confusion matrix on the MNIST test set and every digit it gets wrong.

The confusion matrix comes from the sidecar's ``test`` entry. The
misclassified digits need the MNIST test images, which are loaded in a
background thread the first time the panel is shown; a sidecar lists at most
200 of them, so when the matrix counts more errors they are all found again
there (:func:`lenet_desktop.model.probes.misclassified_on_test_set`), and for a
model without test figures (or when the local MNIST is not the file the model
was evaluated on) the whole report is computed there.

The report is explorable: clicking a confusion cell filters the gallery to
that cell and loads its first digit into the window (every panel explains
it); clicking a digit in the gallery loads that digit.
"""

from __future__ import annotations

from functools import partial

import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.font_manager import FontProperties
from PySide6.QtWidgets import QWidget

from lenet_desktop.gui import palette
from lenet_desktop.gui.panels.base import set_text
from lenet_desktop.gui.panels.digit_gallery import DigitGallery, scrolling
from lenet_desktop.gui.panels.layout import Row
from lenet_desktop.gui.panels.report_gallery import GalleryHeader, cell_note
from lenet_desktop.gui.panels.test_set import SharedMnist, TestSetPanel
from lenet_desktop.gui.session import Session
from lenet_desktop.gui.threads import WorkerRegistry
from lenet_desktop.model.probes import evaluate_on_test_set, misclassified_on_test_set

SOURCE_PREFIX = "test digit #"
"""How the window names an input loaded from the report (``test digit #123``)."""


def report_from_sidecar(sidecar: dict) -> dict | None:
    """The sidecar's ``test`` report when it has a 10x10 confusion matrix, else ``None``."""
    report = sidecar.get("test") if isinstance(sidecar, dict) else None
    try:
        matrix = np.asarray(report["confusion_matrix"], dtype=np.int64)
        float(report["accuracy"])
    except (KeyError, TypeError, ValueError):
        return None
    return report if matrix.shape == (10, 10) else None


def error_count(report: dict) -> int:
    """Test digits the confusion matrix counts as wrong (everything off its diagonal)."""
    matrix = np.asarray(report["confusion_matrix"], dtype=np.int64)
    return int(matrix.sum() - np.trace(matrix))


def wrong_digits(pairs, data) -> dict:
    """Images, true and predicted labels and test indices of misclassified digits ``pairs``."""
    pairs = [(int(i), int(p)) for i, p in pairs]
    pairs = [(i, p) for i, p in pairs if 0 <= i < len(data.x_test)]
    indices = np.array([i for i, _ in pairs], dtype=np.int64)
    return {
        "indices": indices,
        "images": data.x_test[indices].astype(np.float32) / 255.0,
        "true": np.asarray(data.y_test)[indices].astype(np.int64),
        "predicted": np.array([p for _, p in pairs], dtype=np.int64),
    }


def _report_job(recognizer, sidecar_report, data, stop):
    """The report (from the sidecar when it fits the local MNIST) and every digit it gets wrong."""
    data_info = recognizer.sidecar.get("data")
    expected = data_info.get("fingerprint") if isinstance(data_info, dict) else None
    report = sidecar_report
    same_data = expected in (None, data.fingerprint)
    if report is None or not same_data or "misclassified" not in report:
        report = evaluate_on_test_set(recognizer, data.x_test, data.y_test, stop)
    pairs = report.get("misclassified", [])
    if len(pairs) < error_count(report):
        pairs = misclassified_on_test_set(recognizer, data.x_test, data.y_test, stop)
    return report, wrong_digits(pairs, data), data.source


class ModelReportPanel(TestSetPanel):
    """Confusion matrix and a scrollable gallery of every misclassified test digit."""

    title = "Model report"
    margins = (100.0, 10.0, 6.0)
    min_figure_height = 250
    """Rows of the matrix at least about 17 px: a row's digit and accuracy fit beside it."""
    job_description = "Computing the model report"

    def __init__(
        self,
        session: Session,
        workers: WorkerRegistry,
        mnist: SharedMnist | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(session, workers, mnist, "report", figsize=(4.4, 4.4), parent=parent)
        self.report: dict | None = None
        self.wrong: dict | None = None
        self.cell: tuple[int, int] | None = None
        """The confusion cell (true, predicted) the gallery is filtered to."""
        self.shown_positions = np.zeros(0, np.int64)
        """Which of :attr:`wrong`'s digits the gallery shows, in order."""
        self.matrix_axes = self.matrix_image = None
        self.add_above(self.status)
        self.header = GalleryHeader()
        self.header.show_all.clicked.connect(lambda: self.filter_to(None))
        self.gallery = DigitGallery()
        self.gallery.clicked.connect(self._digit_clicked)
        self.add_below(self.header)
        self.add_below(scrolling(self.gallery))
        self._body.setStretchFactor(self.canvas, 0)
        self._body.setStretchFactor(self.gallery.parentWidget().parentWidget(), 1)
        self.canvas.mpl_connect("button_press_event", self._on_click)
        self.draw()
        self.follow_session()

    def resizeEvent(self, event) -> None:
        """The matrix as wide as the panel allows, up to 60 % of its height; the gallery
        scrolls in the rest. A count too wide for its cell is left to the hover readout."""
        super().resizeEvent(event)
        left, right, _ = self.margins
        square = self.width() - left - right
        height = int(max(min(square + 80, 0.6 * self.height()), self.min_figure_height))
        if self.canvas.height() != height:
            self.canvas.setFixedHeight(height)

    def came_on_screen(self) -> None:
        """Start loading the digits if they are wanted, and say so above the gallery."""
        super().came_on_screen()
        self._fill_gallery()

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
        """No report, no filter and no note until the new model's report is known."""
        self.report = self.wrong = None
        self.cell = None
        set_text(self.readout, "")

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

    # -- exploring ------------------------------------------------------------------------
    def filter_to(self, cell: tuple[int, int] | None) -> None:
        """Show only the wrong digits of confusion cell ``(true, predicted)`` (``None``: all)."""
        self.cell = cell
        self._fill_gallery()

    def load_digit(self, position: int) -> None:
        """Put the gallery's digit at ``position`` into the window (every panel explains it)."""
        k = int(self.shown_positions[position])
        index = int(self.wrong["indices"][k])
        self.gallery.select(position)
        self.session.show_input(self.wrong["images"][k], (), f"{SOURCE_PREFIX}{index}")

    def _digit_clicked(self, position: int) -> None:
        self.load_digit(position)

    def _on_click(self, event) -> None:
        if event.inaxes is None or event.inaxes is not self.matrix_axes or self.report is None:
            return
        r, c = int(np.floor(event.ydata + 0.5)), int(np.floor(event.xdata + 0.5))
        if not (0 <= r < 10 and 0 <= c < 10):
            return
        self.filter_to(None if self.cell == (r, c) else (r, c))
        if self.cell is not None and self.gallery.count():
            self.load_digit(0)

    # -- drawing ------------------------------------------------------------------------
    def draw(self) -> None:
        """Draw the confusion matrix and fill the gallery (with what is known of them)."""
        fig = self.figure
        fig.clear()
        self.rows = []
        self.matrix_axes = self.matrix_image = None
        if self.report is None:
            fig.text(0.5, 0.5, "No test-set report yet.", ha="center", va="center", fontsize=10)
        else:
            self._draw_matrix(fig.add_axes((0, 0, 1, 1)))
            self.rows.append(Row([self.matrix_axes], aspect=1.0, above_px=4, below_px=34))
            self._relayout()
        self._fill_gallery()
        self.canvas.draw_idle()

    def _relayout(self, _event=None) -> None:
        super()._relayout(_event)
        if self.matrix_axes is not None:
            self._fit_counts()

    def _fit_counts(self) -> None:
        """Write the counts in their cells where they fit (hovering a cell always tells).

        The diagonal's counts (the digits read right) go together: all shown or,
        when one of them is too wide for its cell, none, so that no class looks
        as if it had none right. Off the diagonal each count is shown where it
        fits. Rows too low for the class accuracies beside them keep only their
        digit (hovering a cell tells its row's accuracy too)."""
        box = self.matrix_axes.get_window_extent()
        cell_w, cell_h = box.width / 10, box.height / 10
        renderer = self.canvas.get_renderer()
        _, label_h, _ = renderer.get_text_width_height_descent(
            self.row_labels[0], FontProperties(size=palette.TEXT_PT), ismath=False
        )
        tall = label_h + 2 <= cell_h
        self.matrix_axes.set_yticks(
            range(10), self.row_labels if tall else [str(k) for k in range(10)]
        )
        fits = {}
        for cell, text in self.count_texts.items():
            text.set_visible(True)
            extent = text.get_window_extent(renderer)
            fits[cell] = extent.width <= cell_w - 1 and extent.height <= cell_h
        diagonal = all(fit for (r, c), fit in fits.items() if r == c)
        for (r, c), text in self.count_texts.items():
            text.set_visible(diagonal if r == c else fits[(r, c)])

    def _fill_gallery(self) -> None:
        report, wrong = self.report, self.wrong
        total = error_count(report) if report is not None else 0
        if wrong is None:
            self.shown_positions = np.zeros(0, np.int64)
        elif self.cell is None:
            self.shown_positions = np.arange(len(wrong["indices"]))
        else:
            true, predicted = self.cell
            chosen = (wrong["true"] == true) & (wrong["predicted"] == predicted)
            self.shown_positions = np.flatnonzero(chosen)
        if wrong is None or not len(self.shown_positions):
            self.gallery.set_digits(np.zeros((0, 28, 28)), [], [])
        else:
            k = self.shown_positions
            self.gallery.set_digits(
                wrong["images"][k],
                [f"{t}→{p}" for t, p in zip(wrong["true"][k], wrong["predicted"][k], strict=True)],
                [
                    f"test digit #{i}: true {t}, predicted {p} (click to explain it)"
                    for i, t, p in zip(
                        wrong["indices"][k], wrong["true"][k], wrong["predicted"][k], strict=True
                    )
                ],
            )
        matrix = None if report is None else report["confusion_matrix"]
        images = "ready" if wrong is not None else "loading" if self.is_computing() else "missing"
        note = cell_note(self.cell, matrix, len(self.shown_positions), total, images)
        self.header.set_note(note)

    def _draw_matrix(self, ax) -> None:
        matrix = np.asarray(self.report["confusion_matrix"], dtype=np.int64)
        per_class = self.report.get("per_class_accuracy") or [
            matrix[k, k] / max(matrix[k].sum(), 1) for k in range(10)
        ]
        self.matrix_axes = ax
        self.matrix_image = ax.imshow(
            np.maximum(matrix, 0.5), cmap="Blues", norm=LogNorm(0.5, max(matrix.max(), 1))
        )
        self.count_texts = {}
        for (r, c), count in np.ndenumerate(matrix):
            if count:
                colour = "white" if r == c else "black"
                text = ax.text(
                    c,
                    r,
                    str(count),
                    ha="center",
                    va="center",
                    fontsize=palette.TEXT_PT,
                    color=colour,
                )
                self.count_texts[(r, c)] = text
        ax.set_xticks(range(10))
        self.class_accuracy = [float(a) for a in per_class]
        self.row_labels = [f"{k}  {a:.1%}" for k, a in enumerate(self.class_accuracy)]
        ax.set_yticks(range(10), self.row_labels)
        ax.tick_params(labelsize=palette.TEXT_PT, length=0)
        ax.set_xlabel("predicted · click a cell for its digits", fontsize=palette.TEXT_PT)
        ax.set_ylabel("true (class accuracy)", fontsize=palette.TEXT_PT)
        ax.set_title("Confusion matrix (log colour)", fontsize=palette.TITLE_PT, loc="left")

    # -- hover --------------------------------------------------------------------------
    def hover_text(self, axes, x: float, y: float) -> str | None:
        """Text describing the matrix cell under (x, y)."""
        if axes is self.matrix_axes and self.report is not None:
            r, c = int(np.floor(y + 0.5)), int(np.floor(x + 0.5))
            if 0 <= r < 10 and 0 <= c < 10:
                count = self.report["confusion_matrix"][r][c]
                accuracy = self.class_accuracy[r]
                return f"true {r} ({accuracy:.1%} right), predicted {c}: {count} test digits"
        return None
