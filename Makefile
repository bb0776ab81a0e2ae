# MASH Desk — the two commands in the README are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_CONTACTS ?= 3000
## Test processes: one per core. A file's tests stay together in one process (--dist loadfile), so a
## module's fixtures are built once; each process has its own PostgreSQL database and login roles.
TEST_WORKERS ?= auto

.PHONY: run test setup lint typecheck pytest demo report screenshots bench installer clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,installer]'
	@touch $(STAMP)

## The DfE's CIN census rules (csc-validator-be-cin) that the census tests run, in their own environment:
## they pin pandas 1.5 and numpy below 2 (tools/cin_validator/requirements.txt).
CIN_VENV := .venv-cin
CIN_STAMP := $(CIN_VENV)/.installed

$(CIN_STAMP): tools/cin_validator/requirements.txt
	@test -x $(CIN_VENV)/bin/python || $(PYTHON) -m venv $(CIN_VENV)
	$(CIN_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(CIN_VENV)/bin/python -m pip install --quiet -r tools/cin_validator/requirements.txt
	@touch $(CIN_STAMP)

setup: $(STAMP) $(CIN_STAMP)

## Set everything up and open the app on the embedded database with demo data.
run: $(STAMP)
	$(BIN)/mash-desk db upgrade
	$(BIN)/mash-desk demo --contacts $(DEMO_CONTACTS) --seed 1 --skip-if-present
	$(BIN)/mash-desk

## Set everything up and run the whole suite: lint, types, and every test on SQLite and PostgreSQL.
test: $(STAMP) $(CIN_STAMP)
	scripts/ensure-postgres.sh
	$(MAKE) --no-print-directory lint typecheck pytest

## ruff, and the layer contract in pyproject.toml ([tool.importlinter]: which layer may import which).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) $(CIN_STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

demo: $(STAMP)
	$(BIN)/mash-desk db upgrade
	$(BIN)/mash-desk demo --contacts $(DEMO_CONTACTS) --seed 1 --skip-if-present

report: $(STAMP)
	$(BIN)/mash-desk report

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/mash-desk screenshots --out screenshots

## The benchmark on an embedded demo database in build/ (made once, DEMO_CONTACTS big; see benchmarks/README.md).
bench: $(STAMP)
	mkdir -p build
	$(BIN)/python benchmarks/run_bench.py --db sqlite:///$(CURDIR)/build/bench.sqlite3 --contacts $(DEMO_CONTACTS)

installer: $(STAMP)
	installer/build.sh

clean:
	rm -rf build dist screenshots .mypy_cache .ruff_cache .pytest_cache .import_linter_cache
