"""The pasmr_mgsm and pasmr_mgsm_cot tasks (YAML; the Python lives in ``pasmr_plugin.evaluation.tasks``)."""
