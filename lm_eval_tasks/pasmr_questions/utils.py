"""The functions the template here names with ``!function utils.…``; they live in :mod:`pasmr_plugin.evaluation.tasks`."""

from pasmr_plugin.evaluation.tasks import (  # noqa: F401 (re-exported for the YAMLs)
    cot_doc_to_text,
    load_questions,
    pam_doc_to_text,
    process_cot_results,
    process_pam_results,
)
