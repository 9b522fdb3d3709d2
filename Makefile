# Two commands for a new user: `make demo` and `make test`. Both build .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# One test process more than cores: tests wait (kernels and servers starting, sandboxes, Dask, browsers) for about
# 8% of a run with one per core, and one more process fills that (2 cores: 375 s with 2, then 349 s with 3)
TEST_PROCESSES ?= $(shell echo $$(( $$(nproc) + 1 )))
export MPLBACKEND := Agg

.PHONY: demo test lint quick lab release bench clean

# After the install, rfc3987-syntax goes: jsonschema (under nbformat and the Jupyter server) imports it if it is
# there, and it compiles 38 parsers as it loads, 0.9 s of CPU in every process that reads a notebook
# (python-jsonschema/jsonschema#1428). It only checks IRIs, which no notebook or Jupyter schema has.
$(STAMP): pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m pip uninstall --quiet --yes rfc3987-syntax
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/bpcourse demo

# in TEST_PROCESSES processes, a test file (or a group, tests/conftest.py) in each at a time. The course's bytecode
# is compiled first: where PYTHONDONTWRITEBYTECODE is set (as on the machines this course is developed on), no
# process caches it, and each kernel, sandbox and server of the run would compile autograder/ and bpkit/ again
# (importing them takes 0.07 s of CPU without cached bytecode, 0.02 s with); sandboxed kernels only read the cache
test: lint
	$(BIN)/python -m compileall -q autograder bpkit tests benchmarks
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
