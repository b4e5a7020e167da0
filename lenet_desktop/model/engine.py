"""A NumPy forward pass compiled from a Keras model's layers and weights.

For a one-image input, calling TensorFlow costs far more in dispatch than the
~0.4 MFLOP of arithmetic LeNet-5 needs, so the hot paths (live prediction
while drawing, activations for the panels) run this engine instead. It
supports the layer types a LeNet-style network is made of; anything else makes
:func:`compile_specs` return ``None`` and the caller falls back to a traced
TensorFlow function. It compiles from :class:`LayerSpec` lists, taken from a
Keras model (:func:`layer_specs`) or read straight from a ``.keras`` file
without TensorFlow (:mod:`lenet_desktop.model.keras_file`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def _softmax(x: np.ndarray) -> np.ndarray:
    shifted = x - x.max(axis=-1, keepdims=True)
    np.exp(shifted, out=shifted)
    shifted /= shifted.sum(axis=-1, keepdims=True)
    return shifted


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (np.tanh(0.5 * x) + 1.0)


ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "linear": lambda x: x,
    "relu": lambda x: np.maximum(x, 0.0),
    "tanh": np.tanh,
    "sigmoid": _sigmoid,
    "softmax": _softmax,
}


def activation_backward(name: str, y: np.ndarray, grad: np.ndarray) -> np.ndarray:
    """Gradient before activation ``name`` from its output ``y`` and the gradient after it."""
    if name == "relu":
        return grad * (y > 0)
    if name == "tanh":
        return grad * (1.0 - y * y)
    if name == "sigmoid":
        return grad * y * (1.0 - y)
    if name == "softmax":
        return y * (grad - np.sum(grad * y, axis=-1, keepdims=True))
    return grad


class _Activation:
    def __init__(self, name):
        self.name = name
        self.function = ACTIVATIONS[name]

    def __call__(self, x):
        return self.function(x)

    def backward(self, x, y, grad, activation=True):
        return activation_backward(self.name, y, grad) if activation else grad


class _Conv:
    def __init__(self, kernel, bias, padding, activation):
        self.kh, self.kw, self.cin, self.cout = kernel.shape
        self.kernel = np.ascontiguousarray(kernel.reshape(-1, self.cout), dtype=np.float32)
        self.bias = np.asarray(bias, dtype=np.float32)
        self.padding = padding
        self.activation = activation

    def _pads(self):
        ph, pw = self.kh - 1, self.kw - 1
        return ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0))

    def backward(self, x, y, grad, activation=True):
        """Gradient w.r.t. the input ``x`` from the gradient w.r.t. the output ``y``."""
        if activation:
            grad = self.activation.backward(x, y, grad)
        n, h, w, _ = grad.shape
        columns = grad.reshape(-1, self.cout) @ self.kernel.T
        columns = columns.reshape(n, h, w, self.kh, self.kw, self.cin)
        pads = self._pads() if self.padding == "same" else ((0, 0),) * 4
        padded = np.zeros(
            (n, x.shape[1] + sum(pads[1]), x.shape[2] + sum(pads[2]), self.cin), grad.dtype
        )
        for i in range(self.kh):
            for j in range(self.kw):
                padded[:, i : i + h, j : j + w] += columns[:, :, :, i, j]
        return padded[:, pads[1][0] : pads[1][0] + x.shape[1], pads[2][0] : pads[2][0] + x.shape[2]]

    def __call__(self, x):
        if self.padding == "same":
            x = np.pad(x, self._pads())
        # windows: (N, H', W', C, kh, kw) -> (N, H', W', kh, kw, C) to match the kernel layout
        windows = sliding_window_view(x, (self.kh, self.kw), axis=(1, 2))
        n, h, w = windows.shape[:3]
        columns = windows.transpose(0, 1, 2, 4, 5, 3).reshape(n * h * w, -1)
        out = columns @ self.kernel
        out += self.bias
        return self.activation(out.reshape(n, h, w, self.cout))


class _Pool:
    def __init__(self, size, mode):
        self.size = size
        self.mode = mode

    def __call__(self, x):
        n, h, w, c = x.shape
        sh, sw = self.size
        x = x[:, : h - h % sh, : w - w % sw].reshape(n, h // sh, sh, w // sw, sw, c)
        return x.max(axis=(2, 4)) if self.mode == "max" else x.mean(axis=(2, 4))

    def backward(self, x, y, grad, activation=True):
        """Max pooling sends the gradient to the first largest input of each window."""
        n, h, w, c = x.shape
        sh, sw = self.size
        oh, ow = h // sh, w // sw
        if self.mode == "max":
            windows = x[:, : oh * sh, : ow * sw].reshape(n, oh, sh, ow, sw, c)
            windows = windows.transpose(0, 1, 3, 5, 2, 4).reshape(n, oh, ow, c, sh * sw)
            share = np.eye(sh * sw, dtype=grad.dtype)[np.argmax(windows, axis=-1)]
        else:
            share = np.full((n, oh, ow, c, sh * sw), 1.0 / (sh * sw), grad.dtype)
        spread = (share * grad[..., None]).reshape(n, oh, ow, c, sh, sw)
        out = np.zeros(x.shape, grad.dtype)
        out[:, : oh * sh, : ow * sw] = spread.transpose(0, 1, 4, 2, 5, 3).reshape(
            n, oh * sh, ow * sw, c
        )
        return out


class _Dense:
    def __init__(self, kernel, bias, activation):
        self.kernel = np.ascontiguousarray(kernel, dtype=np.float32)
        self.bias = np.asarray(bias, dtype=np.float32)
        self.activation = activation

    def __call__(self, x):
        return self.activation(x @ self.kernel + self.bias)

    def backward(self, x, y, grad, activation=True):
        """Gradient w.r.t. the input ``x`` from the gradient w.r.t. the output ``y``."""
        if activation:
            grad = self.activation.backward(x, y, grad)
        return grad @ self.kernel.T


class _Flatten:
    def __call__(self, x):
        return x.reshape(len(x), -1)

    def backward(self, x, y, grad, activation=True):
        return grad.reshape(x.shape)


class NumpyEngine:
    """Runs a chain of layers on float32 NumPy batches of shape (N, 28, 28, 1)."""

    def __init__(self, names: list[str], steps: list[Callable[[np.ndarray], np.ndarray]]):
        self.names = names
        self.steps = steps

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Output of the last layer."""
        for step in self.steps:
            x = step(x)
        return x

    def forward_all(self, x: np.ndarray) -> list[np.ndarray]:
        """Output of every layer, in order."""
        outputs = []
        for step in self.steps:
            x = step(x)
            outputs.append(x)
        return outputs

    def geometry(self) -> list[tuple[str, str, tuple[int, int], str]]:
        """``(name, kind, window, padding)`` of every layer, kind one of ``"conv"``,
        ``"pool"``, ``"dense"``, ``"flatten"`` or ``"activation"`` (window (1, 1) but for
        convolutions and pooling)."""
        found = []
        for name, step in zip(self.names, self.steps, strict=True):
            if isinstance(step, _Conv):
                found.append((name, "conv", (step.kh, step.kw), step.padding))
            elif isinstance(step, _Pool):
                found.append((name, "pool", tuple(step.size), "valid"))
            elif isinstance(step, _Dense):
                found.append((name, "dense", (1, 1), "valid"))
            elif isinstance(step, _Flatten):
                found.append((name, "flatten", (1, 1), "valid"))
            else:
                found.append((name, "activation", (1, 1), "valid"))
        return found

    def backward_all(
        self, x: np.ndarray, outputs: list[np.ndarray], seed: np.ndarray, before_last: bool = True
    ) -> list[np.ndarray]:
        """Gradients of a score w.r.t. the input and every layer's output, by backpropagation.

        Uses the outputs of a forward pass already made (no new one).

        Parameters
        ----------
        x : ndarray
            The (N, 28, 28, 1) input of that pass.
        outputs : list of ndarray
            :meth:`forward_all` of ``x`` (or each one's first image, broadcast to N).
        seed : ndarray
            (N, classes): the gradient of the score w.r.t. the last layer, for example
            a one-hot row per class to explain.
        before_last : bool
            Seed the last layer before its activation (the logits of a softmax
            output) rather than after it.

        Returns
        -------
        list of ndarray
            ``[d score / d x, d score / d outputs[0], ...]``; the last is ``seed``.
        """
        n = len(seed)
        inputs = [np.broadcast_to(a, (n,) + a.shape[1:]) for a in [x, *outputs]]
        grads = [np.asarray(seed, dtype=np.float32)]
        for index in range(len(self.steps) - 1, -1, -1):
            step = self.steps[index]
            last = index == len(self.steps) - 1
            grads.append(
                step.backward(
                    inputs[index], inputs[index + 1], grads[-1], not (last and before_last)
                )
            )
        return grads[::-1]


