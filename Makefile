# Two commands for a new user: `make demo` and `make test`. Both build .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_PROCESSES ?= 2
export MPLBACKEND := Agg

.PHONY: demo test lint quick lab release bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/bpcourse demo

# in TEST_PROCESSES processes, a test file (or a group, tests/conftest.py) in each at a time
test: lint
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) --dist loadgroup

# ruff: the lint rules and the format in pyproject.toml
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# bpkit and the unit tests alone, in seconds: no notebooks, kernels, nbgrader or browser
quick: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not browser"

lab: $(STAMP)
	$(BIN)/bpcourse lab

release: $(STAMP)
	$(BIN)/bpcourse release

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build *.egg-info
