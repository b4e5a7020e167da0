"""The study package imports one way: plan → progress → runner → report modules → command.

The rule is the ``study-layers`` import-linter contract in ``pyproject.toml``
(``make test`` runs ``lint-imports``). These tests check the same contract
with grimp, import-linter's graph library, so a plain ``pytest`` run catches
a reversed import too, and check that the contract names every study module
(a new module left out of it would go unchecked).
"""

from __future__ import annotations

import pkgutil

import grimp
import pytest
from importlinter.api import read_configuration

import training.study
from tests.test_architecture import REPO

CONTAINER = "training.study"


def contract() -> dict:
    """The ``study-layers`` contract from ``pyproject.toml``, as import-linter reads it."""
    contracts = read_configuration(str(REPO / "pyproject.toml"))["contracts_options"]
    return next(c for c in contracts if c.get("id") == "study-layers")


def contract_layers() -> list[grimp.Layer]:
    """The contract's layers, highest first, as grimp takes them."""
    return [
        grimp.Layer(*(name.strip() for name in line.split("|")), independent=True)
        for line in contract()["layers"]
    ]


def layer_modules() -> list[set[str]]:
    """Short names of the modules of each layer, highest first."""
    return [{name.strip() for name in line.split("|")} for line in contract()["layers"]]


def study_modules() -> set[str]:
    """Short names of every module in training/study/."""
    return {info.name for info in pkgutil.iter_modules(training.study.__path__)}


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("training", cache_dir=None)


def test_the_contract_covers_the_study_package():
    assert contract()["containers"] == [CONTAINER]
    listed = [name for layer in layer_modules() for name in layer]
    assert sorted(listed) == sorted(study_modules())


def test_the_layers_run_plan_first_and_command_last():
    bottom_up = list(reversed(layer_modules()))
    assert bottom_up[0] == {"plan"}
    assert bottom_up[1] == {"progress"}
    assert bottom_up[2] == {"runner"}
    assert bottom_up[-1] == {"command"}
    assert bottom_up.index({"report"}) > bottom_up.index({"sections"}) > 2


def test_no_study_module_imports_a_later_layer(graph):
    illegal = graph.find_illegal_dependencies_for_layers(
        layers=contract_layers(), containers={CONTAINER}
    )
    assert illegal == set()


def test_a_reversed_import_is_caught(graph):
    # The check above must be able to fail: plan importing the report breaks it,
    # and so does runner importing report sections through a chain.
    graph.add_import(importer="training.study.plan", imported="training.study.report")
    try:
        illegal = graph.find_illegal_dependencies_for_layers(
            layers=contract_layers(), containers={CONTAINER}
        )
    finally:
        graph.remove_import(importer="training.study.plan", imported="training.study.report")
    assert {(d.importer, d.imported) for d in illegal} == {
        ("training.study.plan", "training.study.report")
    }


def test_plan_imports_no_other_study_module(graph):
    imported = graph.find_modules_directly_imported_by("training.study.plan")
    assert {m for m in imported if m.startswith(CONTAINER + ".")} == set()


def test_the_package_itself_imports_no_module(graph):
    imported = graph.find_modules_directly_imported_by(CONTAINER)
    assert {m for m in imported if m.startswith(CONTAINER + ".")} == set()
