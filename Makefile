# Two entry points (see README.md): `make demo` and `make test`.
# Both bootstrap uv (the installer that reads uv.lock) when it is missing.
#
# uv goes into a private virtual environment under .tools/ (never
# `pip install --user`, which Debian 12 and Ubuntu 24.04's own python3 refuse
# under PEP 668 "externally-managed-environment"); a uv already on PATH wins.
UV_VERSION := 0.13.9
TOOLS := .tools
UV ?= $(shell command -v uv 2>/dev/null || echo "$(CURDIR)/$(TOOLS)/bin/uv")
export UV_PYTHON ?= 3.11

.PHONY: setup demo test check lint bench crash-test cluster-test

$(CURDIR)/$(TOOLS)/bin/uv:
	@python3 -m venv --help >/dev/null 2>&1 || { \
	  echo "python3's venv module is missing: install it (Debian/Ubuntu: sudo apt-get install python3-venv)" >&2; exit 2; }
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# --compile-bytecode: the libraries' .pyc files are written once here, so
# every `kvisa` process starts a second sooner, also where Python is told
# not to write them (PYTHONDONTWRITEBYTECODE, as on CI machines).
setup: $(UV)
	$(UV) sync --frozen --compile-bytecode

PORT ?= 8000

demo: setup
	bash scripts/system-deps.sh --fonts
	$(UV) run kvisa demo --port $(PORT)

test: setup
	bash scripts/system-deps.sh
	$(UV) run pytest -n 2 -q

# The fast loop for developers: lint, types and import contracts, then the pure tier
# (no database, ~20 s), then the database tier; the slow fuzz/property tests, the
# browser and the process tests are left to `make test` (CI runs it in full).  The
# tiers are marked from the fixtures a test uses (tests/conftest.py).
check: setup
	$(UV) run ruff check src tests benchmarks scripts
	$(UV) run mypy
	$(UV) run lint-imports
	$(UV) run pytest -n 2 -q -m "not db and not slow and not browser and not process"
	$(UV) run pytest -n 2 -q -m "db and not slow and not browser and not process"

lint: setup
	$(UV) run ruff check src tests benchmarks scripts
	$(UV) run mypy
	$(UV) run lint-imports

# The figures of docs/performance.md: each against an older commit or a peer, same run.
bench: setup
	$(UV) run python benchmarks/screen.py --against 60dfff3 --sizes 1000000
	$(UV) run python benchmarks/screen.py --sizes 1000000
	$(UV) run --with openfisca-core python benchmarks/vs_openfisca.py --sizes 1000000
	$(UV) run python benchmarks/documents.py
	$(UV) run python benchmarks/interview.py --personas 40 --naive
	$(UV) run python benchmarks/service.py --rows 20000 --drafts 12000 --seconds 15 --clients 16

# A submission storm while the server is SIGKILLed and PostgreSQL restarted; prints
# acknowledged=N lost=0 duplicated=0 half_written=0 audit=intact (docs/reliability.md).
crash-test: setup
	bash scripts/system-deps.sh
	$(UV) run python scripts/crash_test.py

# Two `kvisa serve` nodes behind HAProxy on PostgreSQL and an S3-compatible store (moto's
# server): a journey across nodes, a submission storm with one node SIGKILLed, the audit
# verified.  Prints one line and exits non-zero unless nothing was lost (tests/cluster/run.py).
cluster-test: setup
	bash scripts/system-deps.sh
	$(UV) run python tests/cluster/run.py --drafts 300 --clients 16
