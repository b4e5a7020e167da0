"""Qt-free model core: load a LeNet-5, run it fast, expose activations and filters."""

from lenet_desktop.model.recognizer import LayerActivation, Recognizer

__all__ = ["LayerActivation", "Recognizer"]
