"""The offline demo and what it runs on: nothing outside this subpackage imports it.

- :mod:`.story`: ``pasmr demo``, the three-part walk-through (reward table, PAM SFT and SRL
  episodes of a tiny model, evaluation and report);
- :mod:`.tiny_model`, :mod:`.tiny_sft`: a tiny random Qwen2 with a BPE trained on the demo texts,
  and its PAM fine-tuning in plain PyTorch;
- :mod:`.openrlhf_runtime`: OpenRLHF's own prompt dataset and agent loading, run on CPU;
- :mod:`.episodes`, :mod:`.evaluation`: the demo's SRL episodes (on a real vLLM engine) and its
  ``pasmr-eval`` run.

Tests and benchmarks may import it; the package never does (``tests/test_layering.py``).
"""
