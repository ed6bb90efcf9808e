"""Language identification end to end: train a classifier over several languages' speech,
score it (accuracy, confusion matrix, accuracy by clip length), identify files, and route each
file to the zoo's best speech recognizer for its language."""

from __future__ import annotations

import json
from dataclasses import replace
from functools import partial
from pathlib import Path

import numpy as np
from transformers import set_seed

from asrzoo import paths
from asrzoo.data.audio import SAMPLING_RATE, AudioError, read_clip
from asrzoo.data.prepare import PrepareOptions, prepare
from asrzoo.decoding.lid import language_probabilities, top_languages
from asrzoo.errors import UserError
from asrzoo.models.encoders import LID_PRESETS, EncoderModel, build_lid_model
from asrzoo.models.recipes import DECODE_BATCH_SIZE, resolve_hyperparameters
from asrzoo.scoring.report import confusion_png, training_curve_png
from asrzoo.training.lid import LIDCollator, LIDTrainer, class_weights
from asrzoo.training.loop import train
from asrzoo.training.settings import TrainSettings
from asrzoo.workflows import (
    library_versions,
    model_run,
    recorded_recipe,
    run_figures,
    save_record,
    score_label,
    unique_model_id,
    zoo_model_path,
)
from asrzoo.zoo.record import MULTIPLE, ModelRecord
from asrzoo.zoo.saved import (
    dataset_label,
    evaluation_dataset_options,
    model_metadata,
    weights_bytes,
)
from asrzoo.zoo.store import Zoo

# A trained encoder under a new head learns at a quarter of the rate it was trained at (a tiny
# model trained by asrzoo: 5e-4; an XLS-R-family checkpoint: 7.5e-5)
CHECKPOINT_RATE_SHARE = 0.25
COLUMNS = ["id", "audio", "input_length", "seconds"]
BY_SECONDS = (1.0, 2.0, 5.0)  # the clip lengths `lid evaluate` scores apart
FILES_AT_ONCE = 32


def language_codes(text: str, minimum: int = 1) -> list[str]:
    """The codes of --languages tr,de,es."""
    codes = [c.strip() for c in text.split(",") if c.strip()]
    if len(codes) != len(set(codes)):
        raise UserError(f"--languages names a language twice: {text}")
    if len(codes) < minimum:
        raise UserError(f"give {minimum} --languages or more (comma-separated), not {text!r}")
    return codes


def check_dataset(registry, languages: list[str], dataset: str) -> None:
    """Every language is known and ``dataset`` serves it, before any of them is prepared (one
    line naming the first that fails)."""
    for code in languages:
        registry.loader(code, dataset)


def labelled_splits(
    registry, languages: list[str], dataset: str, dataset_options: dict, options: PrepareOptions
) -> tuple[dict, int]:
    """split -> every language's rows of ``dataset`` (audio only: transcripts are not needed)
    with its index in ``languages`` as ``label``; and how many rows were dropped."""
    from datasets import concatenate_datasets

    options = replace(options, transcripts=False)
    parts: dict[str, list] = {}
    folders: dict = {}
    dropped = 0
    for index, code in enumerate(languages):
        data = prepare(registry, code, dataset, options, dataset_options)
        # what the loader says of its data: the same for two languages, the same clips
        same = folders.setdefault(json.dumps(data.source, sort_keys=True, default=str), code)
        if same != code:
            raise UserError(
                f"dataset {dataset!r} gives {same} and {code} the same clips (a folder or a"
                " manifest does not know their language): a language identifier needs each"
                " language's own speech, from a loader that serves each language"
            )
        dropped += len(data.dropped)
        for split, rows in data.splits.items():
            if len(rows):
                rows = rows.select_columns(COLUMNS)
                parts.setdefault(split, []).append(rows.add_column("label", [index] * len(rows)))
    return {split: concatenate_datasets(found) for split, found in parts.items()}, dropped


