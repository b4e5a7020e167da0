"""The study package imports one way: plan → progress → runner → report modules → command."""

from __future__ import annotations

import ast
import importlib
import pkgutil

import pytest

import training.study
from tests.test_architecture import REPO, imported_modules

LAYERS = [
    {"plan"},
    {"progress"},
    {"runner"},
    {"render", "figures", "analysis"},
    {"dataset_section"},
    {"sections"},
    {"report"},
    {"command"},
]
"""Each module may import study modules of earlier layers only (never its own layer's)."""
RANK = {name: rank for rank, layer in enumerate(LAYERS) for name in layer}


def study_modules() -> list[str]:
    """Short names of every module in training/study/."""
    return sorted(info.name for info in pkgutil.iter_modules(training.study.__path__))


def study_imports(name: str) -> set[str]:
    """Short names of the study modules that ``training/study/<name>.py`` imports."""
    found = set()
    for module in imported_modules(REPO / "training" / "study" / f"{name}.py"):
        parts = module.split(".")
        if parts[:2] == ["training", "study"] and len(parts) > 2:
            found.add(parts[2])
    return found


def test_every_module_has_a_layer():
    assert set(study_modules()) == set(RANK)


@pytest.mark.parametrize("name", sorted(RANK))
def test_module_imports_only_earlier_layers(name):
    importlib.import_module(f"training.study.{name}")
    later = {other for other in study_imports(name) if RANK[other] >= RANK[name]}
    assert later == set(), f"{name} imports {sorted(later)} of its own or a later layer"


def test_plan_knows_nothing_of_running_or_reporting():
    assert study_imports("plan") == set()
    assert not study_imports("runner") & {"render", "figures", "sections", "report", "command"}
    assert "runner" not in study_imports("report") | study_imports("sections")


def test_study_modules_use_absolute_imports():
    # Relative imports would slip past the scanner above.
    for name in study_modules():
        tree = ast.parse((REPO / "training" / "study" / f"{name}.py").read_text(encoding="utf-8"))
        relative = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level]
        assert relative == [], name


def test_the_package_itself_imports_no_module():
    assert study_imports("__init__") == set()
