"""Self-supervised pretraining end to end: unlabelled audio of one or more languages in, a
pretrained encoder out (a zoo entry of kind "pretrained") that `asrzoo train --model` then
fine-tunes like any pretrained checkpoint."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING

from transformers import set_seed

from asrzoo.data.prepare import PrepareOptions, prepare
from asrzoo.errors import UserError
from asrzoo.models.encoders import PRETRAINING_CONFIG, build_pretraining_model
from asrzoo.models.recipes import resolve_hyperparameters
from asrzoo.scoring.report import pretraining_curve_png
from asrzoo.training.loop import train
from asrzoo.training.pretraining import PretrainingCollator, PretrainingTrainer
from asrzoo.training.settings import TrainSettings
from asrzoo.workflows import (
    library_versions,
    model_run,
    recorded_recipe,
    run_figures,
    save_record,
    unique_model_id,
    zoo_model_path,
)
from asrzoo.workflows.lid import COLUMNS, check_dataset
from asrzoo.zoo.record import MULTIPLE, ModelRecord
from asrzoo.zoo.saved import dataset_label, weights_bytes
from asrzoo.zoo.store import Zoo

if TYPE_CHECKING:
    from datasets import Dataset

# From random initialisation: wav2vec 2.0 base's peak (its paper); continued pretraining of a
# checkpoint moves it gently.
RANDOM_INIT_LEARNING_RATE = 5e-4
CHECKPOINT_LEARNING_RATE = 5e-5


def unlabelled_audio(
    registry, languages: list[str], dataset: str, dataset_options: dict, options: PrepareOptions
) -> tuple[Dataset, int]:
    """Every language's training audio of ``dataset`` in one set (transcripts, where there are
    any, are not read), and how many rows were dropped (unreadable, too short, ...)."""
    from datasets import concatenate_datasets

    options = replace(options, transcripts=False)
    parts, sources, missing, dropped = [], set(), [], 0
    for code in languages:
        data = prepare(registry, code, dataset, options, dataset_options)
        # a folder or a manifest gives every language the same clips: taken once
        source = json.dumps(data.source, sort_keys=True, default=str)
        rows = data.splits.get("train")
        if rows is None or not len(rows):
            missing.append(code)
        elif source not in sources:
            sources.add(source)
            parts.append(rows.select_columns(COLUMNS))
            dropped += len(data.dropped)
    if missing:
        raise UserError(f"dataset {dataset!r} has no training audio for {', '.join(missing)}")
    return concatenate_datasets(parts), dropped


def pretrain(
    registry,
    languages: list[str],
    dataset: str,
    model_spec: str,
    settings: TrainSettings,
    dataset_options: dict,
    prepare_options: PrepareOptions,
    force: bool = False,
) -> dict | None:
    with model_run(settings, force) as (state, model_id):
        return _pretrain(
            registry, languages, dataset, model_spec, settings, dataset_options,
            prepare_options, force, state, model_id,
        )  # fmt: skip


def _pretrain(
    registry, languages, dataset, model_spec, settings, dataset_options, prepare_options,
    force, state, model_id,
):  # fmt: skip
    out = settings.output_dir
    check_dataset(registry, languages, dataset)  # before a checkpoint is fetched
    model_spec = zoo_model_path(registry, model_spec)
    set_seed(settings.seed)
    built = build_pretraining_model(model_spec, registry.vocabulary(languages[0]), registry)
    with state.main_process_first():
        audio, dropped = unlabelled_audio(
            registry, languages, dataset, dataset_options, prepare_options
        )
    preset = registry.model_presets.get(model_spec)
    from_checkpoint = preset is None or bool(preset.base)
    # fine-tuning the result later: a preset's own recipe, or the one a folder pretrained by
    # asrzoo carries on; else (empty) the family's
    if preset and not preset.base:
        fine_tuning = dict(preset.hyperparameters)
    else:
        fine_tuning = recorded_recipe(model_spec, "fine_tuning") or {}
    rate = CHECKPOINT_LEARNING_RATE if from_checkpoint else RANDOM_INIT_LEARNING_RATE
    base = {} if from_checkpoint else fine_tuning
    hp = resolve_hyperparameters(base, {"learning_rate": rate}, settings.hyperparameters)

    def collator_for(epoch):
        return PretrainingCollator(built.model, built.feature_extractor, settings.seed, epoch)

    result = train(
        built, audio, settings, hp, collator_for=collator_for, trainer_class=PretrainingTrainer
    )
    if not state.is_main_process:
        return None
    zoo = Zoo()
    model_id = unique_model_id(zoo, model_id, out, replace=settings.resume or force)
    built.save(out)
    pretraining_curve_png(result.log_history, out / "training_curve.png")
    last = next((e for e in reversed(result.log_history) if "contrastive_loss" in e), {})
    record = ModelRecord(
        id=model_id,
        language=languages[0] if len(languages) == 1 else MULTIPLE,
        languages=languages,
        kind="pretrained",
        family=built.family.name,
        base_model=built.base,
        path=str(out.resolve()),
        dataset={"name": dataset_label(dataset), "options": dataset_options},
        normalizer_id="",
        normalizer_version="",
        vocabulary={},
        hyperparameters={**hp, **PRETRAINING_CONFIG},
        training={
            **run_figures(result, settings, state),
            "train_rows": len(audio),
            "dropped_rows": dropped,
            "final_loss": last.get("loss"),
            "final_contrastive_loss": last.get("contrastive_loss"),
            "final_codevector_perplexity": last.get("codevector_perplexity"),
            "codebook_collapse": result.notes.get("codebook_collapse"),
        },
        parameters=built.num_parameters,
        size_bytes=weights_bytes(out),
        versions=library_versions(registry),
    )
    extra = {"fine_tuning": fine_tuning, "log_history": result.log_history}
    save_record(record, extra, replace=settings.resume or force)
    return record.as_dict()
