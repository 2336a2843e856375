"""OpenRLHF 0.11.2 adapters: the SRL agent, the single-turn reward, dataset builders."""
