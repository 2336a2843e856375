"""The pasmr_msvamp tasks (YAML; the Python lives in ``pasmr_plugin.evaluation.tasks``)."""
