"""The plugin's own dependencies: declared once, shipped to Ray nodes, and loud when missing there."""

import json
import sys
import tomllib
from pathlib import Path

import pytest

from pasmr_plugin.cli import main as pasmr
from pasmr_plugin.dependencies import RUNTIME_REQUIREMENTS, MissingDependencyError, missing_dependencies

REPO = Path(__file__).resolve().parents[1]


def test_runtime_requirements_are_the_packages_declared_dependencies():
    declared = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert sorted(RUNTIME_REQUIREMENTS.values()) == sorted(declared)


def test_runtime_env_ships_the_plugin_and_has_nodes_install_its_dependencies(capsys):
    assert pasmr(["runtime-env"]) == 0
    env = json.loads(capsys.readouterr().out)
    assert env["py_modules"] == [str(REPO / "pasmr_plugin")]
    assert env["pip"] == list(RUNTIME_REQUIREMENTS.values())


def test_runtime_env_can_ship_the_installed_dependencies_for_nodes_without_an_index(capsys):
    assert pasmr(["runtime-env", "--ship-dependencies"]) == 0
    env = json.loads(capsys.readouterr().out)
    assert "pip" not in env
    shipped = [Path(path) for path in env["py_modules"]]
    assert shipped[0] == REPO / "pasmr_plugin"
    assert {path.name for path in shipped[1:]} == set(RUNTIME_REQUIREMENTS)
    assert all((path / "__init__.py").is_file() for path in shipped)


@pytest.fixture
def without_py3langid(monkeypatch):
    for name in list(sys.modules):
        if name == "py3langid" or name.startswith("py3langid."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "py3langid", None)  # import py3langid now raises ImportError
    assert missing_dependencies() == [RUNTIME_REQUIREMENTS["py3langid"]]


def test_an_agent_file_fails_to_load_with_one_line_naming_the_missing_dependency(tmp_path, without_py3langid):
    pytest.importorskip("openrlhf")
    from pasmr_plugin.demo.openrlhf_runtime import load_agent_executor
    from pasmr_plugin.openrlhf.entry_files import write_agent_file

    path = write_agent_file(tmp_path / "pasmr_agent.py")
    with pytest.raises(MissingDependencyError) as error:
        load_agent_executor(path)  # OpenRLHF's _load_agent_executor, as the vLLM engine runs it at start-up
    message = str(error.value)
    assert "\n" not in message and "pip install 'py3langid>=0.2.2'" in message


def test_a_reward_file_fails_to_load_with_one_line_naming_the_missing_dependency(tmp_path, without_py3langid):
    pytest.importorskip("openrlhf")
    from openrlhf.utils.agent import SingleTurnAgentExecutor

    from pasmr_plugin.openrlhf.entry_files import write_reward_file

    path = write_reward_file(tmp_path / "pasmr_reward.py")
    with pytest.raises(MissingDependencyError, match="the PASMR reward needs py3langid>=0.2.2"):
        SingleTurnAgentExecutor(remote_rm_url=str(path))
