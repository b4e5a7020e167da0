"""Per-user folders come from platformdirs, under one name, honouring the XDG variables."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from lenet_desktop import paths


@pytest.mark.skipif(sys.platform != "linux", reason="the XDG variables are a Linux rule")
def test_data_and_settings_folders_follow_xdg(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert paths.user_data_dir() == tmp_path / "data" / "lenet-desktop"
    assert paths.models_dir() == tmp_path / "data" / "lenet-desktop" / "models"
    assert paths.samples_dir().is_dir()
    assert paths.user_config_dir() == tmp_path / "config" / "lenet-desktop"


def test_the_study_report_is_noted_in_the_app_data_folder(tmp_path, monkeypatch):
    # training cannot import the app, so both sides must ask platformdirs the same way.
    from training.latest_report import record_latest_report

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    report = tmp_path / "index.html"
    report.write_text("<html></html>", encoding="utf-8")
    noted = record_latest_report(report)
    assert noted.parent == paths.user_data_dir()


def test_a_file_where_the_data_folder_should_be_is_one_problem_in_words(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    (tmp_path / "lenet-desktop").write_text("not a folder")
    problems = paths.data_folder_problems()
    assert len(problems) == 1
    assert "is a file, not a folder" in problems[0]
    assert str(tmp_path / "lenet-desktop") in problems[0]
    with pytest.raises(paths.DataFolderError, match="is a file, not a folder"):
        paths.samples_dir()
    with pytest.raises(paths.DataFolderError, match="cannot be made"):
        paths.models_dir()
    # Checking creates nothing and leaves the file as it was.
    assert (tmp_path / "lenet-desktop").read_text() == "not a folder"


def test_a_file_where_the_samples_folder_should_be_names_that_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    (tmp_path / "lenet-desktop").mkdir()
    (tmp_path / "lenet-desktop" / "samples").write_bytes(b"")
    problems = paths.data_folder_problems()
    assert problems == [paths.folder_problem(paths.samples_path(), "The samples folder")]
    assert problems[0].startswith("The samples folder")
    assert not paths.models_path().exists()  # the check made nothing
    assert paths.models_dir().is_dir()  # the other folder still works


def test_a_fine_or_missing_data_folder_has_no_problem(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "not-yet"))
    assert paths.data_folder_problems() == []
    assert not (tmp_path / "not-yet").exists()


def test_a_folder_without_write_permission_is_named(tmp_path, monkeypatch):
    # Permission bits do not bind root (which CI may be), so the check of them is stubbed.
    locked = tmp_path / "locked"
    locked.mkdir()
    real_access = paths.os.access
    monkeypatch.setattr(
        paths.os, "access", lambda path, mode: Path(path) != locked and real_access(path, mode)
    )
    assert "is not writable" in paths.folder_problem(locked, "The data folder")
    assert "cannot be made" in paths.folder_problem(locked / "samples", "The samples folder")
    assert paths.folder_problem(tmp_path / "other", "The data folder") is None


def test_a_broken_link_is_named(tmp_path):
    link = tmp_path / "lenet-desktop"
    link.symlink_to(tmp_path / "gone")
    assert "broken link" in paths.folder_problem(link / "samples", "The samples folder")