def lid_hyperparameters(registry, built: EncoderModel, overrides: dict | None) -> dict:
    """A preset's recipe for its architecture; for a checkpoint, the recipe it was trained with
    (recorded by asrzoo) or its family's, at a quarter of the rate; then the command line's."""
    if not built.pretrained:
        return resolve_hyperparameters(
            registry.preset(LID_PRESETS.get(built.base, built.base)).hyperparameters, overrides
        )
    recipe = (
        recorded_recipe(built.base, "fine_tuning")  # a folder from `asrzoo pretrain`
        or recorded_recipe(built.base, "hyperparameters")
        or built.family.hyperparameters
    )
    recipe = resolve_hyperparameters(recipe)
    recipe["learning_rate"] *= CHECKPOINT_RATE_SHARE
    return resolve_hyperparameters(recipe, overrides)


def train_lid(
    registry,
    languages: list[str],
    dataset: str,
    model_spec: str,
    settings: TrainSettings,
    dataset_options: dict,
    prepare_options: PrepareOptions,
    force: bool = False,
) -> dict | None:
    """Prepare each language's rows, train, score on validation, save and record."""
    with model_run(settings, force) as (state, model_id):
        return _train_lid(
            registry, languages, dataset, model_spec, settings, dataset_options,
            prepare_options, force, state, model_id,
        )  # fmt: skip


def _train_lid(
    registry, languages, dataset, model_spec, settings, dataset_options, prepare_options,
    force, state, model_id,
):  # fmt: skip
    out = settings.output_dir
    check_dataset(registry, languages, dataset)  # before a checkpoint is fetched
    if model_spec not in LID_PRESETS:
        model_spec = zoo_model_path(registry, model_spec)
    set_seed(settings.seed)
    built = build_lid_model(model_spec, languages, registry.vocabulary(languages[0]), registry)
    with state.main_process_first():
        splits, dropped = labelled_splits(
            registry, languages, dataset, dataset_options, prepare_options
        )
    train_labels = splits["train"]["label"] if "train" in splits else []
    counts = np.bincount(np.asarray(train_labels, dtype=int), minlength=len(languages))
    missing = [code for code, count in zip(languages, counts, strict=True) if not count]
    if missing:
        raise UserError(f"dataset {dataset!r} has no training rows for {', '.join(missing)}")
    hp = lid_hyperparameters(registry, built, settings.hyperparameters)

    def collator_for(epoch):
        return LIDCollator(built.feature_extractor, settings.seed, epoch)

    trainer = partial(LIDTrainer, class_weights=class_weights(counts))
    result = train(
        built, splits["train"], settings, hp, collator_for=collator_for, trainer_class=trainer
    )
    if not state.is_main_process:
        return None
    metrics = {}
    if "validation" in splits:
        metrics["validation"] = lid_scores(built, splits["validation"])
    zoo = Zoo()
    model_id = unique_model_id(zoo, model_id, out, replace=settings.resume or force)
    built.save(out)
    training_curve_png(result.log_history, out / "training_curve.png", loss="cross-entropy")
    record = ModelRecord(
        id=model_id,
        language=MULTIPLE,
        languages=languages,
        kind="lid",
        family=built.family.name,
        base_model=built.base,
        path=str(out.resolve()),
        dataset={"name": dataset_label(dataset), "options": dataset_options},
        normalizer_id="",
        normalizer_version="",
        vocabulary={},
        hyperparameters=hp,
        training={
            **run_figures(result, settings, state),
            "train_rows": len(splits["train"]),
            "train_rows_per_language": dict(zip(languages, counts.tolist(), strict=True)),
            "dropped_rows": dropped,
        },
        parameters=built.num_parameters,
        size_bytes=weights_bytes(out),
        versions=library_versions(registry),
    )
    extra = {"metrics": metrics, "log_history": result.log_history}
    save_record(record, extra, replace=settings.resume or force)
    if metrics:
        zoo.add_evaluation(model_id, dataset_label(dataset), "validation", metrics["validation"])
    return {**record.as_dict(), "metrics": metrics}


