#!/bin/bash
# PASMR stage 2: self-feedback RL (SRL) with OpenRLHF 0.11.2 (unmodified), REINFORCE++-baseline.
# Paper: PASMR, https://arxiv.org/abs/2601.17671
# Key techniques: the PASMR agent (`pasmr agent-file`) runs each episode inside the vLLM engines:
# the policy answers a target-language question (translation first), answers its own translation
# K times in the pivot language (not trained), and is rewarded 1 when its answer agrees with the
# pivot majority. No gold answers and no reward model. Hybrid engine: actor, reference and vLLM
# share the GPUs.
#
# Before running: start Ray (`ray start --head --num-gpus 8`) and build the prompts:
#   pasmr data rl questions.jsonl "${RL_DATA}"                          # target-language questions, no answers
#   pasmr data rl ../shared/data "${EVAL_DATA}" --benchmark mgsm --split eval   # scored by gold: pass1 = accuracy
# Variants: train_srl_agent_grpo.sh (GRPO), train_srl_offline_labels.sh (offline pivot answers),
# NUM_NODES=2 for several nodes (see recipes/README.md). Extra arguments are appended to the
# train_ppo_ray command.

set -x

SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"
WORK_DIR="${WORK_DIR:-$(cd "${SCRIPT_DIR}/.." && pwd)}"

SFT_MODEL="${SFT_MODEL:-${WORK_DIR}/checkpoints/pasmr-7b-pam-sft}"
RL_DATA="${RL_DATA:-${WORK_DIR}/data/pasmr_rl.jsonl}"
EVAL_DATA="${EVAL_DATA:-${WORK_DIR}/data/mgsm_eval.jsonl}"
SAVE_PATH="${SAVE_PATH:-${WORK_DIR}/checkpoints/pasmr-7b-srl}"
NUM_NODES="${NUM_NODES:-1}"
NUM_GPUS="${NUM_GPUS:-8}"
RAY_ADDRESS="${RAY_ADDRESS:-http://127.0.0.1:8265}"
SHIP_DEPENDENCIES="${SHIP_DEPENDENCIES:-0}"  # 1: nodes without a package index get the installed dependencies
if [[ -z "${RUNTIME_ENV:-}" ]]; then  # the plugin and its dependencies (py3langid, ...) on every node
   if [[ "${SHIP_DEPENDENCIES}" == "1" ]]; then
      RUNTIME_ENV="$(pasmr runtime-env --ship-dependencies)" || exit 1
   else
      RUNTIME_ENV="$(pasmr runtime-env)" || exit 1
   fi
fi

REWARD_SOURCE="${REWARD_SOURCE:-agent}"  # agent | offline (pivot answers stored in the labels)
PIVOT_SAMPLES="${PIVOT_SAMPLES:-4}"
ADVANTAGE_ESTIMATOR="${ADVANTAGE_ESTIMATOR:-reinforce_baseline}"
KL_ESTIMATOR="${KL_ESTIMATOR:-k2}"

PASMR_ARGS=(
   --pivot en
   --agreement 0.5
   # --use-gold   # only for old labels without a split: `pasmr data rl --split eval` rows are scored by gold anyway
)

PIVOT_ARGS=(
   --pivot-samples "${PIVOT_SAMPLES}"
   --pivot-temperature 0.7
)

mkdir -p "${SAVE_PATH}"
if [[ "${REWARD_SOURCE}" == "offline" ]]; then
   pasmr reward-file "${SAVE_PATH}/pasmr_reward.py" "${PASMR_ARGS[@]}"
   REWARD_ARGS=(--reward.remote_url "${SAVE_PATH}/pasmr_reward.py")
else
   pasmr agent-file "${SAVE_PATH}/pasmr_agent.py" "${PASMR_ARGS[@]}" "${PIVOT_ARGS[@]}"
   REWARD_ARGS=(--train.agent_func_path "${SAVE_PATH}/pasmr_agent.py")
fi

ENGINE_ARGS=(
   --ref.num_nodes "${NUM_NODES}"
   --ref.num_gpus_per_node "${NUM_GPUS}"
   --actor.num_nodes "${NUM_NODES}"
   --actor.num_gpus_per_node "${NUM_GPUS}"
   --vllm.num_engines $((NUM_NODES * NUM_GPUS))
   --vllm.tensor_parallel_size 1
   --vllm.gpu_memory_utilization 0.6
   --vllm.enable_prefix_caching
   --vllm.enable_sleep
   --ds.enable_sleep
   --train.colocate_all
)

