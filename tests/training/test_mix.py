"""The mix of digit sources: the option, the writer split in training, the new distortions."""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf

from tests.conftest import make_tiny_data
from tests.training.test_real_data import square_bitmap, write_scan
from training.config import Augmentation, TrainConfig, parse_mix
from training.data import DataError
from training.mix import copies, held_out_sets, real_parts
from training.pipeline import StatelessDraws, augment_batch


def write_real_folder(tmp_path, writers=12, per_writer=4):
    """Tiny pendigits and optdigits files: every writer writes ``per_writer`` digits."""
    lines = []
    for w in range(1, writers + 1):
        for k in range(per_writer):
            label = (w + k) % 10
            lines += [f'.SEGMENT DIGIT {w * 10 + k} ? "{label}"', f".COMMENT {label} {w} {k}"]
            lines += [".PEN_DOWN", " 100  400", " 300  400", f" {150 + 10 * label}  100"]
            lines += [".PEN_UP", ".DT 100", ""]
    (tmp_path / "pendigits-orig.tra").write_text("\n".join(lines), encoding="latin-1")
    scans = [(np.roll(square_bitmap(), d, axis=1), d % 10) for d in range(60)]
    write_scan(tmp_path, scans)
    return tmp_path


def test_parse_mix():
    assert parse_mix("mnist:1,pendigits:3,optdigits:10") == {
        "mnist": 1.0,
        "pendigits": 3.0,
        "optdigits": 10.0,
    }
    for text, message in [
        ("mnist", "source:weight"),
        ("mnist:1,emnist:2", "unknown source 'emnist'"),
        ("mnist:1,pendigits:x", "must be a number"),
        ("mnist:1,pendigits:0", "must be positive"),
        ("pendigits:3", "must include mnist"),
        ("mnist:1,mnist:2", "appears twice"),
    ]:
        with pytest.raises(ValueError, match=message):
            parse_mix(text)
    with pytest.raises(ValueError, match="for digit models"):
        TrainConfig(dataset="cifar10", mix={"mnist": 1.0})


def test_mix_option_and_its_help():
    from training.cli import build_parser
    from training.train_options import config_from_args

    parser = build_parser()
    args = parser.parse_args(["train", "--out", "m.keras", "--mix", "mnist:1,optdigits:2.5"])
    assert config_from_args(args).mix == {"mnist": 1.0, "optdigits": 2.5}
    help_text = parser._subparsers._group_actions[0].choices["train"].format_help()
    assert "--mix" in help_text and "split by writer" in " ".join(help_text.split())
    with pytest.raises(SystemExit):
        parser.parse_args(["train", "--out", "m.keras", "--mix", "mnist:1,bad:1"])


def test_copies_follow_the_weight():
    rng = np.random.default_rng(0)
    assert np.bincount(copies(10, 3.0, rng)).tolist() == [3] * 10
    counts = np.bincount(copies(10, 1.5, rng), minlength=10)
    assert sorted(counts.tolist()) == [1] * 5 + [2] * 5


def test_real_parts_keep_test_writers_out(tmp_path):
    folder = write_real_folder(tmp_path)
    parts = real_parts({"mnist": 1, "pendigits": 2, "optdigits": 1}, folder, seed=1)
    pen, scan = parts.sources["pendigits"], parts.sources["optdigits"]
    assert pen["writers"]["test"] == [7, 8, 9, 10, 11, 12]
    assert pen["writers"]["validation"] == [4, 5, 6] and pen["writers"]["train"] == [1, 2, 3]
    assert pen["train_copies"] == 2 * 12 and pen["validation_images"] == 12
    assert scan["train_images"] == 42 and scan["test_images"] == 12
    assert len(parts.x_train) == 24 + 42 and len(parts.x_val) == 12 + 6
    assert parts.x_train.dtype == np.uint8 and parts.x_train.max() == 255
    held = held_out_sets(folder)
    assert set(held) == {"pendigits", "optdigits", "optdigits_binary16", "optdigits_grey16"}
    assert len(held["pendigits"][1]) == 24 and len(held["optdigits_grey16"][1]) == 12


