# Two entry points (see README.md): `make demo` and `make test`.
# Both bootstrap uv (the installer that reads uv.lock) when it is missing.
UV ?= $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
export UV_PYTHON ?= 3.11

.PHONY: setup demo test lint bench

$(UV):
	python3 -m pip install --user --quiet "uv==0.13.9" || pip install --quiet "uv==0.13.9"

setup: $(UV)
	$(UV) sync --frozen

demo: setup
	$(UV) run kvisa demo --port 8000

test: setup
	bash scripts/system-deps.sh
	$(UV) run pytest -n 2 -q

lint: setup
	$(UV) run ruff check src tests benchmarks scripts
	$(UV) run mypy

bench: setup
	$(UV) run python benchmarks/screen.py
	$(UV) run python benchmarks/documents.py
	$(UV) run python benchmarks/service.py
