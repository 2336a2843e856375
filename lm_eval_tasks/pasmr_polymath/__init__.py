"""The pasmr_polymath and pasmr_polymath_cot tasks (YAML; the Python lives in ``pasmr_plugin.evaluation.tasks``)."""
