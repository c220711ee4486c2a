# make setup | make run | make test   (see README.md)
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.setup-stamp

.PHONY: setup run test test-all lint check model clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,dask]' --config-settings editable_mode=compat
	$(PY) -m matcher build
	touch $(STAMP)

model: setup
	$(PY) -m matcher build

run: setup
	$(PY) -m web.serve

test: setup
	$(PY) -m pytest -q -m "not slow"

test-all: setup
	$(PY) -m pytest -q

lint: setup
	$(VENV)/bin/ruff check .

check: setup
	$(PY) -m taxonomy check

clean:
	rm -rf $(VENV) instance var
