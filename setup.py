"""Packaging beyond pyproject.toml: the repository's assets/ folder is the package
``lenet_desktop.assets`` (the shipped model, its sidecar and the sample photo), read with
importlib.resources."""

from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["lenet_desktop*", "training*"]) + ["lenet_desktop.assets"],
    package_dir={"lenet_desktop.assets": "assets"},
)
