"""``lenet-train study``: the classic LeNet-5 study, run on this machine, as a report.

The study trains one LeNet-5 per setting (optimizer, batch size, pooling,
activation, augmentation, data set), measures test accuracy, time per epoch
and robustness (accuracy against rotation range, shift range and flip), and
writes an HTML + Markdown report with plots.

Its modules import one way, each only from those listed before it (the
``study-layers`` import-linter contract in ``pyproject.toml``, checked by
``lint-imports`` and by ``tests/training/test_study_layers.py``):

- :mod:`~training.study.plan`: what to train, and the id of every run;
- :mod:`~training.study.progress`: the study's progress bar (rich);
- :mod:`~training.study.runner`: trains and measures what is not finished yet;
- :mod:`~training.study.render`, :mod:`~training.study.figures`,
  :mod:`~training.study.analysis`: report blocks, plots, derived figures;
- :mod:`~training.study.dataset_section`: MNIST against CIFAR-10 (or why it was skipped);
- :mod:`~training.study.sections`: what the report says, in order;
- :mod:`~training.study.report`: writes ``index.html``, ``report.md``, ``figures/``;
- :mod:`~training.study.command`: the ``lenet-train study`` options and entry point.

Importing the package imports none of them.
"""
