# citegraph: two commands do all the set-up on a fresh machine.
#   make demo   build the environment, run the main job on corpus/, say where the output is
#   make test   build/update the environment, run the whole suite (doctests and notebooks included)

PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= out

.PHONY: demo test bench fuzz invariance browser compiled uncompiled clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; install Python 3.11" >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python setup.cfg setup.py pyproject.toml $(wildcard citegraph/*.py citegraph/*/*.py)
	$(BIN)/python -m pip install -q --upgrade pip setuptools wheel
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

# Headless Chromium for the HTML tests (Debian packages; needs root for apt).
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "warning: chromium not installed and apt not usable; browser tests will be skipped" >&2; fi

demo: $(STAMP)
	$(BIN)/citegraph extract --format table corpus/*.txt
	$(BIN)/citegraph build corpus/*.txt --out $(OUT)
	@echo "output written to $(OUT)/ (graph.ttl, graph.jsonld, graph.graphml, graph.html, report.md)"

test: $(STAMP) browser
	$(BIN)/python -m pytest -q

# end to end on real files and a 100k build first (benchmarks/e2e.py), then the in-process and 10k/100k figures
# (long: most of an hour on 2 cores); the reports are also kept in benchmarks/_work/.
bench: $(STAMP)
	$(BIN)/python benchmarks/e2e.py --build 100000 --markdown benchmarks/_work/e2e.md --json benchmarks/_work/e2e.json
	$(BIN)/python benchmarks/bench.py --markdown benchmarks/_work/bench.md --json benchmarks/_work/bench.json

fuzz: $(STAMP)
	$(BIN)/python benchmarks/fuzz.py --runs 100000

# every perturbation of a document's arrival over every real text (../shared/real/web): differing documents
invariance: $(STAMP)
	$(BIN)/python benchmarks/invariance.py --widths 10-120

# Opt-in: the modules on the extraction path compiled with mypyc (setup.py), for wheels and the benchmark.
# Needs gcc and the Python headers; mypy, setuptools and wheel are installed first (no build isolation).
# The .so files sit beside the sources and are used instead of them until removed (make uncompiled keeps
# the environment, make clean removes it too).
compiled: $(STAMP)
	$(BIN)/python -m pip install -q mypy setuptools wheel
	CITEGRAPH_COMPILE=1 $(BIN)/python -m pip install -q --no-build-isolation -e .

uncompiled:
	find citegraph -name '*.so' -delete
	rm -f citegraph_compiled*.so
	rm -rf build

clean: uncompiled
	rm -rf $(VENV) $(OUT) *.egg-info
