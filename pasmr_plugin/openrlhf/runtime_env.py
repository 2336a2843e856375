"""The Ray runtime environment that ships pasmr-plugin and its dependencies to every node of a job.

OpenRLHF loads the agent and reward files inside its vLLM engines and reward workers, on
whichever node Ray places them: the plugin and what it imports must be there. Two ways:

- default: the package folder travels as a ``py_modules`` entry and the nodes install its
  dependencies (:data:`~pasmr_plugin.dependencies.RUNTIME_REQUIREMENTS`) from their package
  index (``pip``);
- ``ship_dependencies``: for nodes without a package index, the dependencies' installed
  package folders on the submitting machine travel as ``py_modules`` too (same Python version
  and platform on the nodes, as Ray requires of a job anyway).

>>> sorted(runtime_env())
['pip', 'py_modules']
"""

from __future__ import annotations

import importlib
from pathlib import Path

from ..dependencies import RUNTIME_REQUIREMENTS, MissingDependencyError


def _package_dir(module: str) -> str:
    try:
        imported = importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(
            f"cannot ship {RUNTIME_REQUIREMENTS[module]}: not installed here (pip install "
            f"'{RUNTIME_REQUIREMENTS[module]}')"
        ) from None
    return str(Path(imported.__file__).resolve().parent)


def runtime_env(*, ship_dependencies: bool = False) -> dict:
    """The ``--runtime-env-json`` of ``ray job submit``: the plugin, and its dependencies or how to get them."""
    plugin = str(Path(__file__).resolve().parents[1])
    if ship_dependencies:
        return {"py_modules": [plugin, *(_package_dir(module) for module in RUNTIME_REQUIREMENTS)]}
    return {"py_modules": [plugin], "pip": list(RUNTIME_REQUIREMENTS.values())}
