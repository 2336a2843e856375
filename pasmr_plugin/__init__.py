"""pasmr-plugin: PASMR (pivot-aligned self-feedback multilingual math reasoning) as a plugin.

The framework-free core sits at the package root: :mod:`~pasmr_plugin.languages` (the language
table), :mod:`~pasmr_plugin.numbers`, :mod:`~pasmr_plugin.extraction` and
:mod:`~pasmr_plugin.grading` (behind the public :mod:`~pasmr_plugin.answers`),
:mod:`~pasmr_plugin.prompts` (the PAM format), :mod:`~pasmr_plugin.langid`,
:mod:`~pasmr_plugin.reward` and :mod:`~pasmr_plugin.benchmarks`. The adapters for OpenRLHF
(:mod:`pasmr_plugin.openrlhf`) and lm-evaluation-harness (:mod:`pasmr_plugin.evaluation`) are thin
layers on top; :mod:`pasmr_plugin.demo` is the offline demo, which nothing else imports.
"""

__version__ = "0.1.0"
