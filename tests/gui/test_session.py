"""The session: the model in use and the current explanation, told to every view in order."""

from __future__ import annotations

import numpy as np
import pytest

from lenet_desktop.gui.session import LOADING_HINT, Session
from tests.model.test_probes import random_recognizer


@pytest.fixture(scope="module")
def recognizer():
    return random_recognizer(21)


def record(session: Session) -> list:
    events = []
    session.recognizer_changed.connect(lambda r: events.append(("recognizer", r)))
    session.explanation_changed.connect(lambda e: events.append(("explanation", e)))
    return events


def test_an_input_drawn_before_the_model_is_explained_when_it_loads(recognizer):
    session = Session()
    events = record(session)
    digit = np.zeros((28, 28), np.float32)
    digit[8:20, 13:15] = 1.0
    assert session.show_input(digit, [("ink box", np.zeros((3, 3), np.uint8))], "drawing") is None
    assert events == [("explanation", None)]
    assert session.hint == LOADING_HINT and session.image is not None

    session.set_recognizer(recognizer)
    assert [kind for kind, _ in events[1:]] == ["recognizer", "explanation"]
    explanation = events[-1][1]
    assert explanation is session.explanation and session.hint == ""
    np.testing.assert_array_equal(explanation.image, digit)
    assert explanation.source == "drawing" and explanation.steps[0][0] == "ink box"
    assert explanation.label == recognizer.classify(digit)[0]
    assert session.layer_shapes["output"] == (10,)


def test_nothing_to_explain_says_why(recognizer):
    session = Session()
    session.set_recognizer(recognizer)
    events = record(session)
    session.show_nothing("no digit: the image is blank", [("input (grey)", np.zeros((2, 2)))])
    assert events == [("explanation", None)]
    assert session.explanation is None and session.image is None
    assert session.hint == "no digit: the image is blank"
    assert session.steps[0][0] == "input (grey)"


def test_without_a_model_the_hint_says_so(recognizer):
    session = Session()
    session.show_nothing("Draw a digit")
    assert session.hint == LOADING_HINT
    session.set_no_model_hint("No model loaded")
    assert session.hint == "No model loaded"
    session.set_recognizer(recognizer)
    assert session.hint == "Draw a digit"
