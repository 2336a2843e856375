"""lm-eval task folders of pasmr-plugin (installed as ``pasmr_plugin.lm_eval_tasks``); see ``pasmr tasks-path``."""
