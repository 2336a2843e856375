#!/bin/bash
# PASMR stage 2 with offline pivot answers: the single-turn reward, no generation besides the policy's.
# Paper: PASMR, https://arxiv.org/abs/2601.17671
# Key techniques: K pivot answers per prompt are generated once, before RL, for the dataset's
# reference translation and stored in each label (`pasmr data pivot-labels`, vLLM); the reward file
# (`pasmr reward-file`, passed to --reward.remote_url) compares the policy's answer with their
# majority. Cheaper than the agent; the pivot answers do not follow the policy's own translation.
#
# Build the labeled prompts first (on a GPU machine with vLLM):
#   pasmr data rl questions.jsonl rl.jsonl --pivot-question-key english_question
#   pasmr data pivot-labels rl.jsonl "${RL_DATA}" --model "${SFT_MODEL}" --samples 4

set -x

SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"
WORK_DIR="$(cd "${SCRIPT_DIR}/.." && pwd)"

export REWARD_SOURCE=offline
export RL_DATA="${RL_DATA:-${WORK_DIR}/data/pasmr_rl_pivot_labels.jsonl}"
export SAVE_PATH="${SAVE_PATH:-${WORK_DIR}/checkpoints/pasmr-7b-srl-offline}"

exec "${SCRIPT_DIR}/train_srl_agent.sh" "$@"

# Key flags (set by train_srl_agent.sh with REWARD_SOURCE=offline):
#   --reward.remote_url pasmr_reward.py   OpenRLHF's single-turn executor calls reward_func(queries, prompts,
#                                         labels) per sample from worker threads; the labels hold the answers
#   --data.label_key label                the label with lang, pivot_question and pivot_answers