@dataclass
class LayerSpec:
    """One layer as the engine sees it: its Keras class name, name, config and weights."""

    kind: str
    """Keras class name: ``Conv2D``, ``Dense``, ``MaxPooling2D`` ..."""
    name: str
    config: dict
    weights: list[np.ndarray] = field(default_factory=list)


def layer_specs(model) -> list[LayerSpec]:
    """The :class:`LayerSpec` of each layer of a Keras model, in order."""
    return [
        LayerSpec(type(layer).__name__, layer.name, layer.get_config(), layer.get_weights())
        for layer in model.layers
    ]


def compile_engine(model) -> NumpyEngine | None:
    """Build a :class:`NumpyEngine` for a Keras ``model``, or ``None`` if it has unsupported layers.

    See :func:`compile_specs` for what is supported; the model must also be a
    single chain of layers.
    """
    if not is_chain(model):
        return None
    return compile_specs(layer_specs(model))


def compile_specs(specs: list[LayerSpec]) -> NumpyEngine | None:
    """Build a :class:`NumpyEngine` from a chain of layers, or ``None`` if one is unsupported.

    Supported: InputLayer, Conv2D (stride 1, no dilation, 'same' or 'valid'),
    MaxPooling2D / AveragePooling2D (stride = pool size, 'valid'), Flatten,
    Dense, Activation, ReLU and Dropout, with linear, relu, tanh, sigmoid or
    softmax activations, channels last.
    """
    names: list[str] = []
    steps: list[Callable[[np.ndarray], np.ndarray]] = []
    for spec in specs:
        if spec.kind in ("InputLayer", "Dropout"):
            continue
        step = _compile_layer(spec)
        if step is None:
            return None
        names.append(spec.name)
        steps.append(step)
    return NumpyEngine(names, steps)


