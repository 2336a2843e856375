"""Text on the wire between PASMR and a chat model: end-of-turn markers, pivot prompts, token ids.

>>> strip_end_markers("Jibu ni 13.<|im_end|>")
'Jibu ni 13.'
"""

from __future__ import annotations

import threading
import weakref

from ..prompts import as_messages, pivot_prompt

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


def user_prompt_text(tokenizer, prompt: str) -> str:
    """``prompt`` as OpenRLHF's ``--data.apply_chat_template`` gives it to the model: one user turn of the
    chat template, or the prompt as written when the tokenizer has no template.

    >>> user_prompt_text(None, "Swali: Mayai mangapi?")
    'Swali: Mayai mangapi?'
    """
    if getattr(tokenizer, "chat_template", None):
        return tokenizer.apply_chat_template(as_messages(prompt), tokenize=False, add_generation_prompt=True)
    return prompt


def chat_prompt_text(tokenizer, translation: str, pivot: str, *, boxed: bool = False) -> str:
    """The pivot prompt for ``translation`` as the model sees it: the chat template when the tokenizer has one.
    ``boxed`` asks for the answer in ``$\\boxed{...}$`` (:func:`pasmr_plugin.prompts.pivot_prompt`).

    >>> chat_prompt_text(None, "How many eggs?", "en").splitlines()[0]
    'Question: How many eggs?'
    """
    return user_prompt_text(tokenizer, pivot_prompt(translation, pivot, boxed=boxed))


_PRIVATE_BACKENDS: dict[int, tuple[weakref.ref, object]] = {}
_PRIVATE_BACKENDS_LOCK = threading.Lock()
_SLOW_TOKENIZER_LOCK = threading.Lock()


def _private_backend(tokenizer):
    """A copy of a fast tokenizer's Rust tokenizer with truncation and padding off, made once per tokenizer.

    Calling a Hugging Face fast tokenizer switches the truncation and padding of its one Rust
    tokenizer to what the call asks for; a tokenizer saved with them enabled (or used elsewhere
    in the process with other settings) is then switched while another thread encodes with it,
    and the Rust side raises "Already borrowed". Encoding reads the copy only, so any number of
    threads can share it.
    """
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is None or not hasattr(backend, "to_str"):
        return None
    with _PRIVATE_BACKENDS_LOCK:
        entry = _PRIVATE_BACKENDS.get(id(tokenizer))
        if entry is not None and entry[0]() is tokenizer:
            return entry[1]
        from tokenizers import Tokenizer

        private = Tokenizer.from_str(backend.to_str())
        private.no_truncation()
        private.no_padding()
        _PRIVATE_BACKENDS[id(tokenizer)] = (weakref.ref(tokenizer), private)
        return private


def token_ids(tokenizer, text: str) -> list[int]:
    """``text`` as token ids, without special tokens added (the prompt template already has them).

    Safe from many threads on one shared tokenizer: a fast tokenizer encodes with a private copy of
    its Rust tokenizer (see :func:`_private_backend`), any other tokenizer one call at a time.
    """
    try:
        private = _private_backend(tokenizer)
    except (TypeError, ValueError, ImportError):  # not weak-referenceable, or a backend that does not round-trip
        private = None
    if private is not None:
        return list(private.encode(text, add_special_tokens=False).ids)
    with _SLOW_TOKENIZER_LOCK:
        return list(tokenizer(text=text, add_special_tokens=False)["input_ids"])
