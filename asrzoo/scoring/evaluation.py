"""Score a model on a prepared split: WER, CER and every prediction beside its reference; with
an n-gram LM, greedy and LM decoding side by side."""

from __future__ import annotations

import json
from pathlib import Path

import datasets

from asrzoo import paths
from asrzoo.console import progress
from asrzoo.decoding.inference import transcribe
from asrzoo.models.recipes import DECODE_BATCH_SIZE
from asrzoo.scoring.metrics import error_rates


def evaluate_split(
    built, split: datasets.Dataset, batch_size: int = DECODE_BATCH_SIZE, lm=None
) -> dict:
    """Returns {"metrics": {...}, "predictions": [{id, reference, prediction}, ...]}, and
    "lm_metrics" and each prediction's "lm_prediction" with ``lm`` (an LMDecoder)."""
    audio = split.select_columns(["audio"]).with_format("numpy")
    with progress() as bar:
        task = bar.add_task("evaluating", total=len(split))
        transcripts = transcribe(
            built,
            list(split["input_length"]),
            lambda indices: list(audio[indices]["audio"]),
            batch_size=batch_size,
            on_batch=lambda n: bar.advance(task, n),
            lm=lm,
        )
    references = list(split["text"])
    predictions = [
        {"id": i, "reference": r, "prediction": p}
        for i, r, p in zip(split["id"], references, transcripts.greedy, strict=True)
    ]
    result = {"metrics": error_rates(references, transcripts.greedy), "predictions": predictions}
    if lm:
        result["lm_metrics"] = error_rates(references, transcripts.lm)
        for prediction, text in zip(predictions, transcripts.lm, strict=True):
            prediction["lm_prediction"] = text
    return result


def write_predictions(path: Path, predictions: list[dict]) -> None:
    """One JSON line per row, written whole (a symlink at ``path`` is replaced, not followed)."""
    lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in predictions)
    paths.write_atomic(path, lines)
