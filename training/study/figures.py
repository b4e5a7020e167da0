"""The plots of the study report, drawn with matplotlib ``Figure`` objects on Agg.

Every function takes run records (see :func:`training.study.runner.train_and_evaluate`)
and returns PNG bytes; none touches pyplot or any global figure state.
"""

from __future__ import annotations

import io
import math

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator, MaxNLocator, NullFormatter

DPI = 80
CLASSIC_COLOUR = "#c0392b"


def png_bytes(figure: Figure) -> bytes:
    """Render ``figure`` to PNG on the Agg canvas."""
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def epochs_text(n: int) -> str:
    """``1 epoch``, ``3 epochs``."""
    return f"{n} epoch" if n == 1 else f"{n} epochs"


def _colours(n: int) -> list:
    from matplotlib import colormaps

    if n <= 10:
        return [colormaps["tab10"](i) for i in range(n)]
    return [colormaps["viridis"](i / max(n - 1, 1)) for i in range(n)]


def _accuracy_axis(ax, values) -> None:
    low = min(values) if values else 0.0
    ax.set_ylim(max(0.0, math.floor((low - 0.05) * 20) / 20), 1.0)
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{v * 100:.0f}%")
    ax.grid(axis="y", alpha=0.3)


def accuracy_bars(
    title: str, labels: list[str], runs: list[dict], reference: dict, bands: dict | None = None
) -> bytes:
    """Bar chart of test accuracy per setting, with the classic study's figures as markers.

    ``reference`` maps a label to the classic accuracy for it (may be empty);
    ``bands`` maps a label to a classic (low, high) range, drawn as a hatched box
    over that bar.
    """
    figure = Figure(figsize=(6.4, 3.6), layout="constrained")
    ax = figure.add_subplot()
    accuracies = [r["test"]["accuracy"] for r in runs]
    bars = ax.bar(labels, accuracies, color=_colours(len(labels)), width=0.6)
    for bar, acc in zip(bars, accuracies, strict=True):
        ax.annotate(
            f"{acc * 100:.1f}%",
            (bar.get_x() + bar.get_width() / 2, acc),
            textcoords="offset points",
            xytext=(0, 3),
            ha="center",
            fontsize=9,
        )
    marked = [(i, reference[label]) for i, label in enumerate(labels) if label in reference]
    if marked:
        ax.scatter(
            [i for i, _ in marked],
            [v for _, v in marked],
            marker="D",
            s=50,
            color=CLASSIC_COLOUR,
            zorder=3,
            label="classic study (approx.)",
        )
    ranged = [(i, bands[label]) for i, label in enumerate(labels) if label in (bands or {})]
    for n, (i, (low, high)) in enumerate(ranged):
        # A hatched box over the bar: the range the write-ups report, read against the bar.
        ax.bar(
            [i],
            [high - low],
            bottom=[low],
            width=0.8,
            fill=False,
            edgecolor=CLASSIC_COLOUR,
            hatch="//",
            linewidth=1.5,
            zorder=3,
            label="classic write-ups (range)" if n == 0 else None,
        )
    if marked or ranged:
        ax.legend(loc="best", fontsize=8)
    lows = [v for _, v in marked] + [low for _, (low, _high) in ranged]
    _accuracy_axis(ax, accuracies + lows)
    # Headroom for the value written above a bar at 100%; no tick above 100%.
    bottom, _ = ax.get_ylim()
    ticks = [t for t in ax.get_yticks() if bottom - 1e-9 <= t <= 1.0 + 1e-9]
    ax.set_ylim(bottom, 1.0 + 0.07 * (1.0 - bottom))
    ax.set_yticks(ticks)
    ax.set_ylabel("test accuracy")
    ax.set_title(f"{title}: test accuracy after {epochs_text(runs[0]['epochs_run'])}")
    return png_bytes(figure)


def batch_size_plot(labels: list[str], runs: list[dict]) -> bytes:
    """Test accuracy and seconds per epoch against batch size (log scale)."""
    figure = Figure(figsize=(9.0, 3.4), layout="constrained")
    left, right = figure.subplots(1, 2)
    sizes = [int(label) for label in labels]
    accuracies = [r["test"]["accuracy"] for r in runs]
    seconds = [r["seconds_per_epoch"] for r in runs]
    left.plot(sizes, accuracies, "o-")
    left.set_xscale("log", base=2)
    left.set_xticks(sizes, [str(s) for s in sizes], fontsize=8)
    _accuracy_axis(left, accuracies)
    left.set_xlabel("batch size")
    left.set_ylabel("test accuracy")
    left.set_title(f"Accuracy after {epochs_text(runs[0]['epochs_run'])}")
    right.plot(sizes, seconds, "o-", color="tab:orange")
    right.set_xscale("log", base=2)
    _log_axis(right, seconds)
    right.set_xticks(sizes, [str(s) for s in sizes], fontsize=8)
    right.set_xlabel("batch size")
    right.set_ylabel("seconds per epoch")
    right.set_title(f"Training time per epoch ({runs[0]['data']['train_images']:,} images)")
    return png_bytes(figure)


