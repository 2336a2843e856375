"""The functions the YAMLs here name with ``!function utils.…``; they live in :mod:`pasmr_plugin.evaluation.tasks`."""

from pasmr_plugin.evaluation.tasks import (  # noqa: F401 (re-exported for the YAMLs)
    load_msvamp,
    pam_doc_to_text,
    pam_exemplar_target,
    process_pam_results,
)
