"""The trainer's rollout path end to end: OpenRLHF 0.11.2's own vLLM engine actors on a local Ray, on CPU.

What ``train_ppo_ray`` does for rollouts, with its own code: ``create_vllm_engines`` starts a
``RolloutRayActor`` (a real vLLM 0.29.0 engine, its CPU build, under Ray 2.55.0 with one declared GPU
resource), once with the agent file of ``pasmr agent-file`` (``--train.agent_func_path``) and once with the
reward file of ``pasmr reward-file`` (``--reward.remote_url``, the single-turn path);
``SamplesGenerator._dispatch_prompts_to_vllm`` sends the prompts and ``_process_response_into_experience``
turns the results into Experiences. The plugin reaches the actors as the recipes ship it: in the job's
runtime env from ``pasmr runtime-env --ship-dependencies`` (no package index needed), and the actor must
import it from Ray's runtime resources, not from this environment.

The model is the demo's tiny Qwen2 after its PAM SFT (seconds), so its responses keep the PAM format and the
agent asks for pivot answers.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

pytest.importorskip("openrlhf")

from real_engine import require_vllm  # noqa: E402

require_vllm()

import ray  # noqa: E402
from openrlhf.trainer.ray.vllm_engine import create_vllm_engines  # noqa: E402

from pasmr_plugin.cli import main as pasmr  # noqa: E402
from pasmr_plugin.openrlhf.logs import LOG_KEYS  # noqa: E402

GROUP, PIVOT_SAMPLES, MAX_LEN = 4, 4, 1024


@pytest.fixture(scope="module")
def pam_model(tmp_path_factory) -> Path:
    from pasmr_plugin.demo.evaluation import demo_data_dir
    from pasmr_plugin.demo.story import SFT_LANGS, train_demo_model
    from pasmr_plugin.demo.tiny_sft import exemplar_records

    return train_demo_model(exemplar_records(demo_data_dir(), SFT_LANGS), tmp_path_factory.mktemp("pam"))


@pytest.fixture(scope="module")
def rows():
    """Four RL prompts of ``pasmr data rl`` on the exemplar questions the model was tuned on."""
    from pasmr_plugin.demo.evaluation import demo_data_dir
    from pasmr_plugin.demo.story import SFT_LANGS
    from pasmr_plugin.demo.tiny_sft import exemplar_records
    from pasmr_plugin.openrlhf.data import build_rl

    return list(build_rl(exemplar_records(demo_data_dir(), SFT_LANGS)))[::2][:4]


@pytest.fixture(scope="module")
def local_ray(tmp_path_factory):
    """A local Ray with one declared GPU and the job runtime env of ``pasmr runtime-env --ship-dependencies
    --cpu-kv-cache-gib 1`` (vLLM's CPU default KV cache, half the memory here, takes 20 s to set up).

    Started from an empty folder: Ray puts the driver's working directory on its workers' ``sys.path``, and
    the repository's would hand them this checkout's ``pasmr_plugin`` instead of the shipped one.
    """
    import contextlib
    import io
    import os

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert pasmr(["runtime-env", "--ship-dependencies", "--cpu-kv-cache-gib", "1"]) == 0
    runtime_env = json.loads(out.getvalue())
    before = os.getcwd()
    os.chdir(tmp_path_factory.mktemp("driver"))
    try:
        ray.init(num_cpus=2, num_gpus=1, runtime_env=runtime_env, include_dashboard=False,
                 _temp_dir=str(tmp_path_factory.mktemp("ray")))
    finally:
        os.chdir(before)
    yield runtime_env
    ray.shutdown()


def start_engine(model: Path, **entry):
    [engine] = create_vllm_engines(
        num_engines=1, tensor_parallel_size=1, pretrain=str(model), seed=0, full_determinism=True,
        enable_prefix_caching=True, enforce_eager=True, max_model_len=MAX_LEN, gpu_memory_utilization=0.5, **entry,
    )
    return engine


def stop_engine(engine) -> None:
    """Kill the actor and free the placement group ``create_vllm_engines`` made for it (it holds the GPU)."""
    from ray.util.placement_group import PlacementGroup, placement_group_table, remove_placement_group

    ray.kill(engine)
    for group_id, group in placement_group_table().items():
        if group["state"] == "CREATED":
            remove_placement_group(PlacementGroup(ray.PlacementGroupID.from_hex(group_id)))


def rollout(engine, model: Path, rows: list[dict]):
    """OpenRLHF's SamplesGenerator dispatching the prompts (chat template applied) and building Experiences."""
    from openrlhf.trainer.ppo_utils.samples_generator import SamplesGenerator
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model)
    args = SimpleNamespace(algo=SimpleNamespace(advantage=SimpleNamespace(is_correction_level="off")),
                           rollout=SimpleNamespace(n_samples_per_prompt=GROUP))
    generator = SimpleNamespace(args=args, vllm_engines=[engine], tokenizer=tokenizer)
    prompts = [tokenizer.apply_chat_template([{"role": "user", "content": row["prompt"]}], tokenize=False,
                                             add_generation_prompt=True) for row in rows]
    kwargs = {"temperature": 1.0, "max_new_tokens": 160, "max_len": MAX_LEN}
    refs = SamplesGenerator._dispatch_prompts_to_vllm(generator, prompts, [row["label"] for row in rows], **kwargs)
    results = [result for group in ray.get(refs) for result in group]
    experiences = [SamplesGenerator._process_response_into_experience(None, result, **kwargs) for result in results]
    return results, experiences