def learning_curves(title: str, labels: list[str], runs: list[dict]) -> bytes:
    """Validation accuracy and training loss per epoch, one line per setting."""
    figure = Figure(figsize=(9.0, 3.4), layout="constrained")
    left, right = figure.subplots(1, 2)
    colours = _colours(len(labels))
    values = []
    for label, run, colour in zip(labels, runs, colours, strict=True):
        history = run["history"]
        val = history.get("val_accuracy", [])
        epochs = np.arange(1, len(val) + 1)
        left.plot(epochs, val, "o-", color=colour, label=label, markersize=3)
        right.plot(
            np.arange(1, len(history.get("loss", [])) + 1),
            history.get("loss", []),
            "o-",
            color=colour,
            label=label,
            markersize=3,
        )
        values.extend(val)
    _accuracy_axis(left, values)
    left.set_xlabel("epoch")
    left.set_ylabel("validation accuracy")
    left.set_title(f"{title}: learning curves")
    right.set_xlabel("epoch")
    right.set_ylabel("training loss")
    _log_axis(right, [v for run in runs for v in run["history"].get("loss", [])])
    figure.legend(
        *left.get_legend_handles_labels(), loc="outside right center", fontsize=8, title=title
    )
    epochs = max((len(run["history"].get("loss", [])) for run in runs), default=1)
    for ax in (left, right):
        if epochs <= 12:
            ax.set_xticks(range(1, epochs + 1))
        else:
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return png_bytes(figure)


def _log_axis(ax, values) -> None:
    """Log scale labelled 0.1, 0.2, 0.5, 1, …; minor ticks labelled too for narrow ranges."""
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:g}")
    positive = [v for v in values if v > 0]
    if positive and max(positive) / min(positive) < 2.5:
        ax.yaxis.set_minor_formatter(lambda v, _pos: f"{v:.2g}")
    else:
        ax.yaxis.set_minor_formatter(NullFormatter())
    ax.grid(alpha=0.3, which="both")


def robustness_plot(title: str, labels: list[str], runs: list[dict], reference: dict) -> bytes:
    """Accuracy against rotation range, shift range and under flip.

    ``reference`` may hold ``rotation_good_up_to_degrees``, ``flip_clean_accuracy``
    and ``flip_accuracy`` from the classic study.
    """
    figure = Figure(figsize=(11.0, 3.5), layout="constrained")
    rot_ax, shift_ax, flip_ax = figure.subplots(1, 3, width_ratios=[1.1, 1.1, 1.0])
    colours = _colours(len(labels))
    for label, run, colour in zip(labels, runs, colours, strict=True):
        curves = run["robustness"]
        rot_ax.plot(
            curves["rotation"]["ranges"], curves["rotation"]["accuracy"], "o-", color=colour,
            label=label, markersize=3,
        )  # fmt: skip
        shift_ax.plot(
            curves["shift"]["ranges"], curves["shift"]["accuracy"], "o-", color=colour,
            label=label, markersize=3,
        )  # fmt: skip
    good = reference.get("rotation_good_up_to_degrees")
    if good is not None:
        rot_ax.axvline(good, color=CLASSIC_COLOUR, linestyle="--", linewidth=1)
        rot_ax.text(good + 1, 0.05, f"classic: good\nto ~{good}°", color=CLASSIC_COLOUR, fontsize=8)
    for ax, name, unit in ((rot_ax, "rotation", "°"), (shift_ax, "horizontal shift", " px")):
        ax.set_ylim(0, 1.02)
        ax.yaxis.set_major_formatter(lambda v, _pos: f"{v * 100:.0f}%")
        ax.grid(alpha=0.3)
        ax.set_xlabel(f"random {name} within ±range ({unit.strip()})")
        ax.set_ylabel("accuracy")
    rot_ax.set_xticks(runs[0]["robustness"]["rotation"]["ranges"])
    rot_ax.set_title(f"{title}: rotation")
    shift_ax.set_title("Shift")
    shift_ax.legend(fontsize=8, ncols=2 if len(labels) > 5 else 1)

    names = list(labels)
    clean = [r["robustness"]["clean"] for r in runs]
    flipped = [r["robustness"]["flip"] for r in runs]
    if "flip_accuracy" in reference:
        names.append("classic")
        clean.append(reference["flip_clean_accuracy"])
        flipped.append(reference["flip_accuracy"])
    positions = np.arange(len(names))
    flip_ax.bar(positions - 0.2, clean, 0.4, label="upright", color="tab:blue")
    flip_ax.bar(positions + 0.2, flipped, 0.4, label="flipped", color="tab:red")
    if "flip_accuracy" in reference:
        flip_ax.patches[len(names) - 1].set_hatch("//")
        flip_ax.patches[-1].set_hatch("//")
    if len(names) > 4:
        flip_ax.set_xticks(positions, names, rotation=35, ha="right", fontsize=8)
    else:
        flip_ax.set_xticks(positions, names, fontsize=8)
    flip_ax.set_ylim(0, 1.2)
    flip_ax.set_yticks(np.linspace(0, 1, 6))
    flip_ax.yaxis.set_major_formatter(lambda v, _pos: f"{v * 100:.0f}%")
    flip_ax.grid(axis="y", alpha=0.3)
    flip_ax.set_title("Horizontal flip")
    flip_ax.legend(fontsize=8, loc="upper center", ncols=2)
    return png_bytes(figure)


