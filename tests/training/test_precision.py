"""Training in bfloat16: when it is chosen, and that trained models come back in float32."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import make_tiny_data
from training import precision as precision_module
from training.config import TrainConfig
from training.lenet import build_lenet5
from training.precision import cpu_has_bf16, resolve_precision, with_precision
from training.train import train

CPUINFO = """processor\t: {n}
vendor_id\t: AuthenticAMD
flags\t\t: fpu sse2 avx2 fma avx512f{extra}
"""


def policies(model) -> dict[str, str]:
    return {layer.name: layer.dtype_policy.name for layer in model.layers}


@pytest.mark.parametrize(
    ("extra", "expected"),
    [(" avx512_bf16 avx512_vnni", True), (" amx_bf16 amx_tile", True), (" avx512_vnni", False)],
)
def test_cpu_bf16_is_read_from_the_cpu_flags(tmp_path, extra, expected):
    path = tmp_path / "cpuinfo"
    path.write_text(CPUINFO.format(n=0, extra=extra) + "\n" + CPUINFO.format(n=1, extra=extra))
    assert cpu_has_bf16(path) is expected


def test_no_cpuinfo_means_no_bf16(tmp_path):
    assert cpu_has_bf16(tmp_path / "missing") is False
    (tmp_path / "empty").write_text("processor : 0\n")
    assert cpu_has_bf16(tmp_path / "empty") is False


@pytest.mark.parametrize("hardware", [True, False])
def test_auto_follows_the_hardware_and_explicit_choices_stand(monkeypatch, hardware):
    monkeypatch.setattr(precision_module, "_hardware_bf16", lambda: hardware)
    assert resolve_precision("auto") == ("bfloat16" if hardware else "float32")
    assert resolve_precision("float32") == "float32"
    assert resolve_precision("bfloat16") == "bfloat16"
    with pytest.raises(ValueError, match="precision must be one of"):
        resolve_precision("float16")


def test_cpu_bf16_needs_onednn(monkeypatch):
    monkeypatch.setattr(precision_module, "gpu_has_bf16", lambda: None)
    monkeypatch.setattr(precision_module, "cpu_has_bf16", lambda: True)
    monkeypatch.setenv("TF_ENABLE_ONEDNN_OPTS", "0")
    assert resolve_precision("auto") == "float32"
    monkeypatch.setenv("TF_ENABLE_ONEDNN_OPTS", "1")
    assert resolve_precision("auto") == "bfloat16"


def test_a_bfloat16_copy_keeps_the_weights_and_a_float32_output():
    model = build_lenet5()
    half = with_precision(model, "bfloat16")
    assert half is not model
    assert policies(half) == {
        "image": "float32",
        **dict.fromkeys(("C1", "S2", "C3", "S4", "flatten", "C5", "F6"), "mixed_bfloat16"),
        "output": "float32",
    }
    for a, b in zip(model.get_weights(), half.get_weights(), strict=True):
        assert b.dtype == np.float32
        np.testing.assert_array_equal(a, b)
    x = np.random.default_rng(0).random((8, 28, 28, 1), dtype=np.float32)
    full_out, half_out = np.asarray(model(x)), np.asarray(half(x))
    assert half_out.dtype == np.float32
    assert not np.array_equal(full_out, half_out)  # computed in bfloat16 ...
    np.testing.assert_allclose(half_out, full_out, atol=0.02)  # ... to about 3 digits
    back = with_precision(half, "float32")
    assert set(policies(back).values()) == {"float32"}
    np.testing.assert_allclose(np.asarray(back(x)), full_out, rtol=1e-5, atol=1e-7)
    assert with_precision(model, "float32") is model
    assert with_precision(half, "bfloat16") is half


@pytest.mark.parametrize("precision", ["bfloat16", "float32"])
def test_training_in_either_precision_learns_and_hands_back_float32(precision):
    data = make_tiny_data(n_train=300, n_test=100)
    config = TrainConfig(batch_size=32, epochs=3, seed=5, learning_rate=3e-3, precision=precision)
    result = train(config, data)
    assert result.precision == precision
    assert set(policies(result.model).values()) == {"float32"}
    loss = result.history["loss"]
    assert loss[-1] < loss[0] * 0.8
    predicted = np.asarray(result.model(data.x_test[..., None] / 255.0)).argmax(axis=1)
    assert np.mean(predicted == data.y_test) > 0.5  # chance is 0.1


def test_fine_tuning_in_bfloat16_starts_from_the_given_weights():
    data = make_tiny_data(n_train=100, n_test=10)
    start = build_lenet5()
    before = [w.copy() for w in start.get_weights()]
    config = TrainConfig(batch_size=32, epochs=1, seed=2, precision="bfloat16")
    result = train(config, data, initial_model=start, steps_per_execution=1)
    assert result.precision == "bfloat16"
    for a, b in zip(before, start.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)  # the given model is left alone
    moved = [np.abs(a - b).max() for a, b in zip(before, result.model.get_weights(), strict=True)]
    # One epoch of small Adam steps from the given weights, not a fresh start.
    assert 0 < max(moved) < 0.05
