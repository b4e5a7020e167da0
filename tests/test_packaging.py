"""A wheel built from the repository holds the shipped model, its sidecar and the sample
photo, and an install from it reads the sample photo (issue 15)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import pytest

from tests.conftest import REPO

ASSETS = (
    "lenet5.keras",
    "lenet5.json",
    "lenet5.reading.json",
    "samples/digits_on_paper.jpg",
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
        + ["-w", str(out), str(REPO)],
        check=True,
        capture_output=True,
        cwd=out,
    )
    (built,) = out.glob("lenet_desktop-*.whl")
    return built


def test_wheel_holds_the_assets_and_every_module(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for asset in ASSETS:
            member = f"lenet_desktop/assets/{asset}"
            assert member in names
            assert archive.read(member) == (REPO / "assets" / asset).read_bytes()
    for package in ("lenet_desktop", "training"):
        for module in (REPO / package).rglob("*.py"):
            assert module.relative_to(REPO).as_posix() in names
    assert not any(name.startswith("tests/") for name in names)


def test_an_install_from_the_wheel_reads_the_sample_photo(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site)]
        + [str(wheel)],
        check=True,
        capture_output=True,
    )
    script = (
        "import sys, lenet_desktop\n"
        "from lenet_desktop.cli import main\n"
        "print(lenet_desktop.__file__)\n"
        "sys.exit(main(['--sample', '--json']))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(site))
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    where, text = done.stdout.split("\n", 1)
    assert where.startswith(str(site))
    (result,) = json.loads(text)
    assert result["file"].startswith(str(site))
    assert result["ok"] and result["text"] == "2048 3159 67"