def confusion_matrix_plot(
    matrix: list[list[int]], title: str, class_names: list[str] | None = None
) -> bytes:
    """One confusion matrix with its counts written in the cells (classes named if given)."""
    counts = np.asarray(matrix)
    figure = Figure(figsize=(5.2, 4.6), layout="constrained")
    ax = figure.add_subplot()
    rates = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    image = ax.imshow(rates, cmap="Blues", vmin=0, vmax=1)
    for (row, col), count in np.ndenumerate(counts):
        if count:
            ax.text(
                col, row, str(count), ha="center", va="center", fontsize=7,
                color="white" if rates[row, col] > 0.5 else "black",
            )  # fmt: skip
    if class_names:
        ax.set_xticks(range(10), class_names, rotation=45, ha="right", fontsize=8)
        ax.set_yticks(range(10), class_names, fontsize=8)
    else:
        ax.set_xticks(range(10))
        ax.set_yticks(range(10))
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title, fontsize=10)
    figure.colorbar(image, ax=ax, label="share of the true class", shrink=0.8)
    return png_bytes(figure)


def confusion_grid(titles: list[str], runs: list[dict]) -> bytes:
    """Small confusion matrices of many runs showing only the errors.

    The diagonal is left blank; colour is the share of a true class read as
    another class, on one scale for every run so they compare.
    """
    columns = min(5, len(runs))
    rows = math.ceil(len(runs) / columns)
    figure = Figure(figsize=(2.3 * columns, 2.5 * rows + 0.4), layout="constrained")
    axes = np.atleast_1d(figure.subplots(rows, columns)).ravel()
    errors = []
    for run in runs:
        counts = np.asarray(run["test"]["confusion_matrix"], dtype=np.float64)
        rates = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
        np.fill_diagonal(rates, np.nan)
        errors.append(rates)
    top = max(float(np.nanmax(e)) for e in errors) or 1.0
    image = None
    for ax, title, run, rates in zip(axes, titles, runs, errors, strict=False):
        image = ax.imshow(rates, cmap="Reds", vmin=0, vmax=top)
        ax.set_title(f"{title}\n{run['test']['accuracy'] * 100:.2f}%", fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
    for ax in axes[len(runs) :]:
        ax.set_visible(False)
    figure.suptitle("Errors per true class (rows true, columns predicted)", fontsize=10)
    if image is not None:
        figure.colorbar(image, ax=list(axes[: len(runs)]), shrink=0.6, label="share of class")
    return png_bytes(figure)


def per_class_bars(class_names: list[str], accuracies: list[float], title: str) -> bytes:
    """Horizontal bars of test accuracy per class, labelled with the class names."""
    figure = Figure(figsize=(6.4, 3.8), layout="constrained")
    ax = figure.add_subplot()
    positions = np.arange(len(class_names))
    bars = ax.barh(positions, accuracies, color=_colours(len(class_names)))
    for bar, acc in zip(bars, accuracies, strict=True):
        ax.annotate(
            f"{acc * 100:.1f}%",
            (acc, bar.get_y() + bar.get_height() / 2),
            textcoords="offset points",
            xytext=(3, 0),
            va="center",
            fontsize=8,
        )
    ax.set_yticks(positions, class_names)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.1)
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{v * 100:.0f}%")
    ax.grid(axis="x", alpha=0.3)
    ax.set_xlabel("test accuracy")
    ax.set_title(title, fontsize=10)
    return png_bytes(figure)
