# dlfs — every target bootstraps its own virtualenv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.dlfs-installed
IMPL   ?= exercises
PYTEST_ARGS ?=

.PHONY: check reproduce grade grade-all exercises release mutants bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

## make check: the fast test suite against reference/ (xdist on)
# One BLAS thread per worker: xdist already runs one worker per core, and
# oversubscribed BLAS threads make small matrix products 10-20x slower.
check: export OPENBLAS_NUM_THREADS := 1
check: export OMP_NUM_THREADS := 1
check: export MKL_NUM_THREADS := 1
check: $(STAMP)
	$(BIN)/python -m pytest -n auto -m "not slow" checks/suite checks/tests $(PYTEST_ARGS)

## make reproduce: the book's experiments, with a report under build/report/
reproduce: $(STAMP)
	$(BIN)/python -m checks.reproduce $(REPRODUCE_ARGS)

## make mutants: grade every variant of the bug corpus (checks/tools/mutants/) and write docs/mutants.md
mutants: $(STAMP)
	$(BIN)/python -m checks.tools.mutants $(MUTANTS_ARGS)

## make grade: grade IMPL (exercises by default; reference, PATH or book:PATH) in child processes;
## prints a per-chapter table, writes build/grade/results.json (Gradescope) and junit.xml
grade: $(STAMP)
	$(BIN)/python -m checks.grading --impl=$(IMPL) --out build/grade $(GRADE_ARGS)

## make grade-all SUBMISSIONS=dir: grade every submission folder in dir, in parallel;
## scores in build/grade-all/scores.csv, each submission's results.json beside it
grade-all: $(STAMP)
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade-all SUBMISSIONS=<folder of submission folders>"; exit 2; }
	$(BIN)/python -m checks.grading.batch $(SUBMISSIONS) --out build/grade-all $(GRADE_ARGS)

## make exercises: regenerate exercises/ from reference/ (checks/tools/stubgen.py)
exercises: $(STAMP)
	$(BIN)/python -m checks.tools.stubgen

## make release: the student kit (build/release/student/, no solution) and Gradescope's
## build/release/autograder.zip; RELEASE_ARGS="--chapter 5,6 --total 50" (checks/tools/release.py)
release: $(STAMP)
	$(BIN)/python -m checks.tools.release $(RELEASE_ARGS)

## make bench: GEMM peak, conv layers, DeepConvNet inference, SimpleConvNet training, ch06
## and make check's wall time, as fractions of the GEMM peak (checks/tools/bench/). Both cores:
## no single-thread BLAS here. BENCH_ARGS="--no-make-check --markdown --full-epoch" to vary.
bench: $(STAMP)
	$(BIN)/python -m checks.tools.bench $(BENCH_ARGS)

clean:
	rm -rf build .pytest_cache
