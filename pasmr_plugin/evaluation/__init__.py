"""lm-evaluation-harness adapter: the tasks' Python, ``pasmr-eval`` and ``pasmr report``.

- :mod:`.tasks`: data loading, prompts and grading behind the task YAMLs (``!function``);
- :mod:`.task_files`: writes the task YAMLs from the language table;
- :mod:`.metrics`, :mod:`.report`: the numbers of ``pasmr report`` and their Markdown and plots;
- :mod:`.cli`: ``pasmr-eval``; :mod:`.commands`: ``pasmr tasks-path`` and ``pasmr report``.

:func:`tasks_dir` is the folder to give lm-eval: ``lm_eval --include_path "$(pasmr tasks-path)"``
or ``TaskManager(include_path=str(tasks_dir()))``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

TASKS_PACKAGE = "pasmr_plugin.lm_eval_tasks"


def tasks_dir() -> Path:
    """The folder holding the ``pasmr_mgsm``, ``pasmr_msvamp`` and ``pasmr_polymath`` task folders.

    In a source checkout (editable install, or ``PYTHONPATH``) it is the checkout's top-level
    ``lm_eval_tasks/`` folder, next to the package imported: another checkout's editable install
    never lends its folder. Installed from a wheel it is the package ``pasmr_plugin.lm_eval_tasks``.
    """
    checkout = Path(__file__).resolve().parents[2] / "lm_eval_tasks"
    if checkout.is_dir():
        return checkout
    try:
        return Path(str(resources.files(TASKS_PACKAGE)))
    except ModuleNotFoundError:
        return checkout
