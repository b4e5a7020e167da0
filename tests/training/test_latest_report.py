"""Where the latest study report is noted: platformdirs' per-user data folder."""

from __future__ import annotations

import sys

import platformdirs
import pytest

from training.latest_report import data_home, latest_report_path, record_latest_report


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG is the Linux rule")
def test_xdg_data_home_is_honoured(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert data_home() == tmp_path / "xdg" / "lenet-desktop"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert data_home() == tmp_path / "home" / ".local" / "share" / "lenet-desktop"


def test_same_folder_as_the_app_rule(tmp_path, monkeypatch):
    # training cannot import the app, so it repeats the app's platformdirs call;
    # this checks the two agree (the app's folder is where Help finds the report).
    from lenet_desktop.paths import user_data_dir

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert str(data_home()) == platformdirs.user_data_dir("lenet-desktop", appauthor=False)
    assert data_home() == user_data_dir()


def test_record_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert latest_report_path() is None
    index = tmp_path / "report" / "index.html"
    index.parent.mkdir()
    index.write_text("<html></html>", encoding="utf-8")
    noted = record_latest_report(index)
    assert noted == tmp_path / "xdg" / "lenet-desktop" / "latest-study.txt"
    assert latest_report_path() == index.resolve()
    index.unlink()  # a report deleted since is not offered
    assert latest_report_path() is None
