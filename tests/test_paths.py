"""Per-user folders come from platformdirs, under one name, honouring the XDG variables."""

from __future__ import annotations

import sys

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
