"""A tiny random-weights causal LM with a real tokenizer, for the demo and the tests (no hub, no GPU).

The tokenizer is a byte-level BPE trained on a few multilingual lines (so every script
round-trips), plus any ``corpus`` lines the caller passes (the demo passes its training texts,
so "Jibu ni 12." is a few tokens rather than a dozen), with a ChatML chat template; the model
is a 2-layer ``Qwen2`` with random weights whose attention heads have 64 dimensions, a size vLLM's
CPU attention serves (it rejects 16). It produces gibberish, which is all that token
bookkeeping, lm-eval plumbing and OpenRLHF's agent interface need; :mod:`pasmr_plugin.demo.tiny_sft`
teaches it the PAM format.

>>> path = build_tiny_model(tempfile.mkdtemp())  # doctest: +SKIP
>>> path = build_tiny_model(tempfile.mkdtemp(), corpus=["Swali: Ana mayai mangapi?"])  # doctest: +SKIP
>>> AutoModelForCausalLM.from_pretrained(path)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..languages import MGSM_LANGUAGES, SHIPPED_LANGUAGES

CHAT_TEMPLATE = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n{{ message['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
HEAD_SIZE = 64  # vLLM's CPU attention supports 64 (and larger sizes), not 16
HIDDEN_SIZE = 128  # two heads


def _training_lines() -> list[str]:
    lines = ["<translation>", "</translation>", "0123456789 + - = . , : ? !"]
    for language in (SHIPPED_LANGUAGES[code] for code in MGSM_LANGUAGES):  # the demo's languages
        lines += [
            language.pam_instruction,
            language.cot_instruction,
            language.answer_template.format(1234567890),
            language.question_label + " " + language.step_answer_label,
            language.native_digits,
        ]
    return [line for line in lines if line]


def build_tiny_model(
    out_dir: str | Path,
    *,
    vocab_size: int = 1024,
    seed: int = 0,
    corpus: Iterable[str] = (),
) -> Path:
    """Write a tokenizer and a random 2-layer Qwen2 model to ``out_dir``; returns the path.

    ``corpus``: extra lines the tokenizer is trained on, after the built-in ones.
    Needs ``torch``, ``transformers`` and ``tokenizers`` (the ``demo`` extra).
    """
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast, Qwen2Config, Qwen2ForCausalLM

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator([*_training_lines(), *corpus], trainer=trainer)
    hf_tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        bos_token=None,
        additional_special_tokens=["<|im_start|>"],
    )
    hf_tokenizer.chat_template = CHAT_TEMPLATE
    hf_tokenizer.save_pretrained(out)

    torch.manual_seed(seed)
    config = Qwen2Config(
        vocab_size=len(hf_tokenizer),
        hidden_size=HIDDEN_SIZE,
        intermediate_size=2 * HIDDEN_SIZE,
        num_hidden_layers=2,
        num_attention_heads=HIDDEN_SIZE // HEAD_SIZE,
        num_key_value_heads=1,
        max_position_embeddings=4096,
        tie_word_embeddings=True,
        eos_token_id=hf_tokenizer.eos_token_id,
        pad_token_id=hf_tokenizer.pad_token_id,
        bos_token_id=None,
    )
    model = Qwen2ForCausalLM(config)
    model.generation_config.eos_token_id = hf_tokenizer.eos_token_id
    model.generation_config.pad_token_id = hf_tokenizer.pad_token_id
    model.save_pretrained(out)
    return out
