"""The functions the YAMLs here name with ``!function utils.…``; they live in :mod:`pasmr_plugin.evaluation.tasks`."""

from pasmr_plugin.evaluation.tasks import (  # noqa: F401 (re-exported for the YAMLs)
    load_polymath,
    polymath_cot_doc_to_text,
    polymath_pam_doc_to_text,
    process_cot_results,
    process_pam_results,
)
