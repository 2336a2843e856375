# Two commands on a fresh machine (each creates the virtual environment it needs):
#   make demo   - the offline demo (no GPU, no network)
#   make test   - the test suite (its fuzz tests run a bounded number of examples)
#   make fuzz   - the long fuzz campaign of every public entry point (minutes; prints a table)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# CPU build of torch for the demo and the tests; the package itself never pins torch.
TORCH ?= torch==2.13.0
# OpenRLHF 0.11.2 pins transformers 5.15.0; its light modules need no GPU stack (installed --no-deps).
OPENRLHF ?= openrlhf==0.11.2
TRANSFORMERS ?= transformers==5.15.0

.PHONY: demo test bench fuzz clean

$(BIN)/.installed: pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "$(TORCH)"
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet -e ".[test]" "$(TRANSFORMERS)" "$(TORCH)"
	# --no-deps last: pip checks declared dependencies only on installs that resolve them
	$(BIN)/python -m pip install --quiet --no-deps "$(OPENRLHF)"
	touch $@

demo: $(BIN)/.installed
	$(BIN)/pasmr demo --output demo_output

test: $(BIN)/.installed
	$(BIN)/python -m pytest

bench: $(BIN)/.installed
	$(BIN)/python bench/bench_extraction.py
	$(BIN)/python bench/bench_agent.py
	$(BIN)/python bench/langid_bench.py

# FUZZ_ARGS="--scale 0.1" for a short campaign, "--seed 7" for other inputs
fuzz: $(BIN)/.installed
	$(BIN)/python bench/fuzz_campaign.py $(FUZZ_ARGS)

clean:
	rm -rf $(VENV) demo_output build *.egg-info