def _activation(config: dict) -> _Activation | None:
    name = config.get("activation") or "linear"
    return _Activation(name) if isinstance(name, str) and name in ACTIVATIONS else None


def _dense_weights(spec: LayerSpec):
    weights = spec.weights
    use_bias = spec.config.get("use_bias", True)
    if len(weights) != (2 if use_bias else 1):
        return None
    bias = weights[1] if use_bias else np.zeros(weights[0].shape[-1], np.float32)
    return weights[0], bias


def _compile_layer(spec: LayerSpec):
    kind, config = spec.kind, spec.config
    if config.get("data_format", "channels_last") != "channels_last":
        return None
    if kind == "Conv2D":
        strides = tuple(config.get("strides", (1, 1)))
        dilation = tuple(config.get("dilation_rate", (1, 1)))
        if strides != (1, 1) or dilation != (1, 1) or config.get("groups", 1) != 1:
            return None
        act, weights = _activation(config), _dense_weights(spec)
        if act is None or weights is None or weights[0].ndim != 4:
            return None
        return _Conv(weights[0], weights[1], config.get("padding", "valid"), act)
    if kind in ("MaxPooling2D", "AveragePooling2D"):
        size = tuple(config["pool_size"])
        strides = tuple(config.get("strides") or size)
        if strides != size or config.get("padding", "valid") != "valid":
            return None
        return _Pool(size, "max" if kind == "MaxPooling2D" else "average")
    if kind == "Flatten":
        return _Flatten()
    if kind == "Dense":
        act, weights = _activation(config), _dense_weights(spec)
        if act is None or weights is None or weights[0].ndim != 2:
            return None
        return _Dense(weights[0], weights[1], act)
    if kind == "Activation":
        return _activation(config)
    if kind == "ReLU":
        cfg_ok = (
            not config.get("max_value")
            and not config.get("negative_slope")
            and not config.get("threshold")
        )
        return _Activation("relu") if cfg_ok else None
    return None


def is_chain(model) -> bool:
    """True when every layer feeds only the next one (a Sequential-like graph)."""
    try:
        for layer in model.layers:
            if len(layer._inbound_nodes) > 1:
                return False
            for node in layer._inbound_nodes:
                if len(node.input_tensors) > 1:
                    return False
    except AttributeError:
        return False
    return True
