# Two entry points do all set-up on a fresh machine (Python 3.11, package registries only):
#   make demo   serve the bundled replica on 127.0.0.1 and crawl it into archive.db
#   make test   run the whole test suite (installs Debian's chromium for the browser tests)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench chromium

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/ldtd demo

chromium:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

test: $(STAMP) chromium
	$(BIN)/python -m pytest -n 3 --dist loadgroup

# every benchmark in a quick mode (bench/run_all.py; full-size commands in bench/README.md):
#   make bench [BENCH_ARGS="--only search_speed,aeb"]
bench: $(STAMP)
	$(BIN)/python -m bench.run_all $(BENCH_ARGS)
