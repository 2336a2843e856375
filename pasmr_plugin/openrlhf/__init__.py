"""OpenRLHF 0.11.2 adapter: the SRL agent, the single-turn reward, labels and dataset builders.

- :mod:`.agent`: ``PasmrAgentExecutor``, one PASMR episode per ``execute`` call
  (``pasmr agent-file`` writes the file for ``--train.agent_func_path``);
- :mod:`.reward_func`: ``PasmrRewardFunc``, the single-turn reward over offline pivot answers
  (``pasmr reward-file`` writes the file for ``--reward.remote_url``);
- :mod:`.labels`: the JSON label each RL prompt carries;
- :mod:`.data`, :mod:`.records`: the ``pasmr data sft|rl|pivot-labels`` builders and their JSONL I/O;
- :mod:`.config`, :mod:`.entry_files`: settings, and the agent and reward files written from them;
- :mod:`.logs`, :mod:`.chat`: the logged numbers, and the chat text shared by agent and reward;
- :mod:`.commands`: the subcommands above.

Nothing here imports OpenRLHF, torch or vLLM until it is used.
"""
