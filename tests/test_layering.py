"""The package's layers, read from its import statements: the core imports no adapter, nothing imports the demo.

Layers: the framework-free core (modules at the package root), the adapters (``openrlhf``,
``evaluation``) and the demo. ``cli`` is the composition root: it registers every layer's
``commands`` module by name (``COMMAND_MODULES``) and imports none of them statically.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "pasmr_plugin"
ADAPTERS = ("openrlhf", "evaluation")
DEMO = "demo"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every ``pasmr_plugin`` module ``path`` imports, relative imports resolved, lazy imports included."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return {name for name in found if name == "pasmr_plugin" or name.startswith("pasmr_plugin.")}


def _layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in (*ADAPTERS, DEMO, "lm_eval_tasks"):
        return parts[1]
    return "core"


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", [p for p in MODULES if _layer(_module_name(p)) == "core"], ids=lambda p: p.name)
def test_core_modules_import_no_adapter_and_no_demo(path):
    imported = {_layer(name) for name in _imports(path)}
    assert imported <= {"core"}, f"{_module_name(path)} imports {sorted(_imports(path))}"


@pytest.mark.parametrize("path", [p for p in MODULES if _layer(_module_name(p)) != DEMO], ids=lambda p: str(p.relative_to(PACKAGE)))
def test_nothing_outside_the_demo_imports_the_demo(path):
    demo_imports = sorted(name for name in _imports(path) if _layer(name) == DEMO)
    assert not demo_imports, f"{_module_name(path)} imports {demo_imports}"


@pytest.mark.parametrize("adapter", ADAPTERS)
def test_adapters_do_not_import_each_other(adapter):
    other = next(name for name in ADAPTERS if name != adapter)
    for path in (PACKAGE / adapter).rglob("*.py"):
        assert not any(_layer(name) == other for name in _imports(path)), _module_name(path)


def test_the_reader_sees_relative_and_lazy_imports():
    imports = _imports(PACKAGE / "demo" / "story.py")
    assert {"pasmr_plugin.reward", "pasmr_plugin.demo.episodes", "pasmr_plugin.openrlhf.records"} <= imports


def test_every_layer_registers_its_subcommands_through_the_cli():
    from pasmr_plugin.cli import COMMAND_MODULES, build_parser

    assert COMMAND_MODULES == (
        "pasmr_plugin.commands",
        "pasmr_plugin.openrlhf.commands",
        "pasmr_plugin.evaluation.commands",
        "pasmr_plugin.demo.commands",
    )
    commands = build_parser()._subparsers._group_actions[0].choices
    assert {"extract", "agent-file", "reward-file", "data", "tasks-path", "report", "demo"} <= set(commands)
