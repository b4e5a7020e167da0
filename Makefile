# LeNet Desktop: `make run` starts the app, `make test` runs the whole suite.
# Both create .venv and install the project on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED_MNIST := $(abspath ../shared/data/mnist.npz)
SHARED_REAL := $(abspath ../shared/data/real)

# Point the data loader at the shared MNIST copy when it exists (and the
# user has not chosen another one).
ifneq ($(wildcard $(SHARED_MNIST)),)
export LENET_MNIST ?= $(SHARED_MNIST)
endif
# The real handwriting (UCI pendigits and optdigits) the shipped model also trains on.
ifneq ($(wildcard $(SHARED_REAL)/pendigits-orig.tra),)
export LENET_REAL_DATA ?= $(SHARED_REAL)
endif
export TF_CPP_MIN_LOG_LEVEL ?= 2

.PHONY: run test bench lint format install clean shipped-model study

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/lenet-desktop

test: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python bench/train_speed.py
	$(BIN)/python bench/recognize_speed.py
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/gui_latency.py
	$(BIN)/python bench/activation_latency.py
	$(BIN)/python bench/close_latency.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .

# Retrain the model shipped in assets/ (the exact command is kept in assets/README.md).
shipped-model: install
	$(BIN)/lenet-train --preset shipped --out assets/lenet5.keras | tee assets/training-log.txt

study: install
	$(BIN)/lenet-train study --quick --out reports/study-quick

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .import_linter_cache
