"""The CIFAR-10 variant: same LeNet-5 layers on 32x32x3, flip + shift augmentation, training."""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf

from tests.training.cifar_files import cifar_images
from tests.training.test_lenet import EXPECTED_PARAMS, EXPECTED_SHAPES
from training.cifar import CifarData
from training.cifar_augment import augment_cifar_batch
from training.cifar_evaluate import cifar_robustness, format_cifar_report
from training.config import Augmentation, TrainConfig
from training.lenet import build_lenet5
from training.pipeline import StatelessDraws, make_dataset


def test_same_layer_shapes_and_300_more_weights_in_c1():
    model = build_lenet5(TrainConfig(dataset="cifar10"))
    assert tuple(model.inputs[0].shape[1:]) == (32, 32, 3)
    for name, shape in EXPECTED_SHAPES.items():
        assert tuple(model.get_layer(name).output.shape[1:]) == shape, name
    assert model.get_layer("C1").count_params() == 5 * 5 * 3 * 6 + 6
    for name in ("C3", "C5", "F6", "output"):
        assert model.get_layer(name).count_params() == EXPECTED_PARAMS[name]
    assert model.count_params() == 62006 == 61706 + 5 * 5 * 2 * 6


def test_digit_distortions_are_refused_for_colour_images():
    TrainConfig(dataset="cifar10", augmentation=Augmentation(shift=4.0))
    with pytest.raises(ValueError, match="rotation, thickness are for digits"):
        TrainConfig(dataset="cifar10", augmentation=Augmentation(rotation=5, thickness=0.2))
    with pytest.raises(ValueError, match="dataset must be one of"):
        TrainConfig(dataset="imagenet")


def possible_outputs(image: np.ndarray, limit: int) -> list[np.ndarray]:
    """Every image a flip and a whole-pixel shift within ±limit can make of ``image``."""
    outputs = []
    for source in (image, image[:, ::-1]):
        for dy in range(-limit, limit + 1):
            for dx in range(-limit, limit + 1):
                moved = np.zeros_like(source)
                h, w = source.shape[:2]
                ys, yd = slice(max(0, -dy), h - max(0, dy)), slice(max(0, dy), h - max(0, -dy))
                xs, xd = slice(max(0, -dx), w - max(0, dx)), slice(max(0, dx), w - max(0, -dx))
                moved[yd, xd] = source[ys, xs]
                outputs.append(moved)
    return outputs


def test_augmentation_only_flips_and_shifts_by_whole_pixels():
    images, _ = cifar_images(24, seed=1)
    batch = tf.constant(images.astype(np.float32) / 255.0)
    out = augment_cifar_batch(batch, Augmentation(shift=2.0), StatelessDraws([3, 4])).numpy()
    flipped = 0
    for original, result in zip(batch.numpy(), out, strict=True):
        candidates = possible_outputs(original, 2)
        matches = [i for i, c in enumerate(candidates) if np.array_equal(c, result)]
        assert matches, "augmented image is not a flip + shift of the original"
        flipped += matches[0] >= len(candidates) // 2
    assert 3 <= flipped <= 21  # about half are mirrored
    assert not np.array_equal(out, batch.numpy())


def test_training_pipeline_uses_the_cifar_augmentation():
    images, labels = cifar_images(16, seed=2)
    dataset = make_dataset(
        images,
        labels,
        16,
        augmentation=Augmentation(shift=3.0),
        augmenter=augment_cifar_batch,
        seed=5,
    )
    batch, _ = next(iter(dataset))
    assert batch.shape == (16, 32, 32, 3)
    for original, result in zip(images.astype(np.float32) / 255.0, batch.numpy(), strict=True):
        assert any(np.allclose(c, result) for c in possible_outputs(original, 3))


@pytest.fixture(scope="module")
def tiny_cifar_model():
    from training.train import train

    x_train, y_train = cifar_images(300, seed=3)
    x_test, y_test = cifar_images(100, seed=4)
    data = CifarData(x_train, y_train, x_test, y_test, "generated", "sha256:0")
    config = TrainConfig(dataset="cifar10", batch_size=32, epochs=3, learning_rate=3e-3)
    return data, train(config, data)


def test_trains_on_colour_images(tiny_cifar_model):
    data, result = tiny_cifar_model
    history = result.history
    assert history["loss"][-1] < history["loss"][0]
    robust = cifar_robustness(result.model, data.x_test, data.y_test)
    # Each class is a colour: learnable, and the same mirrored.
    assert robust["clean"] > 0.3
    assert robust["flip"] == pytest.approx(robust["clean"], abs=0.1)


def test_mnist_data_with_a_cifar_config_is_refused(tiny_data):
    from training.train import train

    with pytest.raises(ValueError, match=r"trains on CIFAR-10 .* but the data hold \(28, 28, 1\)"):
        train(TrainConfig(dataset="cifar10", epochs=1), tiny_data)


def test_report_names_the_classes():
    report = {
        "accuracy": 0.5,
        "test_size": 20,
        "per_class_accuracy": [0.1 * i for i in range(10)],
        "confusion_matrix": np.eye(10, dtype=int).tolist(),
    }
    text = format_cifar_report(report, {"clean": 0.5, "flip": 0.48}, ["airplane"] + ["x"] * 9)
    assert "Test accuracy: 50.00% on 20 images" in text
    assert "0 airplane    0.0%" in text
    assert "horizontal flip      48.00%" in text
