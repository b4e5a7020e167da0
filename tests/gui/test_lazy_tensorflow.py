"""The app starts, predicts and opens Model → Retrain… without TensorFlow on the GUI thread
(issue 15): TensorFlow is imported only by a worker, when retraining needs it."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO

SCRIPT = r"""
import sys, threading
from importlib.abc import MetaPathFinder

imported_on = []

class Watch(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "tensorflow":
            imported_on.append(threading.current_thread().name)
        return None

sys.meta_path.insert(0, Watch())

from PySide6.QtWidgets import QApplication
app = QApplication([])
from PySide6.QtCore import QTimer
from lenet_desktop.gui.main_window import MainWindow
from lenet_desktop.gui.retrain.controller import FINDING_DEVICE

window = MainWindow(defer_extensions=True)
state = {}

def deadline():
    state["timed out"] = True
    app.quit()

def poll():
    if window.session.recognizer is not None and "predicted" not in state:
        state["predicted"] = window.session.recognizer.engine
        state["tf at first prediction"] = "tensorflow" in sys.modules
        window.retrain.open_retrain()
        state["tf after opening retrain"] = list(imported_on)
        state["device shown"] = window.retrain.dialog().form.device_label.text()
    if "predicted" in state and window.retrain.device is not None:
        state["device"] = window.retrain.device
        app.quit()
        return
    QTimer.singleShot(20, poll)

window.show()
QTimer.singleShot(0, poll)
QTimer.singleShot(120_000, deadline)
app.exec()
window.shutdown(5)
state["imported on"] = imported_on
print(repr(state))
"""


def test_tensorflow_is_imported_only_by_a_worker_when_retraining_needs_it(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TF_CPP_MIN_LOG_LEVEL="3")
    env.update(XDG_CONFIG_HOME=str(tmp_path / "cfg"), XDG_DATA_HOME=str(tmp_path / "data"))
    env["LENET_MNIST"] = str(tmp_path / "no-mnist.npz")  # the panels never download it
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    state = eval(done.stdout.strip().splitlines()[-1])  # noqa: S307  (our own repr)
    assert "timed out" not in state
    assert state["predicted"] == "numpy"
    assert state["tf at first prediction"] is False
    assert state["tf after opening retrain"] in ([], ["Finding the training device"])
    assert state["device shown"] in ("finding the device…", state["device"])
    assert state["device"].startswith(("CPU", "GPU"))
    assert state["imported on"]
    assert "MainThread" not in state["imported on"]
