"""The window's model: the recognizer in use and the explanation of the current input.

Views take the :class:`Session` in their constructor and subscribe to its two
signals (napari's ``QtDims(dims)`` habit); inputs write to it with
:meth:`Session.show_input` / :meth:`Session.show_nothing`, the model loader
with :meth:`Session.set_recognizer`. Every change emits
``explanation_changed`` once (after ``recognizer_changed`` for a new model),
so a view that redraws from the session on that signal is never stale.

Each input is run through the model exactly once, here, by
:func:`lenet_desktop.model.explanation.explain`; views read the
:class:`~lenet_desktop.model.explanation.Explanation` and never run the model
on it again.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from lenet_desktop.model.explanation import Explanation, explain, layer_shapes

LOADING_HINT = "Loading model…"


class Session(QObject):
    """Holds the recognizer and the current explanation; tells every view when either changes."""

    recognizer_changed = Signal(object)
    """The new recognizer (views rebuild for its layers). The explanation follows."""
    explanation_changed = Signal(object)
    """The new :class:`Explanation`, or ``None`` when there is nothing to explain
    (read :attr:`hint`, :attr:`image` and :attr:`steps` for what to show instead)."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.recognizer = None
        self.explanation: Explanation | None = None
        self.layer_shapes: dict[str, tuple[int, ...]] = {}
        """Output shape of every layer of the recognizer, for views to lay out."""
        self.image: np.ndarray | None = None
        """The 28x28 input shown now (kept without a model, re-explained by a new one)."""
        self.steps: tuple = ()
        """The preprocessing images of the current input (or of the failed attempt)."""
        self.source = ""
        self._hint = ""
        self._no_model_hint = LOADING_HINT

    @property
    def hint(self) -> str:
        """Why there is no explanation, for the user (empty when there is one)."""
        if self.explanation is not None:
            return ""
        return self._no_model_hint if self.recognizer is None else self._hint

    def set_recognizer(self, recognizer) -> None:
        """Use ``recognizer`` from now on and explain the current input with it."""
        self.recognizer = recognizer
        self.layer_shapes = layer_shapes(recognizer) if recognizer is not None else {}
        self.recognizer_changed.emit(recognizer)
        self._explain()

    def set_no_model_hint(self, hint: str) -> None:
        """What to say while there is no model ("Loading model…" until told otherwise)."""
        self._no_model_hint = hint
        if self.recognizer is None:
            self._explain()

    def show_input(self, image: np.ndarray, steps=(), source: str = "") -> Explanation | None:
        """Explain a new 28x28 input (one forward pass); return the explanation.

        Without a model the input is kept (and shown) and explained once one loads.
        """
        self.image = np.array(image, dtype=np.float32)
        self.steps = tuple(steps)
        self.source = source
        return self._explain()

    def show_nothing(self, hint: str, steps=()) -> None:
        """There is no input to explain (a blank canvas, a tab without a chosen digit)."""
        self.image = None
        self.steps = tuple(steps)
        self.source = ""
        self._hint = hint
        self._explain()

    def _explain(self) -> Explanation | None:
        if self.recognizer is None or self.image is None:
            self.explanation = None
        else:
            self.explanation = explain(self.recognizer, self.image, self.steps, self.source)
        self.explanation_changed.emit(self.explanation)
        return self.explanation
