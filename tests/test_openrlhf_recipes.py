"""Every recipe runs (with the launchers recorded instead of started) and its flags parse with OpenRLHF's own parser.

`deepspeed`, `ray` and `python3` are replaced by a recorder on PATH; `pasmr` is the real command,
so the agent and reward files a recipe writes are real too. Each recorded OpenRLHF command is
parsed by the `if __name__ == "__main__"` block of the real `openrlhf.cli` module, validation
included.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("openrlhf")

from openrlhf_fixtures import OPENRLHF_CLI, parse_openrlhf_flags  # noqa: E402

from pasmr_plugin.demo.openrlhf_runtime import load_agent_executor  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RECIPES = ROOT / "recipes"
RECORDER = """#!/bin/bash
printf '%s\\0' "$(basename "$0")" "$@" > "$(mktemp "$RECORD_DIR/call.XXXXXX")"
"""

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="recipes are bash scripts")


def run_recipe(tmp_path, recipe, args=(), **env):
    """Run ``recipe`` with recording launchers; returns the recorded calls (program name, then its arguments)."""
    bin_dir, records = tmp_path / "bin", tmp_path / "records"
    bin_dir.mkdir()
    records.mkdir()
    for program in ("deepspeed", "ray", "python3", "python"):
        (bin_dir / program).write_text(RECORDER)
        (bin_dir / program).chmod(0o755)
    (bin_dir / "pasmr").write_text(f'#!/bin/bash\nexec "{sys.executable}" -m pasmr_plugin.cli "$@"\n')
    (bin_dir / "pasmr").chmod(0o755)
    environment = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "RECORD_DIR": str(records),
        "SAVE_PATH": str(tmp_path / "save"),
        **env,
    }
    command = ["bash", str(RECIPES / recipe), *args]
    done = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return [path.read_text().split("\0")[:-1] for path in records.iterdir()]


def openrlhf_command(calls):
    """The one recorded OpenRLHF command: (module, flags, the launcher's own arguments)."""
    found = []
    for call in calls:
        for index, word in enumerate(call[:-1]):
            if word in ("-m", "--module") and call[index + 1] in OPENRLHF_CLI:
                found.append((call[index + 1], call[index + 2 :], call[:index]))
    assert len(found) == 1, calls
    return found[0]


def runtime_env(launcher_args):
    [value] = [arg.split("=", 1)[1] for arg in launcher_args if arg.startswith("--runtime-env-json=")]
    return json.loads(value)


def check_sft(tmp_path, args, launcher, env):
    assert launcher[:3] == ["deepspeed", "--num_gpus", "8"]
    assert (args.data.input_key, args.data.output_key, args.data.apply_chat_template) == ("input", "output", True)
    assert args.ckpt.output_dir == str(tmp_path / "save")


def check_agent(tmp_path, args, launcher, env):
    assert args.algo.advantage.estimator == env.get("ADVANTAGE_ESTIMATOR", "reinforce_baseline")
    assert (args.data.input_key, args.data.label_key, args.data.apply_chat_template) == ("prompt", "label", True)
    assert args.reward.remote_url == ["agent"]  # what OpenRLHF sets when an agent is given
    executor = load_agent_executor(args.train.agent_func_path)
    assert executor.config.pivot_samples == 4
    nodes = int(env.get("NUM_NODES", 1))
    assert (args.actor.num_nodes, args.ref.num_nodes, args.vllm.num_engines) == (nodes, nodes, 8 * nodes)
    assert Path(runtime_env(launcher)["py_modules"][0]) == ROOT / "pasmr_plugin"


def check_grpo(tmp_path, args, launcher, env):
    check_agent(tmp_path, args, launcher, {"ADVANTAGE_ESTIMATOR": "group_norm"})
    assert args.algo.kl.estimator == "k3"
    assert args.algo.dynamic_filtering_enable and tuple(args.algo.dynamic_filtering_range) == (0.0, 1.0)


def check_offline(tmp_path, args, launcher, env):
    assert args.train.agent_func_path is None
    [reward_file] = args.reward.remote_url
    assert reward_file.endswith("pasmr_reward.py") and Path(reward_file).is_file()
    assert args.data.prompt_dataset.endswith("pasmr_rl_pivot_labels.jsonl")


RUNS = {
    # id: (recipe, environment, module, check)
    "stage 1 PAM SFT": ("train_pam_sft.sh", {}, "openrlhf.cli.train_sft", check_sft),
    "stage 2 agent, REINFORCE++": ("train_srl_agent.sh", {}, "openrlhf.cli.train_ppo_ray", check_agent),
    "stage 2 agent, GRPO": ("train_srl_agent_grpo.sh", {}, "openrlhf.cli.train_ppo_ray", check_grpo),
    "stage 2 offline labels": ("train_srl_offline_labels.sh", {}, "openrlhf.cli.train_ppo_ray", check_offline),
    "stage 2 agent, two nodes": ("train_srl_agent.sh", {"NUM_NODES": "2"}, "openrlhf.cli.train_ppo_ray", check_agent),
}


@pytest.mark.parametrize("recipe,env,module,check", RUNS.values(), ids=RUNS.keys())
def test_recipe_flags_parse_with_openrlhfs_own_parser(tmp_path, recipe, env, module, check):
    found_module, flags, launcher = openrlhf_command(run_recipe(tmp_path, recipe, **env))
    assert found_module == module
    args = parse_openrlhf_flags(module, flags)
    check(tmp_path, args, launcher, env)


def test_every_recipe_is_run_by_the_flag_test():
    assert {path.name for path in RECIPES.glob("*.sh")} == {recipe for recipe, *_ in RUNS.values()}


def test_extra_arguments_reach_the_training_command(tmp_path):
    module, flags, _ = openrlhf_command(run_recipe(tmp_path, "train_srl_agent.sh", args=["--eval.steps", "5"]))
    assert parse_openrlhf_flags(module, flags).eval.steps == 5


def test_a_custom_runtime_environment_is_passed_unchanged(tmp_path):
    custom = '{"pip": ["pasmr-plugin==0.1.0"]}'
    _, _, launcher = openrlhf_command(run_recipe(tmp_path, "train_srl_agent.sh", RUNTIME_ENV=custom))
    assert runtime_env(launcher) == {"pip": ["pasmr-plugin==0.1.0"]}


@pytest.mark.parametrize("recipe", sorted(path.name for path in RECIPES.glob("*.sh")))
def test_recipes_follow_openrlhfs_recipe_style(recipe):
    text = (RECIPES / recipe).read_text()
    assert text.startswith("#!/bin/bash\n# PASMR")
    assert "https://arxiv.org/abs/2601.17671" in text and "\nset -x\n" in text
    variant = 'exec "${SCRIPT_DIR}/' in text  # a variant sets variables and runs another recipe
    assert variant or re.search(r"^[A-Z_]+_ARGS=\($", text, re.MULTILINE)  # flags grouped in bash arrays
    assert "\n# Key flags" in text  # a closing comment on the key flags
