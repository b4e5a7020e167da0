"""Why this answer: how each input pixel and each unit moves a class score (no Qt).

The score of a class is its logit (the output layer before its softmax).
:func:`class_gradients` backpropagates it through the NumPy engine from the
layer outputs an :class:`~lenet_desktop.model.explanation.Explanation`
already holds, so explaining costs no forward pass: the gradient over the
28x28 input is the saliency map (red where more ink would raise the score,
blue where it would lower it), and gradient × activation of a unit is its
first-order contribution to the score (what removing it would change).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ClassGradients:
    """The gradients of one class's score for one explained input."""

    target: int
    """The class whose score is differentiated."""
    input: np.ndarray
    """float32 (28, 28): d score / d input pixel (the saliency map)."""
    layers: dict[str, np.ndarray]
    """d score / d output of each layer by name, in the shape of its activations."""

    def contributions(self, name: str, values: np.ndarray) -> np.ndarray:
        """Gradient × activation of every unit of layer ``name`` (its share of the score)."""
        return self.layers[name] * np.asarray(values)


def class_gradients(recognizer, explanation, targets) -> list[ClassGradients] | None:
    """Gradients of the scores of ``targets`` for ``explanation``'s input, in one backward pass.

    Parameters
    ----------
    recognizer : Recognizer
        The model that made ``explanation``.
    explanation : Explanation
    targets : sequence of int
        Classes to explain (for example the answer and a class the user picked).

    Returns
    -------
    list of ClassGradients or None
        One per target, in order; ``None`` when the model does not run on the
        NumPy engine (then there is no gradient to show).

    Raises
    ------
    ValueError
        If a target is not a class of the model.
    """
    classes = len(explanation.probabilities)
    targets = [int(t) for t in targets]
    for target in targets:
        if not 0 <= target < classes:
            raise ValueError(f"class {target} is not one of the model's {classes} classes")
    names = [a.name for a in explanation.activations]
    seed = np.eye(classes, dtype=np.float32)[targets]
    grads = recognizer.backpropagate(
        explanation.image, [a.values for a in explanation.activations], seed
    )
    if grads is None:
        return None
    return [
        ClassGradients(
            target,
            np.array(grads[0][k, ..., 0], dtype=np.float32),
            {
                name: np.array(g[k], dtype=np.float32)
                for name, g in zip(names, grads[1:], strict=True)
            },
        )
        for k, target in enumerate(targets)
    ]