def test_a_writer_fold_holds_out_other_writers_in_training_and_evaluation(tmp_path):
    from training.cli import build_parser
    from training.train_options import config_from_args

    folder = write_real_folder(tmp_path)
    parts = real_parts({"mnist": 1, "pendigits": 1}, folder, seed=1, fold=0)
    pen = parts.sources["pendigits"]
    assert pen["writers"] == {"test": [1, 2, 3, 4, 5, 6], "validation": [10, 11, 12],
                              "train": [7, 8, 9]}  # fmt: skip
    assert pen["fold"] == 0
    labels = held_out_sets(folder, sources=("pendigits",), fold=0)["pendigits"][1]
    assert labels.tolist() == [(w + k) % 10 for w in range(1, 7) for k in range(4)]
    args = build_parser().parse_args(
        ["train", "--out", "m.keras", "--preset", "shipped", "--writer-fold", "2"]
    )
    assert config_from_args(args).writer_fold == 2
    with pytest.raises(ValueError, match="add a mix"):
        TrainConfig(writer_fold=1)
    with pytest.raises(ValueError, match="must not be negative"):
        TrainConfig(writer_fold=-1, mix={"mnist": 1.0})
    with pytest.raises(DataError, match="writer fold 2 does not exist"):
        real_parts({"mnist": 1, "pendigits": 1}, folder, fold=2)


def test_training_on_a_mix_adds_real_writers(tmp_path):
    from training.train import train

    folder = write_real_folder(tmp_path)
    config = TrainConfig(epochs=1, batch_size=64, mix={"mnist": 1.0, "pendigits": 2.0})
    result = train(config, make_tiny_data(300, 50), real_data=folder)
    assert result.sources["pendigits"]["train_copies"] == 24
    assert result.epochs_run == 1
    with pytest.raises(DataError, match="optdigits file not found"):
        train(TrainConfig(epochs=1, mix={"mnist": 1.0, "optdigits": 1.0}),
              make_tiny_data(300, 50), real_data=tmp_path / "nowhere")  # fmt: skip


def digit_batch() -> tf.Tensor:
    images = np.zeros((8, 28, 28, 1), np.float32)
    images[:, 6:22, 12:16, 0] = 1.0
    images[:, 6:9, 12:20, 0] = 0.6
    return tf.constant(images)


def test_elastic_shear_and_aspect_move_ink_and_keep_it():
    batch = digit_batch()
    for aug in (Augmentation(elastic=34), Augmentation(shear=0.3), Augmentation(aspect=0.2)):
        out = augment_batch(batch, aug, StatelessDraws([1, 2])).numpy()
        assert out.shape == batch.shape
        changed = np.abs(out - batch.numpy()).reshape(8, -1).max(axis=1)
        assert (changed > 0.2).sum() >= 6, aug
        mass = out.sum(axis=(1, 2, 3)) / batch.numpy().sum(axis=(1, 2, 3))
        assert np.all((mass > 0.7) & (mass < 1.4)), aug


def test_binarise_low_res_and_blur_when_certain():
    batch = digit_batch()
    binary = augment_batch(batch, Augmentation(binarise=1.0), StatelessDraws([3, 4])).numpy()
    assert set(np.unique(binary).tolist()) == {0.0, 1.0}
    low = augment_batch(batch, Augmentation(low_res=1.0), StatelessDraws([5, 6])).numpy()
    assert np.all(low.max(axis=(1, 2, 3)) == pytest.approx(1.0))
    assert len(np.unique(low)) > 10  # soft, blocky edges from 16x16 upsampled
    blurred = augment_batch(batch, Augmentation(blur=1.0), StatelessDraws([7, 8])).numpy()
    edge = batch.numpy()[:, 14, 11, 0]  # next to the stroke: no ink before
    assert np.all(blurred[:, 14, 11, 0] > edge)


def test_elastic_sampler_agrees_with_the_projective_transform():
    from training.distort import warp

    batch = digit_batch()
    angle, scale = 0.3, 1.1
    cos, sin = np.cos(angle) / scale, np.sin(angle) / scale
    row = [cos, sin, 13.5 - 13.5 * (cos + sin) + 0.7, -sin, cos, 13.5 - 13.5 * (cos - sin) - 0.4]
    transforms = tf.constant([row + [0.0, 0.0]] * 8, tf.float32)
    projective = warp(batch, transforms, None).numpy()
    sampled = warp(batch, transforms, tf.zeros([8, 28, 28, 2])).numpy()
    assert np.abs(projective - sampled).max() < 1e-4
    assert np.abs(projective - batch.numpy()).max() > 0.5  # it did move the ink
