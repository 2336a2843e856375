"""The functions the YAMLs here name with ``!function utils.…``; they live in :mod:`pasmr_plugin.evaluation.tasks`."""

from pasmr_plugin.evaluation.tasks import (  # noqa: F401 (re-exported for the YAMLs)
    cot_doc_to_text,
    cot_exemplar_target,
    load_mgsm,
    pam_doc_to_text,
    pam_exemplar_target,
    process_cot_results,
    process_pam_results,
)
