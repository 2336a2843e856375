"""The evaluation part of the README demo: ``pasmr-eval`` on the bundled questions, then ``pasmr report``.

The bundled questions (``pasmr_plugin/resources/demo_eval``, written for the project) are four
parallel problems in every MGSM and MSVAMP language, in the layout ``PASMR_DATA_DIR`` expects.
Prompts go through the model's chat template, as for an instruction-tuned model. With the tiny
models of :mod:`pasmr_plugin.demo.tiny_model` and :mod:`pasmr_plugin.demo.tiny_sft` the accuracy is noise
(they never saw these questions); the point is that the whole path runs offline on a CPU in
well under a minute.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from ..evaluation.tasks import DATA_DIR_ENV

DEMO_TASKS = "pasmr_mgsm,pasmr_msvamp"
DEMO_MAX_GEN_TOKS = 48  # the tiny model writes noise: a few dozen tokens show the plumbing


def demo_data_dir() -> Path:
    """The bundled demo questions (a ``PASMR_DATA_DIR``)."""
    return Path(str(resources.files("pasmr_plugin.resources") / "demo_eval"))


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_demo_eval(model_dir: str | Path, out_dir: str | Path, *, max_gen_toks: int = DEMO_MAX_GEN_TOKS) -> Path:
    """Evaluate the model in ``model_dir`` on the bundled questions with ``pasmr-eval`` (Hugging Face
    backend, CPU, offline, chat template applied, at most ``max_gen_toks`` new tokens per answer) and
    write ``pasmr report``'s files to ``out_dir/report``; returns ``report.md``."""
    from ..evaluation.cli import main
    from ..evaluation.report import write_report

    out = Path(out_dir)
    samples = out / "lm_eval"
    argv = [
        "--model", "hf",
        "--model_args", f"pretrained={model_dir},dtype=float32",
        "--tasks", DEMO_TASKS,
        "--device", "cpu",
        "--batch_size", "8",
        "--gen_kwargs", f"max_gen_toks={max_gen_toks}",
        "--apply_chat_template",
        "--output_path", str(samples),
        "--log_samples",
    ]  # fmt: skip
    offline = {"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    quiet = {"LMEVAL_LOG_LEVEL": "ERROR"}  # the demo prints lm-eval's results table; its progress log is noise here
    with _environment(**{DATA_DIR_ENV: str(demo_data_dir())}, **offline, **quiet):
        main(argv)
    return write_report(samples, out / "report").files[0]
