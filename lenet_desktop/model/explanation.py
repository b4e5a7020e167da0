"""What the window explains: one 28x28 input through one model, from one forward pass (no Qt).

:func:`explain` runs :meth:`Recognizer.activations` once; its last layer is the
output, so the same call gives the class probabilities. Every view of the
window (the answer, the activation maps, the filters' responses, the
rotate/shift explorer at rest) reads the one :class:`Explanation` instead of
running the model again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lenet_desktop.model.recognizer import LayerActivation


def _frozen(array) -> np.ndarray:
    """A read-only float32 copy: views share one explanation, none may change it."""
    values = np.array(array, dtype=np.float32)
    values.setflags(write=False)
    return values


@dataclass(frozen=True)
class Explanation:
    """One input explained by one model: the image, how it was made, every layer's output."""

    image: np.ndarray
    """The float32 (28, 28) network input in [0, 1], bright ink on black."""
    probabilities: np.ndarray
    """float32 (10,) class probabilities (the output layer)."""
    activations: tuple[LayerActivation, ...]
    """Every layer's output for :attr:`image`, input excluded, output last."""
    steps: tuple[tuple[str, np.ndarray], ...] = ()
    """Named uint8 images of the preprocessing that made :attr:`image`, in order."""
    source: str = ""
    """Where the input came from: ``"drawing"``, ``"clicked digit"``..."""
    layers: dict[str, np.ndarray] = field(init=False, repr=False, compare=False)
    """:attr:`activations` by layer name."""

    def __post_init__(self):
        object.__setattr__(self, "layers", {a.name: a.values for a in self.activations})

    @property
    def label(self) -> int:
        """The most probable class."""
        return int(np.argmax(self.probabilities))

    @property
    def confidence(self) -> float:
        """Its probability."""
        return float(self.probabilities[self.label])

    def answer(self) -> tuple[int, float, np.ndarray]:
        """``(label, confidence, probabilities)``, as :meth:`Recognizer.classify` gives them."""
        return self.label, self.confidence, self.probabilities


def explain(recognizer, image: np.ndarray, steps=(), source: str = "") -> Explanation:
    """Run ``image`` through ``recognizer`` once and keep everything the views show.

    Parameters
    ----------
    recognizer : lenet_desktop.model.Recognizer
    image : ndarray
        One 28x28 digit (or 28x28x1), floats in [0, 1] or uint8.
    steps : sequence of (str, ndarray)
        The preprocessing images that led to ``image``.
    source : str
        Where the input came from, for the views' captions.

    Returns
    -------
    Explanation

    Raises
    ------
    ValueError
        If ``image`` is not one 28x28 image.
    """
    digit = np.asarray(image)
    if digit.ndim == 3 and digit.shape[-1] == 1:
        digit = digit[..., 0]
    if digit.shape != (28, 28):
        raise ValueError(f"expected one 28x28 image, got shape {np.asarray(image).shape}")
    if np.issubdtype(digit.dtype, np.integer):
        digit = digit.astype(np.float32) / 255.0
    digit = _frozen(digit)
    activations = tuple(
        LayerActivation(a.name, _frozen(a.values)) for a in recognizer.activations(digit)
    )
    if not activations:
        raise ValueError("the model reports no layer outputs")
    return Explanation(
        image=digit,
        probabilities=activations[-1].values.reshape(-1),
        activations=activations,
        steps=tuple((str(name), step) for name, step in steps),
        source=source,
    )


def layer_shapes(recognizer) -> dict[str, tuple[int, ...]]:
    """The output shape of every layer, in order, from one pass of a blank image.

    Views lay out their figures from it once per model, before any input exists.
    """
    blank = np.zeros((28, 28), np.float32)
    return {a.name: tuple(a.values.shape) for a in recognizer.activations(blank)}
