# dlfs — every target bootstraps its own virtualenv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.dlfs-installed
IMPL   ?= exercises
PYTEST_ARGS ?=

.PHONY: check reproduce margins grade grade-all exercises release mutants bench matrix docs clean boundary

# First run (or pyproject.toml changed): one line saying what happens, pip's output in
# .venv/install.log, shown only when the install fails.
$(STAMP): pyproject.toml
	@if [ ! -x $(BIN)/python ]; then \
	    $(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null || { \
	        echo "dlfs needs Python 3.10 to 3.13; '$(PYTHON)' is $$($(PYTHON) --version 2>&1 || echo 'not found')." >&2; \
	        echo "Run again with a newer one, e.g. make $(MAKECMDGOALS) PYTHON=python3.12" >&2; exit 1; }; \
	    echo "Building the Python environment in $(VENV)/ (first run only, about 1-3 minutes)..."; \
	    $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	        echo "Could not create $(VENV)/ with '$(PYTHON) -m venv' (on Debian/Ubuntu: apt install python3-venv)." >&2; \
	        exit 1; }; \
	else \
	    echo "Updating the Python environment in $(VENV)/ (pyproject.toml changed)..."; \
	fi
	@{ $(BIN)/python -m pip install --disable-pip-version-check --upgrade pip && \
	   $(BIN)/python -m pip install --disable-pip-version-check -e '.[test]'; } > $(VENV)/install.log 2>&1 || { \
	    tail -n 25 $(VENV)/install.log >&2; \
	    echo "Installing dlfs into $(VENV)/ failed (last lines above; full log: $(VENV)/install.log)." >&2; \
	    echo "Check the network (or PIP_INDEX_URL), then run the same make command again." >&2; exit 1; }
	@touch $@
	@echo "Environment ready ($(VENV)/, pip's log in $(VENV)/install.log)."

# dlfs's own modules byte-compiled beside their sources (not exercises/, the learner's; 0.1 s when
# current): with PYTHONDONTWRITEBYTECODE set, as container images often set it (this project's
# machines do), every process compiled them from source again - each test worker, and each grading's
# command, judge and (under bubblewrap) child (a one-component grading's command and judge: 2.08-2.39 s
# of CPU without, 1.54-1.84 s with, six runs each, alternating). Only a speed-up: skipped where the
# checkout cannot be written to, and a failure costs nothing.
# A prerequisite of every target that starts dlfs's own processes (boundary's probe among them);
# a step, not a command of its own (no `dlfs bytecode`).
.PHONY: bytecode
bytecode: $(STAMP)
	@[ ! -w checks ] || $(BIN)/python -m compileall -q checks reference data conftest.py >/dev/null 2>&1 || true

## make check: the fast test suite against reference/ (xdist on)
# One BLAS thread per worker: xdist already runs a worker per core (and one more, conftest.py),
# and oversubscribed BLAS threads make small matrix products 10-20x slower. worksteal: a worker
# that runs out of tests takes some of another's, so no long test is left queued behind others
# at the end.
check: export OPENBLAS_NUM_THREADS := 1
check: export OMP_NUM_THREADS := 1
check: export MKL_NUM_THREADS := 1
check: bytecode
	$(BIN)/python -m pytest -n auto --dist worksteal -m "not slow" checks/suite checks/tests $(PYTEST_ARGS)

## make reproduce: the book's experiments, with a report under build/report/; IMPL=... (given
## explicitly: the exercises default above is grade's) runs them on that implementation;
## REPRODUCE_ARGS="--seeds 0-19 [--cluster ADDR]" over seeds (docs/reproduce.md)
reproduce: bytecode
	$(BIN)/python -m checks.reproduce $(if $(filter-out file,$(origin IMPL)),--impl=$(IMPL)) $(REPRODUCE_ARGS)

