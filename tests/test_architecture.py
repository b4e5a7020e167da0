"""Dependency rules: Qt stays at the edge, and training never depends on the app.

``training/``, ``lenet_desktop/vision/``, ``lenet_desktop/model/`` and
``lenet_desktop/cli.py`` must run on a machine without PySide6 (the command
line, a headless server, CI); ``training`` must be usable on its own.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
QT_FREE = ("training", "lenet_desktop/vision", "lenet_desktop/model", "lenet_desktop/cli.py")


def python_files(*relative: str) -> list[Path]:
    """Every .py file under the given folders (or the given files), that exists."""
    files: list[Path] = []
    for rel in relative:
        path = REPO / rel
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files.extend(sorted(path.rglob("*.py")))
    return files


def imported_modules(path: Path) -> set[str]:
    """Absolute names of every module ``path`` imports, wherever the import statement is."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            # "from x import y" may import the submodule x.y.
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def offending(files: list[Path], root_package: str) -> list[str]:
    """``file: module`` for each import of ``root_package`` (or a submodule) in ``files``."""
    found = []
    for path in files:
        for name in sorted(imported_modules(path)):
            if name == root_package or name.startswith(root_package + "."):
                found.append(f"{path.relative_to(REPO)}: {name}")
    return found


def test_the_checked_folders_exist():
    files = python_files(*QT_FREE)
    assert REPO / "training" / "train.py" in files
    assert REPO / "lenet_desktop" / "model" / "recognizer.py" in files
    assert REPO / "lenet_desktop" / "vision" / "preprocess.py" in files


def test_import_scanner_sees_nested_and_from_imports(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os\n"
        "def f():\n"
        "    from PySide6.QtCore import QObject\n"
        "    import PySide6.QtGui as gui\n"
        "from . import sibling\n",
        encoding="utf-8",
    )
    names = imported_modules(sample)
    assert {"os", "PySide6.QtCore", "PySide6.QtGui"} <= names
    assert "sibling" not in names


def test_core_packages_never_import_pyside6():
    assert offending(python_files(*QT_FREE), "PySide6") == []


def test_training_never_imports_the_app():
    assert offending(python_files("training"), "lenet_desktop") == []


@pytest.mark.timeout(120)
def test_importing_the_core_does_not_load_qt():
    code = (
        "import sys\n"
        "import training, training.train, training.pipeline, training.lenet\n"
        "import training.evaluate, training.model_io, training.cli\n"
        "import lenet_desktop.vision, lenet_desktop.model\n"
        "import lenet_desktop.vision.preprocess, lenet_desktop.model.recognizer\n"
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
