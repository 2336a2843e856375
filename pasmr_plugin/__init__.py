"""pasmr-plugin: PASMR (pivot-aligned self-feedback multilingual math reasoning) as a plugin.

The framework-free core: :mod:`pasmr_plugin.languages` (the language table),
:mod:`pasmr_plugin.answers` (extraction and grading), :mod:`pasmr_plugin.prompts` (the PAM
format), :mod:`pasmr_plugin.langid` and :mod:`pasmr_plugin.reward`. Adapters for OpenRLHF
(:mod:`pasmr_plugin.openrlhf`) and lm-evaluation-harness (:mod:`pasmr_plugin.evaluation`)
are thin layers on top.
"""

__version__ = "0.1.0"
