"""OpenRLHF 0.11.2 adapters: the SRL agent, the single-turn reward, dataset builders.

- :mod:`.agent`: ``PasmrAgentExecutor``, one PASMR episode per ``execute`` call
  (``pasmr agent-file`` writes the file for ``--train.agent_func_path``);
- :mod:`.reward_func`: ``PasmrRewardFunc``, the single-turn reward over offline pivot answers
  (``pasmr reward-file`` writes the file for ``--reward.remote_url``);
- :mod:`.data`: the ``pasmr data sft|rl|pivot-labels`` builders;
- :mod:`.config`, :mod:`.files`, :mod:`.scoring`: settings, generated files, shared logging;
- :mod:`.harness`, :mod:`.engines`, :mod:`.demo`: OpenRLHF's own code paths and vLLM-shaped
  engines on CPU, for the tests, the benchmark and the demo.

Nothing here imports OpenRLHF, torch or vLLM until it is used.
"""
