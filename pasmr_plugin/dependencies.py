"""What pasmr-plugin needs installed wherever it runs, and a loud check for it.

The agent and reward files run inside OpenRLHF's vLLM engines and reward workers, on every Ray
node. A dependency missing there used to fail every episode quietly (reward 0, ``errors`` 1);
:func:`require_dependencies` fails the engine's start instead, with one line naming what to
install. :data:`RUNTIME_REQUIREMENTS` is ``[project] dependencies`` of ``pyproject.toml`` (a test
keeps them equal); ``pasmr runtime-env`` ships them to Ray nodes.

>>> missing_dependencies()
[]
"""

from __future__ import annotations

import importlib

RUNTIME_REQUIREMENTS = {
    # import name: pip requirement (the package's own [project] dependencies)
    "py3langid": "py3langid>=0.2.2",  # language identification of translations and reasoning
    "yaml": "pyyaml>=5.1",  # language packs
}


class MissingDependencyError(ImportError):
    """A dependency of pasmr-plugin is not importable here; the message says what to install."""


def missing_dependencies() -> list[str]:
    """The pip requirements of :data:`RUNTIME_REQUIREMENTS` whose module does not import here."""
    missing = []
    for module, requirement in RUNTIME_REQUIREMENTS.items():
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append(requirement)
    return missing


def require_dependencies(what: str) -> None:
    """Raise :class:`MissingDependencyError` (one line) when a dependency is missing; ``what`` names the caller."""
    missing = missing_dependencies()
    if missing:
        raise MissingDependencyError(
            f"{what} needs {', '.join(missing)}, not installed on this node: pip install "
            + " ".join(f"'{requirement}'" for requirement in missing)
            + " (or ship them with the Ray job: pasmr runtime-env, see recipes/README.md)"
        )