def lid_scores(built, rows, seconds: float | None = None, batch_size=DECODE_BATCH_SIZE) -> dict:
    """Accuracy, per-language accuracy and the confusion matrix (rows: the true language) on
    prepared, labelled ``rows``; with ``seconds``, on each clip's first ``seconds`` only, and
    only clips at least that long."""
    labels = built.model.config.id2label
    table = rows.with_format("numpy", columns=["audio", "label", "input_length"])
    if seconds:
        long_enough = np.flatnonzero(np.asarray(rows["input_length"]) >= seconds * SAMPLING_RATE)
        table = table.select(long_enough)
    truth, guesses = [], []
    for start in range(0, len(table), 256):  # a large split is read a part at a time
        part = table[start : start + 256]
        clips = list(part["audio"])
        if seconds:
            clips = [c[: int(seconds * SAMPLING_RATE)] for c in clips]
        probabilities = language_probabilities(
            built.model, built.feature_extractor, clips, batch_size
        )
        truth += part["label"].tolist()
        guesses += probabilities.argmax(1).tolist()
    count = len(labels)
    confusion = np.zeros((count, count), int)
    np.add.at(confusion, (truth, guesses), 1)
    per_language = {
        labels[i]: round(float(confusion[i, i] / confusion[i].sum()), 4)
        for i in range(count)
        if confusion[i].sum()
    }
    return {
        "accuracy": float(np.trace(confusion) / confusion.sum()) if confusion.sum() else None,
        "clips": int(confusion.sum()),
        "per_language": per_language,
        "confusion": confusion.tolist(),
        "labels": [labels[i] for i in range(count)],
        **({"seconds": seconds} if seconds else {}),
    }


def load_lid(model_ref: str) -> tuple[EncoderModel, dict]:
    """A language identifier from the zoo (id) or a folder, and its metadata."""
    from transformers import AutoFeatureExtractor, AutoModelForAudioClassification

    from asrzoo.models.devices import best_device
    from asrzoo.plugin.registry import current_registry

    metadata = model_metadata(model_ref)
    if metadata.get("kind", "asr") != "lid":
        raise UserError(f"{model_ref} is not a language identifier (`asrzoo lid train` makes one)")
    folder = metadata["path"]
    model = AutoModelForAudioClassification.from_pretrained(folder).to(best_device())
    family = current_registry().family_for(model.config)
    extractor = AutoFeatureExtractor.from_pretrained(folder)
    return EncoderModel(model, extractor, family, metadata.get("base_model", ""), True), metadata


def evaluate_lid(
    registry,
    model_ref: str,
    dataset: str,
    split: str,
    dataset_options: dict,
    prepare_options: PrepareOptions,
    by_seconds: tuple[float, ...] = BY_SECONDS,
) -> dict:
    """Accuracy on whole clips and on their first 1, 2, 5 s; the confusion matrix as a PNG
    beside the model; the score into the zoo."""
    built, metadata = load_lid(model_ref)
    languages = list(metadata["languages"])
    options = evaluation_dataset_options(metadata, dataset, dataset_options)
    check_dataset(registry, languages, dataset)
    splits, _ = labelled_splits(registry, languages, dataset, options, prepare_options)
    if split not in splits:
        available = ", ".join(splits) or "none"
        raise UserError(
            f"dataset {dataset!r} has no rows in split {split!r}; available: {available}"
        )
    scores = lid_scores(built, splits[split])
    scores["by_seconds"] = {}
    for seconds in by_seconds:  # only clips at least that long, cut to it
        cut = lid_scores(built, splits[split], seconds)
        scores["by_seconds"][str(seconds)] = {"accuracy": cut["accuracy"], "clips": cut["clips"]}
    folder = Path(metadata["path"])
    label = score_label(metadata, dataset, dataset_options)
    picture = folder / f"confusion-{paths.file_slug(label)}-{paths.file_slug(split)}.png"
    confusion_png(scores["confusion"], scores["labels"], picture, f"{label}/{split}")
    if paths.owned_entries(folder) is not None:
        paths.record(folder, picture.name)
    zoo = Zoo()
    model_id = metadata.get("id")
    if model_id and zoo.exists(model_id):
        zoo.add_evaluation(model_id, label, split, scores)
    return {"model": model_id or model_ref, "dataset": label, "split": split,
            "metrics": scores, "confusion_png": str(picture)}  # fmt: skip


