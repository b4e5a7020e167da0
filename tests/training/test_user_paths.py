"""Every path a user gives lenet-train is checked before work starts, and what is wrong is
said in words (issue 13 item 5; item 7 for data paths)."""

from __future__ import annotations

import os

import pytest

from training import cli
from training.data import DataError, resolve_mnist_path
from training.user_paths import (
    input_file_problem,
    os_error_words,
    output_file_problem,
    output_folder_problem,
)


@pytest.fixture
def no_work(monkeypatch):
    """Any data loading (the first real work) fails the test."""

    def started(*args, **kwargs):
        raise AssertionError("work started before the paths were checked")

    monkeypatch.setattr("training.datasets.load_dataset", started)
    monkeypatch.setattr("training.model_io.load_model", started)


def unwritable_folder(tmp_path):
    """A folder no file can be made in: read-only for a normal user; /sys even for root."""
    if os.geteuid() == 0:
        return "/sys"
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    return str(folder)


def run_train(out, *extra) -> int:
    return cli.main(["--out", str(out), "--epochs", "1", *extra])


def error_of(capsys) -> str:
    err = capsys.readouterr().err
    assert "Errno" not in err and "Traceback" not in err
    return err


def test_out_through_a_file(tmp_path, capsys, no_work):
    (tmp_path / "notes.txt").write_text("x")
    assert run_train(tmp_path / "notes.txt" / "m.keras") == 1
    assert f"goes through {tmp_path / 'notes.txt'}, which is a file, not a folder" in error_of(
        capsys
    )


def test_out_is_a_directory(tmp_path, capsys, no_work):
    (tmp_path / "m.keras").mkdir()
    assert run_train(tmp_path / "m.keras") == 1
    assert "m.keras is a folder; give a file name for the model" in error_of(capsys)


def test_out_in_an_unwritable_folder(tmp_path, capsys, no_work):
    folder = unwritable_folder(tmp_path)
    assert run_train(os.path.join(folder, "sub", "m.keras")) == 1
    assert f"the folder {folder} cannot be written" in error_of(capsys)


def test_data_that_is_a_folder_or_a_symlink_loop(tmp_path, capsys, no_work):
    folder = tmp_path / "mnist.npz"
    folder.mkdir()
    assert run_train(tmp_path / "m.keras", "--data", str(folder)) == 1
    assert f"{folder} is a folder, not a MNIST .npz file" in error_of(capsys)
    loop = tmp_path / "loop.npz"
    os.symlink(loop, loop)
    with pytest.raises(DataError, match="symlink loop"):
        resolve_mnist_path(loop)


def test_evaluate_json_is_checked_before_the_model_is_loaded(tmp_path, capsys, no_work):
    (tmp_path / "file").write_text("x")
    code = cli.main(
        ["evaluate", str(tmp_path / "m.keras"), "--json", str(tmp_path / "file/r.json")]
    )
    assert code == 1
    assert "which is a file, not a folder" in error_of(capsys)


def test_study_out_that_is_a_file(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("training.study.command.run", lambda *a, **k: pytest.fail("ran"))
    (tmp_path / "report").write_text("x")
    assert cli.main(["study", "--quick", "--out", str(tmp_path / "report")]) == 1
    assert "report is a file, not a folder for the report" in error_of(capsys)


def test_problems_in_words(tmp_path):
    assert input_file_problem(tmp_path / "none") == f"{tmp_path / 'none'} does not exist"
    dangling = tmp_path / "dangling"
    os.symlink(tmp_path / "gone", dangling)
    assert "is a symbolic link to" in input_file_problem(dangling)
    assert output_file_problem(tmp_path / "new" / "deeper" / "m.keras") is None
    assert output_folder_problem(tmp_path / "reports") is None
    words = os_error_words(None, PermissionError(13, "Permission denied", "/x/y"))
    assert words == "/x/y cannot be opened: permission denied"