def module_file(engine, module: str) -> str:
    """Where the actor's process imported ``module`` from."""
    return ray.get(engine.__ray_call__.remote(lambda actor, name=module: sys.modules[name].__file__))


def test_agent_file_episodes_in_openrlhfs_own_engine_actor(local_ray, pam_model, rows, tmp_path):
    agent_file = tmp_path / "pasmr_agent.py"
    assert pasmr(["agent-file", str(agent_file), "--pivot-samples", str(PIVOT_SAMPLES)]) == 0
    engine = start_engine(pam_model, agent_func_path=str(agent_file))
    try:
        results, experiences = rollout(engine, pam_model, rows)
        shipped = module_file(engine, "pasmr_plugin")
        py3langid = module_file(engine, "py3langid")
    finally:
        stop_engine(engine)
    assert len(results) == len(experiences) == GROUP * len(rows)
    import pasmr_plugin

    assert "runtime_resources" in shipped and Path(shipped) != Path(pasmr_plugin.__file__)
    assert "runtime_resources" in py3langid  # its dependencies travelled too
    for result, experience in zip(results, experiences):
        logs = result["extra_logs"]
        assert set(logs) == set(LOG_KEYS) and logs["errors"] == 0 and result["reward"] in (0.0, 1.0)
        assert experience.action_mask.sum().item() == result["action_ranges"][0][1] - result["action_ranges"][0][0]
        assert experience.info["reward"].item() == result["reward"]
    uncut_pam = [r for r in results if r["extra_logs"]["format_ok"] and not r["truncated"]]
    assert uncut_pam, "no episode kept the PAM format uncut"
    assert all(r["extra_logs"]["pivot_received"] == PIVOT_SAMPLES for r in uncut_pam)


def test_reward_file_episodes_in_openrlhfs_single_turn_path(local_ray, pam_model, rows, tmp_path):
    from pasmr_plugin.openrlhf.labels import label_with_pivot_answers, parse_label

    reward_file = tmp_path / "pasmr_reward.py"
    assert pasmr(["reward-file", str(reward_file)]) == 0
    labelled = [{**row, "label": label_with_pivot_answers(row["label"], [parse_label(row["label"]).gold] * 2)}
                for row in rows]
    engine = start_engine(pam_model, remote_rm_url=str(reward_file))
    try:
        results, experiences = rollout(engine, pam_model, labelled)
        shipped = module_file(engine, "pasmr_plugin")
    finally:
        stop_engine(engine)
    assert "runtime_resources" in shipped
    assert len(experiences) == GROUP * len(rows)
    rewards = [float(result["reward"]) for result in results]
    assert set(rewards) <= {0.0, 1.0} and 1.0 in rewards  # tuned on these questions: some answers agree
    for result, experience in zip(results, experiences):
        assert set(result["extra_logs"]) == set(LOG_KEYS)
        assert experience.info["reward"].item() == float(result["reward"])
