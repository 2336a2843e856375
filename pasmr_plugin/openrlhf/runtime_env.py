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


CPU_KV_CACHE_ENV = "VLLM_CPU_KVCACHE_SPACE"
"""vLLM's CPU backend sizes its KV cache from this (GiB). Unset, it takes ``gpu_memory_utilization`` of the
node's memory (11 GiB of 24 at OpenRLHF's 0.5), which takes about 20 s to set up at every engine start; GPU
engines ignore it."""


def runtime_env(*, ship_dependencies: bool = False, cpu_kv_cache_gib: int | None = None) -> dict:
    """The ``--runtime-env-json`` of ``ray job submit``: the plugin, and its dependencies or how to get them;
    with ``cpu_kv_cache_gib``, the KV cache size of vLLM engines on CPU nodes (:data:`CPU_KV_CACHE_ENV`).

    >>> runtime_env(cpu_kv_cache_gib=2)["env_vars"]
    {'VLLM_CPU_KVCACHE_SPACE': '2'}
    """
    plugin = str(Path(__file__).resolve().parents[1])
    if ship_dependencies:
        env = {"py_modules": [plugin, *(_package_dir(module) for module in RUNTIME_REQUIREMENTS)]}
    else:
        env = {"py_modules": [plugin], "pip": list(RUNTIME_REQUIREMENTS.values())}
    if cpu_kv_cache_gib is not None:
        env["env_vars"] = {CPU_KV_CACHE_ENV: str(cpu_kv_cache_gib)}
    return env
