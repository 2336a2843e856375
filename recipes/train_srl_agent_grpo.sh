#!/bin/bash
# PASMR stage 2, GRPO variant: the same SRL agent with group-normalized advantages.
# Paper: PASMR, https://arxiv.org/abs/2601.17671
# Key techniques: `--algo.advantage.estimator group_norm` (reward minus the group mean, divided by the
# group std), the k3 KL estimator as a loss, and dynamic filtering of groups whose samples all agree
# or all disagree (they carry no advantage). Everything else as train_srl_agent.sh.

set -x

SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"

export ADVANTAGE_ESTIMATOR=group_norm
export KL_ESTIMATOR=k3
export SAVE_PATH="${SAVE_PATH:-$(cd "${SCRIPT_DIR}/.." && pwd)/checkpoints/pasmr-7b-srl-grpo}"

GRPO_ARGS=(
   --algo.dynamic_filtering_enable
   --algo.dynamic_filtering_range 0.0 1.0
)

exec "${SCRIPT_DIR}/train_srl_agent.sh" "${GRPO_ARGS[@]}" "$@"

# Key flags:
#   ADVANTAGE_ESTIMATOR=group_norm        GRPO advantages (needs --rollout.n_samples_per_prompt > 1)
#   --algo.dynamic_filtering_enable       drops groups whose mean 0-1 score (consistency) is exactly 0 or 1
#   --algo.dynamic_filtering_range 0 1    the open range of group mean scores that is kept
