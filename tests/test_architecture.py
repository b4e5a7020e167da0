"""Dependency rules at run time: importing the core never loads Qt.

The static rules (Qt only in ``lenet_desktop.gui`` and ``lenet_desktop.app``,
only the entry points reach the GUI, ``training`` never imports the app) are
import-linter contracts in ``pyproject.toml``, which ``make test`` checks with
``lint-imports``. What a static graph cannot see is what actually gets loaded:
this test imports the core in a fresh interpreter and looks.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.timeout(120)
def test_importing_the_core_does_not_load_qt():
    code = (
        "import sys\n"
        "import training, training.train, training.pipeline, training.lenet\n"
        "import training.evaluate, training.model_io, training.cli\n"
        "import lenet_desktop.vision, lenet_desktop.model, lenet_desktop.cli\n"
        "import lenet_desktop.vision.preprocess, lenet_desktop.vision.convert\n"
        "import lenet_desktop.model.recognizer, lenet_desktop.model.explanation\n"
        "import lenet_desktop.paths, lenet_desktop.userdata, lenet_desktop.retrain\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'PySide6')\n"
        "print('QT:' + ','.join(loaded))\n"
    )
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [line for line in done.stdout.splitlines() if line.startswith("QT:")]
    assert lines == ["QT:"]
