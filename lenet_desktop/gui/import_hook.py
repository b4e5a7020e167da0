"""Keep PySide6's import hook from reading the source of every module imported after Qt.

PySide6 checks each newly imported module for ``from __feature__ import ...``
by reading its whole source with ``inspect.getsource``. TensorFlow imports
thousands of modules, so this costs seconds at startup, and when that import
runs in a worker thread (as the model loader's does) the check races with the
GUI thread and can crash the interpreter. The app uses no ``__feature__``
switches, so every module is treated as one that does not: exactly what the
check concludes for modules that never mention PySide6.
"""

from __future__ import annotations

import sys


def _never_uses_features(module) -> bool:
    return False


def skip_pyside_source_scan() -> bool:
    """Replace PySide6's per-import source scan with a constant answer.

    Returns
    -------
    bool
        True when the hook was found and replaced (idempotent).
    """
    import PySide6.QtCore  # noqa: F401  (loads the support modules)

    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not hasattr(feature, "_mod_uses_pyside"):
        return False
    feature._mod_uses_pyside = _never_uses_features
    return True
