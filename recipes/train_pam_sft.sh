#!/bin/bash
# PASMR stage 1: PAM supervised fine-tuning with OpenRLHF 0.11.2 (unmodified).
# Paper: PASMR, https://arxiv.org/abs/2601.17671
# Key techniques: every response first translates the question into the pivot language between
# <translation> markers, then solves it in the question's language ("PAM" format, built by
# `pasmr data sft`); the chat template wraps prompt and response; samples are packed.
#
# Build the data first (parallel records: target question, pivot question, target solution):
#   pasmr data sft parallel.jsonl "${SFT_DATA}"

set -x

SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"
WORK_DIR="${WORK_DIR:-$(cd "${SCRIPT_DIR}/.." && pwd)}"

MODEL_PATH="${MODEL_PATH:-Qwen/Qwen2.5-7B-Instruct}"
SFT_DATA="${SFT_DATA:-${WORK_DIR}/data/pasmr_sft.jsonl}"
SAVE_PATH="${SAVE_PATH:-${WORK_DIR}/checkpoints/pasmr-7b-pam-sft}"
NUM_GPUS="${NUM_GPUS:-8}"

MODEL_ARGS=(
   --model.model_name_or_path "${MODEL_PATH}"
   --model.gradient_checkpointing_enable
   --ds.zero_stage 2
   --ds.param_dtype bf16
   --ds.attn_implementation flash_attention_2
   --ds.packing_samples
)

DATA_ARGS=(
   --data.dataset "${SFT_DATA}"
   --data.input_key input
   --data.output_key output
   --data.apply_chat_template
   --data.max_len 4096
   --data.max_samples 1000000
)

TRAIN_ARGS=(
   --train.batch_size 128
   --train.micro_batch_size 4
   --train.max_epochs 2
   --train.seed 42
   --adam.lr 1e-5
   --lr_warmup_ratio 0.03
)

CKPT_ARGS=(
   --ckpt.output_dir "${SAVE_PATH}"
   --ckpt.path "${SAVE_PATH}/ckpt"
   --ckpt.save_steps -1
   --ckpt.max_num 2
)

LOG_ARGS=(
   --logger.logging_steps 1
   --eval.steps -1
   --logger.tensorboard_dir "${SAVE_PATH}/runs"
   # --logger.wandb.key "${WANDB_API_KEY}"
)

deepspeed --num_gpus "${NUM_GPUS}" --module openrlhf.cli.train_sft \
   "${MODEL_ARGS[@]}" \
   "${DATA_ARGS[@]}" \
   "${TRAIN_ARGS[@]}" \
   "${CKPT_ARGS[@]}" \
   "${LOG_ARGS[@]}"

# Key flags:
#   --data.input_key input / --data.output_key output   the two fields `pasmr data sft` writes: the PASMR
#                                                        prompt and the PAM response (translation, then solution)
#   --data.apply_chat_template                           the same chat template stage 2 prompts go through, so
#                                                        the SFT model meets RL prompts in the form it learned
#   --ds.packing_samples                                 packs short samples (needs flash attention)
#   --ckpt.output_dir                                    the Hugging Face checkpoint stage 2 starts from
