"""Stage 1 of PASMR in miniature: PAM SFT of the tiny model on the bundled exemplars (CPU, seconds).

The examples are OpenRLHF SFT records ``{"input": prompt, "output": response}``:

- for each exemplar of a target language, the PASMR prompt and the PAM response, built by
  ``pasmr data sft``'s :func:`~pasmr_plugin.openrlhf.data.build_sft` (the English exemplar with
  the same key is the translation);
- for each pivot question, the pivot prompt and the pivot exemplar's solution, so that the
  model can answer its own translation in the SRL episodes.

Training is OpenRLHF's SFT objective (prompt through the chat template, cross-entropy on the
response tokens and the end-of-sequence token only) in a plain full-batch PyTorch loop.

>>> records = exemplar_records(demo_data_dir(), ["sw", "bn"])  # doctest: +SKIP
>>> records[0].data["question"], records[0].data["pivot_question"]  # doctest: +SKIP
('Lina ana masanduku 2 yenye mayai 6 kila moja. Ana mayai mangapi?', 'Lina has 2 boxes with 6 eggs in each box. ...')
>>> train_tiny_pam(model_dir, pam_examples(records), "tiny-pam")  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..benchmarks import read_mgsm_exemplars
from ..languages import DEFAULT_PIVOT
from ..openrlhf.chat import token_ids
from ..openrlhf.data import SFT_INPUT_KEY, SFT_OUTPUT_KEY, build_sft
from ..openrlhf.records import SourceRecord
from ..prompts import as_messages, pivot_prompt

IGNORE_INDEX = -100  # label of the prompt and padding tokens: no loss, as in OpenRLHF's SFT


def exemplar_records(data_dir: str | Path, langs: Sequence[str], *, pivot: str = DEFAULT_PIVOT) -> list[SourceRecord]:
    """The MGSM exemplars of ``langs`` as parallel records for ``pasmr data sft`` and ``pasmr data rl``.

    Each has ``id``, ``lang``, ``question``, ``solution``, ``answer`` and, from the pivot
    language's exemplar with the same key, ``pivot_question`` and ``pivot_solution``.
    """
    pivots = {row["id"]: row for row in read_mgsm_exemplars(data_dir, pivot)}
    return [
        SourceRecord(
            f"{data_dir}/mgsm/exemplars.py: {lang} {row['id']}",
            {
                **row,
                "id": f"{row['id']}-{lang}",
                "pivot_question": pivots[row["id"]]["question"],
                "pivot_solution": pivots[row["id"]]["solution"],
            },
        )
        for lang in langs
        for row in read_mgsm_exemplars(data_dir, lang)
    ]


def pam_examples(records: Sequence[SourceRecord], *, pivot: str = DEFAULT_PIVOT) -> list[dict]:
    """SFT records: the PAM example of every record, then one pivot example per distinct pivot question."""
    pivot_rows = {
        record.data["pivot_question"]: {
            SFT_INPUT_KEY: pivot_prompt(record.data["pivot_question"], pivot),
            SFT_OUTPUT_KEY: record.data["pivot_solution"],
        }
        for record in records
    }
    return [*build_sft(records, pivot=pivot), *pivot_rows.values()]


def example_texts(examples: Sequence[dict]) -> list[str]:
    """The prompts and responses of SFT records, e.g. as ``corpus`` for the tiny model's tokenizer."""
    return [example[key] for example in examples for key in (SFT_INPUT_KEY, SFT_OUTPUT_KEY)]


def encode_example(tokenizer, example: dict) -> tuple[list[int], list[int]]:
    """``(input_ids, labels)`` of one SFT record: the chat-templated prompt (labels ignored), then the
    response and the end-of-sequence token. The prompt is tokenized alone, as the agent does."""
    prompt = tokenizer.apply_chat_template(
        as_messages(example[SFT_INPUT_KEY]), tokenize=False, add_generation_prompt=True
    )
    prompt_ids = token_ids(tokenizer, prompt)
    response_ids = token_ids(tokenizer, example[SFT_OUTPUT_KEY]) + [tokenizer.eos_token_id]
    return prompt_ids + response_ids, [IGNORE_INDEX] * len(prompt_ids) + response_ids


def _batch(encoded: Sequence[tuple[list[int], list[int]]], pad_id: int) -> dict:
    """Right-padded ``input_ids``, ``attention_mask`` and ``labels`` tensors."""
    import torch

    width = max(len(ids) for ids, _ in encoded)

    def padded(values: list[int], fill: int) -> list[int]:
        return values + [fill] * (width - len(values))

    return {
        "input_ids": torch.tensor([padded(ids, pad_id) for ids, _ in encoded]),
        "attention_mask": torch.tensor([padded([1] * len(ids), 0) for ids, _ in encoded]),
        "labels": torch.tensor([padded(labels, IGNORE_INDEX) for _, labels in encoded]),
    }


def train_tiny_pam(
    model_dir: str | Path,
    examples: Sequence[dict],
    out_dir: str | Path,
    *,
    steps: int = 300,
    learning_rate: float = 5e-3,
    stop_loss: float = 0.02,
    seed: int = 0,
    threads: int = 2,
    log_every: int = 50,
) -> Path:
    """Fine-tune the model in ``model_dir`` on ``examples`` (full batch, AdamW) and save it to ``out_dir``.

    Stops after ``steps`` steps or once the mean response-token loss is below ``stop_loss``;
    prints the loss every ``log_every`` steps and at the end. Runs on ``threads`` CPU threads
    (restored afterwards) with a fixed seed, so a run is repeatable. Returns ``out_dir``.
    """
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir)
    batch = _batch([encode_example(tokenizer, example) for example in examples], tokenizer.pad_token_id)
    saved_threads = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        torch.manual_seed(seed)
        optimizer = torch.optim.AdamW(model.parameters(), lr=learning_rate, weight_decay=0.0)
        model.train()
        for step in range(1, steps + 1):
            loss = model(**batch).loss
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            done = loss.item() < stop_loss or step == steps
            if done or step % log_every == 0:
                print(f"  PAM SFT step {step:>4}: loss {loss.item():.4f}", flush=True)
            if done:
                break
    finally:
        torch.set_num_threads(saved_threads)
    out = Path(out_dir)
    model.eval().save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out
