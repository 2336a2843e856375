"""OpenRLHF's own code paths without a cluster: agent loading, a prompt's group of samples, the prompt dataset.

``openrlhf.trainer.ray.vllm_engine`` (home of ``_load_agent_executor`` and of
``RolloutRayActor.generate_responses``) imports Ray and vLLM at the top.
:func:`vllm_engine_module` imports it with minimal stand-ins for whichever of the two is not
installed, then takes the stand-ins out of ``sys.modules`` again, so code that later asks
whether vLLM is installed gets the true answer. Used by the tests and the demo.

>>> executor = load_agent_executor("pasmr_agent.py")  # doctest: +SKIP
>>> group = generate_responses(executor, engine, prompt, label, params, 1024, tokenizer, 4)  # doctest: +SKIP
>>> results = asyncio.run(group)  # doctest: +SKIP
"""

from __future__ import annotations

import enum
import importlib
import importlib.util
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType, SimpleNamespace

VLLM_ENGINE_MODULE = "openrlhf.trainer.ray.vllm_engine"


class RequestOutputKind(enum.Enum):
    """vLLM's ``RequestOutputKind``: what the stream of a request yields (used when vLLM is missing)."""

    CUMULATIVE = 0
    DELTA = 1
    FINAL_ONLY = 2


@dataclass
class StandInSamplingParams:
    """The fields of vLLM's ``SamplingParams`` that OpenRLHF and the agent set (used when vLLM is missing)."""

    n: int = 1
    temperature: float = 1.0
    top_p: float = 1.0
    top_k: int = -1
    max_tokens: int | None = 16
    min_tokens: int = 0
    skip_special_tokens: bool = True
    logprobs: int | None = None
    output_kind: RequestOutputKind = RequestOutputKind.CUMULATIVE


try:  # the real one wherever vLLM is installed: the serving code checks and clones it
    from vllm import SamplingParams
except ImportError:
    SamplingParams = StandInSamplingParams


def _module(name: str, **attributes) -> ModuleType:
    module = ModuleType(name)
    module.__dict__.update(attributes)
    return module


def _placement_group(*args, **kwargs):
    raise RuntimeError("Ray is stubbed: placement groups are not available")


def _ray_modules() -> dict[str, ModuleType]:
    return {
        "ray": _module("ray", remote=lambda cls: cls, get=lambda refs: refs, is_initialized=lambda: False),
        "ray.util": _module("ray.util"),
        "ray.util.placement_group": _module("ray.util.placement_group", placement_group=_placement_group),
        "ray.util.scheduling_strategies": _module(
            "ray.util.scheduling_strategies", PlacementGroupSchedulingStrategy=dict
        ),
    }


def _vllm_modules() -> dict[str, ModuleType]:
    return {
        "vllm": _module("vllm", __version__="0.0.0+stub", SamplingParams=StandInSamplingParams),
        "vllm.inputs": _module("vllm.inputs", TokensPrompt=dict),
        "vllm.utils": _module("vllm.utils", random_uuid=lambda: uuid.uuid4().hex),
    }


def is_installed(package: str) -> bool:
    """Whether ``package`` can be imported for real (a stand-in in ``sys.modules`` does not count)."""
    module = sys.modules.get(package)
    if module is not None:
        return getattr(module, "__spec__", None) is not None
    return importlib.util.find_spec(package) is not None


@contextmanager
def stand_ins() -> Iterator[list[str]]:
    """Put stand-ins for Ray and vLLM into ``sys.modules`` where they are not installed; yields their names."""
    modules = {}
    for package, build in (("ray", _ray_modules), ("vllm", _vllm_modules)):
        if not is_installed(package):
            modules.update(build())
    saved = {name: sys.modules[name] for name in modules if name in sys.modules}
    sys.modules.update(modules)
    try:
        yield sorted(modules)
    finally:
        for name in modules:
            sys.modules.pop(name, None)
        sys.modules.update(saved)


def import_with_stand_ins(name: str) -> ModuleType:
    """The module ``name`` (an OpenRLHF module that imports Ray or vLLM), imported once with stand-ins."""
    if name in sys.modules:
        return sys.modules[name]
    with stand_ins():
        return importlib.import_module(name)


def vllm_engine_module() -> ModuleType:
    """``openrlhf.trainer.ray.vllm_engine``: ``_load_agent_executor`` and ``RolloutRayActor``."""
    return import_with_stand_ins(VLLM_ENGINE_MODULE)


def rollout_actor_class() -> type:
    """OpenRLHF's ``RolloutRayActor`` as a plain class: with Ray installed the module holds Ray's actor
    wrapper (``@ray.remote``), whose ``__ray_actor_class__`` is the class OpenRLHF wrote."""
    actor = vllm_engine_module().RolloutRayActor
    return getattr(actor, "__ray_actor_class__", actor)


def load_agent_executor(path: str | Path):
    """The ``AgentExecutor()`` of an agent file, built by OpenRLHF's own ``_load_agent_executor``."""
    return vllm_engine_module()._load_agent_executor(str(path))


async def generate_responses(executor, engine, prompt, label, sampling_params, max_length, tokenizer, num_samples):
    """The ``num_samples`` episodes of one prompt, run by OpenRLHF's own ``RolloutRayActor.generate_responses``.

    That method gathers the episodes concurrently on one executor and passes the actor itself
    as ``llm_engine``; here the actor is a namespace whose ``generate`` is ``engine.generate``.
    """
    actor = SimpleNamespace(executor=executor, generate=engine.generate)
    return await rollout_actor_class().generate_responses(
        actor,
        prompt=prompt,
        label=label,
        sampling_params=sampling_params,
        max_length=max_length,
        hf_tokenizer=tokenizer,
        num_samples=num_samples,
    )


def prompt_dataset(path: str | Path, tokenizer, *, input_key: str = "prompt", label_key: str = "label"):
    """OpenRLHF's ``PromptDataset`` over a prompt file, loaded by its own ``blending_datasets`` as
    ``train_ppo_ray`` does with ``--data.prompt_dataset PATH --data.apply_chat_template``."""
    from openrlhf.datasets import PromptDataset
    from openrlhf.datasets.utils import blending_datasets

    data_args = SimpleNamespace(input_key=input_key, label_key=label_key, apply_chat_template=True, image_key="images")
    strategy = SimpleNamespace(
        args=SimpleNamespace(data=data_args, use_ms=False), print=lambda *args: None, is_rank_0=lambda: False
    )
    return PromptDataset(blending_datasets(str(path), strategy=strategy), tokenizer, strategy)
