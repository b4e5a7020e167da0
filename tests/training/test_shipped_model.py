"""The model shipped in assets/ does what its sidecar says (needs the real MNIST)."""

from __future__ import annotations

import pytest

from training.evaluate import evaluate_model, robustness
from training.model_io import load_model, read_sidecar

pytestmark = pytest.mark.mnist


@pytest.fixture(scope="module")
def shipped(shipped_model_path):
    return load_model(shipped_model_path), read_sidecar(shipped_model_path)


def test_sidecar_describes_a_classic_lenet5(shipped):
    model, sidecar = shipped
    assert sidecar["parameters"] == 61706
    assert model.count_params() == 61706
    assert len(sidecar["history"]["val_accuracy"]) == sidecar["epochs_run"]
    assert sidecar["test_accuracy"] >= 0.993


def test_test_accuracy_matches_the_sidecar(shipped, mnist):
    model, sidecar = shipped
    report = evaluate_model(model, mnist.x_test, mnist.y_test)
    assert report["test_size"] == 10000
    # The sidecar was computed by this same function on the same images;
    # 1e-4 is one test image.
    assert report["accuracy"] == pytest.approx(sidecar["test_accuracy"], abs=1e-4)
    assert report["accuracy"] >= 0.993
    assert report["per_class_accuracy"] == pytest.approx(
        sidecar["test"]["per_class_accuracy"], abs=1e-3
    )


def test_robustness_figures_match_the_sidecar(shipped, mnist):
    model, sidecar = shipped
    figures = robustness(model, mnist.x_test, mnist.y_test)
    recorded = sidecar["robustness"]
    assert figures["flip"] == pytest.approx(recorded["flip"], abs=1e-4)
    for kind in ("rotation", "shift"):
        assert figures[kind] == pytest.approx(recorded[kind], abs=1e-4)


def test_per_source_figures_match_the_sidecar(shipped, mnist, real_data_folder):
    from training.source_eval import source_figures

    model, sidecar = shipped
    recorded = sidecar["sources"]["figures"]
    fold = sidecar["config"].get("writer_fold")  # the writers it never trained on
    measured = source_figures(model, mnist, None, real_data_folder, fold)["figures"]
    assert set(measured) == set(recorded) - {"rotation_30"}
    for name, figure in measured.items():
        assert figure["images"] == recorded[name]["images"], name
        # The same function on the same images (held-out writers only); 1e-6 is rounding.
        assert figure["accuracy"] == pytest.approx(recorded[name]["accuracy"], abs=1e-6), name
    assert recorded["rotation_30"]["accuracy"] == sidecar["robustness"]["rotation"]["30"]
    assert "CC BY 4.0" in sidecar["sources"]["credits"]
    assert sidecar["config"]["mix"] == {"mnist": 1.0, "pendigits": 10.0, "optdigits": 10.0}
    real = sidecar["data"]["real_sources"]
    for name in ("pendigits", "optdigits"):
        writers = real[name]["writers"]
        assert not set(writers["test"]) & (set(writers["train"]) | set(writers["validation"]))