def identify_files(model_ref: str, files: list[str], top: int = 3) -> list[dict]:
    """Each file's top languages with their probabilities, or why it could not be read. Files
    are read FILES_AT_ONCE at a time, so memory does not grow with their number."""
    built, _ = load_lid(model_ref)
    labels = built.model.config.id2label
    results = [{"file": name} for name in files]
    for first in range(0, len(files), FILES_AT_ONCE):
        clips = {}
        for index in range(first, min(first + FILES_AT_ONCE, len(files))):
            try:
                clips[index] = read_clip(files[index])
                results[index]["seconds"] = round(len(clips[index]) / SAMPLING_RATE, 3)
            except AudioError as error:
                results[index]["error"] = str(error)
        if clips:
            found = language_probabilities(
                built.model, built.feature_extractor, list(clips.values())
            )
            for index, probabilities in zip(clips, found, strict=True):
                results[index]["languages"] = top_languages(probabilities, labels, top)
    return results


def _on_disk(models: list[dict]) -> list[dict]:
    """The models whose folder is still there: one moved or deleted is passed over, not chosen
    and then failed on."""
    return [m for m in models if Path(m["path"]).is_dir()]


def best_lid_model(zoo: Zoo) -> str:
    """The zoo's language identifier with the best recorded accuracy (the newest if none has
    one)."""
    models = _on_disk(zoo.list(kind="lid"))
    if not models:
        raise UserError("the zoo has no language identifier: train one with `asrzoo lid train`")

    def accuracy(model):
        found = [e["accuracy"] for e in model["evaluations"] if e["accuracy"] is not None]
        return max(found, default=-1.0)

    return max(reversed(models), key=accuracy)["id"]


def best_asr_model(zoo: Zoo, language: str) -> str | None:
    """The zoo's speech recognizer for ``language`` with the lowest recorded test WER; without
    any test score, the lowest validation WER; None if it has none."""
    models = _on_disk(zoo.list(language=language, kind="asr"))
    for split in ("test", "validation"):
        scored = [
            (e["wer"], m["id"])
            for m in models
            for e in m["evaluations"]
            if e["split"] == split and e["wer"] is not None
        ]
        if scored:
            return min(scored)[1]
    return models[-1]["id"] if models else None


def transcribe_auto(
    files: list[str],
    lid_model: str | None,
    language: str,
    model: str | None,
    batch_size: int,
    backend: str,
) -> list[dict]:
    """Transcribe each file in its language (``auto``: as the language identifier finds it),
    with ``model`` if given, else the zoo's best model for that language; each result says
    which language and model it used, or why the file was not transcribed."""
    from asrzoo.workflows import transcribe_files

    zoo = Zoo()
    if language == "auto":
        lid = lid_model or best_lid_model(zoo)
        found = identify_files(lid, files, top=1)
    else:
        found = [
            {"file": f, "languages": [{"language": language, "probability": 1.0}]} for f in files
        ]
    results = list(found)
    by_model: dict[str, list[int]] = {}
    for index, result in enumerate(found):
        if "error" in result:
            continue
        code = result["languages"][0]["language"]
        chosen = model or best_asr_model(zoo, code)
        result.update(language=code, language_probability=result.pop("languages")[0]["probability"])
        if chosen is None:
            result["error"] = f"the zoo has no speech recognizer for {code!r}: train one"
            continue
        result["model"] = chosen
        by_model.setdefault(chosen, []).append(index)
    for chosen, indices in by_model.items():
        transcribed = transcribe_files(
            chosen, [files[i] for i in indices], batch_size, None, backend
        )
        for index, text in zip(indices, transcribed, strict=True):
            results[index] = {**results[index], **text}
    return results
