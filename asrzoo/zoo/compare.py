"""Compare models on the same rows: WER, CER, edit counts, speed, and paired bootstrap confidence
intervals for the WER differences (is model A really better than B on this test set?)."""

from __future__ import annotations

import time
from itertools import combinations

import jiwer
import numpy as np

from asrzoo.data.prepare import PrepareOptions, for_model, prepare
from asrzoo.errors import UserError
from asrzoo.models.recipes import DECODE_BATCH_SIZE
from asrzoo.scoring.evaluation import evaluate_split

BOOTSTRAP_SAMPLES = 2000


def utterance_errors(references: list[str], hypotheses: list[str]) -> np.ndarray:
    """Word edits (substitutions + deletions + insertions) per utterance."""
    output = jiwer.process_words(references, hypotheses)
    return np.array(
        [
            sum(
                max(c.ref_end_idx - c.ref_start_idx, c.hyp_end_idx - c.hyp_start_idx)
                for c in chunks
                if c.type != "equal"
            )  # fmt: skip
            for chunks in output.alignments
        ]
    )


def paired_bootstrap(
    errors_a: np.ndarray, errors_b: np.ndarray, words: np.ndarray, seed: int = 0
) -> dict:
    """WER(a) - WER(b) with a 95% interval from resampling utterances (the same draws for both
    models, so what they share cancels), and the share of draws in which a is better."""
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(words), size=(BOOTSTRAP_SAMPLES, len(words)))
    total = words[draws].sum(axis=1)
    differences = (errors_a[draws].sum(axis=1) - errors_b[draws].sum(axis=1)) / total
    low, high = np.percentile(differences, [2.5, 97.5])
    return {
        "wer_difference": float((errors_a.sum() - errors_b.sum()) / words.sum()),
        "ci95": [float(low), float(high)],
        "a_better_share": float((differences < 0).mean()),
    }


def wer_interval(errors: np.ndarray, words: np.ndarray, seed: int = 0) -> list[float]:
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(words), size=(BOOTSTRAP_SAMPLES, len(words)))
    rates = errors[draws].sum(axis=1) / words[draws].sum(axis=1)
    return [float(v) for v in np.percentile(rates, [2.5, 97.5])]


def training_curve(metadata: dict) -> list[dict]:
    """Loss (and any evaluation metrics) by step, from the Trainer's log history."""
    points = []
    for entry in metadata.get("log_history", []):
        values = {k: v for k, v in entry.items() if k == "loss" or k.startswith("eval_")}
        if values and "step" in entry:
            points.append({"step": entry["step"], **values})
    return points


def compare_models(
    registry,
    model_refs: list[str],
    dataset: str,
    split: str,
    dataset_options: dict,
    prepare_options: PrepareOptions,
    batch_size: int = DECODE_BATCH_SIZE,
) -> dict:
    """Every model scored on the rows that all of them can use, with the same normalizer and
    greedy decoding."""
    from asrzoo.zoo.saved import load_trained, training_dataset_options

    if len(model_refs) < 2:
        raise UserError("compare needs two models or more")
    loaded = [load_trained(ref) for ref in model_refs]
    languages = {metadata.get("language") for _, metadata in loaded}
    if len(languages) != 1 or None in languages:
        raise UserError(f"the models are of different or unknown languages: {languages}")
    language = languages.pop()
    options = dataset_options or training_dataset_options(loaded[0][1], dataset)
    data = prepare(registry, language, dataset, prepare_options, options)  # once for all
    if split not in data.splits:
        raise UserError(f"dataset {dataset!r} has no split {split!r}")
    # each model's frame rate may keep different rows
    splits = [for_model(data, built).splits[split] for built, _ in loaded]
    common = set.intersection(*(set(s["id"]) for s in splits))
    if not common:
        raise UserError(f"no row of {dataset}/{split} is usable by every model")
    splits = [s.select([i for i, row in enumerate(s["id"]) if row in common]) for s in splits]
    references = list(splits[0]["text"])
    words = np.array([len(r.split()) for r in references])
    audio_seconds = float(sum(splits[0]["seconds"]))
    models, errors = [], []
    for (built, metadata), rows, ref in zip(loaded, splits, model_refs, strict=True):
        start = time.perf_counter()
        evaluated = evaluate_split(built, rows, batch_size)
        seconds = time.perf_counter() - start
        hypotheses = [p["prediction"] for p in evaluated["predictions"]]
        errors.append(utterance_errors(references, hypotheses))
        models.append(
            {
                "id": metadata.get("id") or ref,
                "family": built.family.name,
                "base_model": metadata.get("base_model"),
                "parameters": built.num_parameters,
                **evaluated["metrics"],
                "wer_ci95": wer_interval(errors[-1], words),
                "real_time_factor": seconds / audio_seconds,
                "training_curve": training_curve(metadata),
            }
        )
    differences = [
        {"a": a["id"], "b": b["id"], **paired_bootstrap(errors_a, errors_b, words)}
        for (a, errors_a), (b, errors_b) in combinations(zip(models, errors, strict=True), 2)
    ]
    normalizer = registry.normalizer(language)
    return {
        "dataset": dataset,
        "split": split,
        "language": language,
        "normalizer": f"{normalizer.id} v{normalizer.version}",
        "rows": len(references),
        "audio_hours": audio_seconds / 3600,
        "models": models,
        "differences": differences,
    }
