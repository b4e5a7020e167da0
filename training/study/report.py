"""The study report: ``index.html`` and ``report.md`` with PNG plots in ``figures/``."""

from __future__ import annotations

import os
from pathlib import Path

from training.atomic import write_atomic, write_bytes_atomic
from training.study.render import render_html, render_markdown
from training.study.sections import build_blocks


def write_report(out_dir: str | os.PathLike, study: dict) -> Path:
    """Draw the figures and write ``index.html`` and ``report.md`` for a finished study.

    Parameters
    ----------
    out_dir : path-like
    study : dict
        As returned by :func:`training.study.runner.run_study`.

    Returns
    -------
    pathlib.Path
        ``out_dir/index.html``.
    """
    out = Path(out_dir)
    blocks, figures = build_blocks(study)
    for name, data in figures.items():
        write_bytes_atomic(out / "figures" / name, data)
    title = f"LeNet-5 study ({study['plan']})"
    markdown = render_markdown(blocks, title)
    page = render_html(blocks, title)
    write_atomic(out / "report.md", lambda tmp: tmp.write_text(markdown, encoding="utf-8"))
    return write_atomic(out / "index.html", lambda tmp: tmp.write_text(page, encoding="utf-8"))