MODEL_ARGS=(
   --actor.model_name_or_path "${SFT_MODEL}"
   --actor.gradient_checkpointing_enable
   --ds.zero_stage 3
   --ds.param_dtype bf16
   --ds.attn_implementation flash_attention_2
   --ds.packing_samples
)

ROLLOUT_ARGS=(
   --data.prompt_dataset "${RL_DATA}"
   --data.input_key prompt
   --data.label_key label
   --data.apply_chat_template
   --data.max_len 3072
   --data.max_samples 100000
   --rollout.max_new_tokens 1024
   --rollout.batch_size 128
   --rollout.n_samples_per_prompt 8
   --rollout.micro_batch_size 8
   --rollout.temperature 1.0
)

ALGO_ARGS=(
   --algo.advantage.estimator "${ADVANTAGE_ESTIMATOR}"
   --algo.kl.init_coef 1e-4
   --algo.kl.use_loss
   --algo.kl.estimator "${KL_ESTIMATOR}"
   --actor.adam.lr 5e-7
   --train.batch_size 256
   --train.micro_batch_size 4
   --train.max_epochs 1
   --train.num_episodes 1
)

EVAL_ARGS=(
   --eval.dataset "${EVAL_DATA}"
   --eval.steps 20
   --eval.temperature 0.0
   --ckpt.best_metric_key none   # one eval_<datasource>_pass1 per benchmark and language, no overall figure
   --eval.n_samples_per_prompt 1
)

CKPT_ARGS=(
   --ckpt.output_dir "${SAVE_PATH}"
   --ckpt.path "${SAVE_PATH}/ckpt"
   --ckpt.save_steps 20
   --ckpt.save_hf
   --ckpt.max_num 3
   --ckpt.load_enable
)

LOG_ARGS=(
   --logger.logging_steps 1
   --logger.tensorboard_dir "${SAVE_PATH}/runs"
   # --logger.wandb.key "${WANDB_API_KEY}"
)

ray job submit --address="${RAY_ADDRESS}" \
   --runtime-env-json="${RUNTIME_ENV}" \
   -- python3 -m openrlhf.cli.train_ppo_ray \
   "${REWARD_ARGS[@]}" \
   "${ENGINE_ARGS[@]}" \
   "${MODEL_ARGS[@]}" \
   "${ROLLOUT_ARGS[@]}" \
   "${ALGO_ARGS[@]}" \
   "${EVAL_ARGS[@]}" \
   "${CKPT_ARGS[@]}" \
   "${LOG_ARGS[@]}" \
   "$@"

# Key flags:
#   --train.agent_func_path           the PASMR agent: target response, K pivot answers to its own translation,
#                                     the self-feedback reward; only the target response is trained
#   --reward.remote_url               (REWARD_SOURCE=offline) the single-turn reward reading offline pivot answers
#   --data.input_key prompt / --data.label_key label
#                                     the fields `pasmr data rl` writes; the label carries the language
#   --rollout.n_samples_per_prompt 8  the group the baseline is computed over; identical translations in a
#                                     group share one pivot request, so K costs little when the policy agrees
#   --algo.advantage.estimator reinforce_baseline
#                                     REINFORCE++-baseline (the paper's setting); group_norm is GRPO
#   --vllm.enable_prefix_caching      pivot prompts share the chat template prefix
#   --eval.temperature 0.0            greedy evaluation; rows of `pasmr data rl --split eval` are scored by their
#                                     gold answer, so eval_mgsm_sw_pass1 etc. are gold accuracy per benchmark
#                                     and language (OpenRLHF groups pass1 by each row's datasource field)
#   --ckpt.best_metric_key none       OpenRLHF would keep a "best" checkpoint by the alphabetically first
#                                     eval_*_pass1 (one language); turned off: --ckpt.save_steps keeps the latest.
#                                     Name one key instead to select by it (--ckpt.best_metric_key eval_mgsm_sw_pass1)
#   RUNTIME_ENV                       `pasmr runtime-env`: ships pasmr_plugin to every Ray node (py_modules) and
#                                     has the nodes pip install its dependencies; SHIP_DEPENDENCIES=1 ships the
#                                     installed dependency packages instead (nodes without a package index), so the agent file
#                                     imports on whichever node runs a vLLM engine
