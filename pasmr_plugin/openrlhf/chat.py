"""Text on the wire between PASMR and a chat model: end-of-turn markers, pivot prompts, token ids.

>>> strip_end_markers("Jibu ni 13.<|im_end|>")
'Jibu ni 13.'
"""

from __future__ import annotations

from ..prompts import pivot_messages, pivot_prompt

END_MARKERS = ("<|im_end|>", "<|endoftext|>", "<|eot_id|>", "<end_of_turn>", "</s>")
"""End-of-turn tokens that decoding with ``skip_special_tokens=False`` leaves at the end of a response."""


def strip_end_markers(text: str) -> str:
    """``text`` without trailing end-of-turn tokens and the whitespace around them."""
    text = text.rstrip()
    while text.endswith(END_MARKERS):
        marker = next(marker for marker in END_MARKERS if text.endswith(marker))
        text = text[: -len(marker)].rstrip()
    return text


def translation_key(translation: str) -> str:
    """The memo key of a model's translation: translations differing only in spacing are one question."""
    return " ".join(translation.split())


def chat_prompt_text(tokenizer, translation: str, pivot: str) -> str:
    """The pivot prompt for ``translation`` as the model sees it: the chat template when the tokenizer has one.

    >>> chat_prompt_text(None, "How many eggs?", "en").splitlines()[0]
    'Question: How many eggs?'
    """
    if getattr(tokenizer, "chat_template", None):
        return tokenizer.apply_chat_template(
            pivot_messages(translation, pivot), tokenize=False, add_generation_prompt=True
        )
    return pivot_prompt(translation, pivot)


def token_ids(tokenizer, text: str) -> list[int]:
    """``text`` as token ids, without special tokens added (the prompt template already has them)."""
    return list(tokenizer(text=text, add_special_tokens=False)["input_ids"])
