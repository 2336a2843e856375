"""lm-evaluation-harness adapters: task helpers, ``pasmr-eval`` and ``pasmr report``."""