## make margins: the stochastic criteria measured over seeds 0-19 (quick tier), written into
## checks/reproduce/claims/bands.json; MARGINS_ARGS="--tier book --seeds 0-4 [CLAIM...]" for others
margins: $(STAMP)
	$(BIN)/python -m checks.tools.margins $(MARGINS_ARGS)

## make mutants: grade every variant of the bug corpus (checks/tools/mutants/), write docs/mutants.md and
## the misconception signatures (checks/grading/misconception_signatures.py); MUTANTS_ARGS="NAME…" grades
## those variants and rewrites their signatures only, MUTANTS_ARGS="--signatures [NAME…]" writes signatures
## only, the checks called in-process (seconds per variant)
mutants: $(STAMP)
	$(BIN)/python -m checks.tools.mutants $(MUTANTS_ARGS)

## make boundary: install bubblewrap when missing and possible (root with apt-get), then say which
## boundary grading uses here (bubblewrap, unprivileged-user or none; docs/security.md)
boundary: bytecode
	@command -v bwrap >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	    && { apt-get update -qq && apt-get install -y -qq bubblewrap; } >/dev/null 2>&1; } || true
	@$(BIN)/python -m checks.isolation.boundary

## make grade: grade IMPL (exercises by default; reference, PATH or book:PATH) in child processes;
## prints a per-chapter table, writes build/grade/results.json (Gradescope) and junit.xml
grade: boundary
	$(BIN)/python -m checks.grading --impl=$(IMPL) --out build/grade $(GRADE_ARGS)

## make grade-all SUBMISSIONS=dir: grade every submission folder in dir, in parallel;
## scores in build/grade-all/scores.csv, each submission's results.json beside it.
## GRADE_ALL_ARGS="--shard 2/8 --out build/shard-2", "--merge OUT_1 … OUT_N" (no SUBMISSIONS),
## "--canvas roster.csv", "--regrade" (docs/instructors.md)
grade-all: boundary
	@test -n "$(SUBMISSIONS)" || case " $(GRADE_ALL_ARGS) " in *" --merge "*) ;; *) \
	    echo "usage: make grade-all SUBMISSIONS=<folder of submission folders> [GRADE_ALL_ARGS=...]" >&2; exit 2;; esac
	$(BIN)/python -m checks.grading.batch $(SUBMISSIONS) --out build/grade-all $(GRADE_ARGS) $(GRADE_ALL_ARGS)

## make exercises: regenerate exercises/ from reference/ (checks/tools/stubgen.py). Never overwrites
## a file you edited: it lists them and stops; FORCE=1 first moves them to exercises-backup-<date>/
exercises: $(STAMP)
	$(BIN)/python -m checks.tools.stubgen $(if $(filter-out 0 no,$(FORCE)),--force)

## make release: the student kit (build/release/student/, no solution) and Gradescope's
## build/release/autograder.zip; RELEASE_ARGS="--chapter 5,6 --total 50" (checks/tools/release.py)
release: $(STAMP)
	$(BIN)/python -m checks.tools.release $(RELEASE_ARGS)

## make bench: GEMM peak, conv layers, DeepConvNet inference, SimpleConvNet training, ch06
## and make check's wall time, as fractions of the GEMM peak (checks/tools/bench/). Both cores:
## no single-thread BLAS here. BENCH_ARGS="--no-make-check --markdown --full-epoch" to vary.
bench: $(STAMP)
	$(BIN)/python -m checks.tools.bench $(BENCH_ARGS)

## make matrix: every supported Python (3.10-3.13, those installed) x the oldest and newest NumPy:
## the fast suite and the book's code graded in each, results in docs/matrix.md (long; not in make check)
matrix: $(STAMP)
	$(BIN)/python -m checks.tools.matrix $(MATRIX_ARGS)

## make docs: regenerate the tables in docs/ that the code prints (checks/tools/docs.py)
docs: $(STAMP)
	$(BIN)/python -m checks.tools.docs

clean:
	rm -rf build .pytest_cache
