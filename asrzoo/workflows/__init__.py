"""What the commands do, end to end: train, evaluate, transcribe. The CLI only parses and prints."""

from __future__ import annotations

import json
import os
import re
import shutil
from contextlib import contextmanager, nullcontext
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

from accelerate import PartialState
from transformers import set_seed

from asrzoo import console, paths
from asrzoo.data.audio import SAMPLING_RATE
from asrzoo.data.parallel import process_alive
from asrzoo.data.prepare import PrepareOptions, for_model, prepare
from asrzoo.errors import UserError
from asrzoo.models.build import BuiltModel, build_model
from asrzoo.models.devices import best_device
from asrzoo.models.recipes import DECODE_BATCH_SIZE, resolve_hyperparameters
from asrzoo.scoring.evaluation import evaluate_split, write_predictions
from asrzoo.scoring.report import training_curve_png
from asrzoo.training.loop import CHECKPOINTS, augmenter, train
from asrzoo.training.settings import TrainSettings
from asrzoo.zoo.record import ModelRecord
from asrzoo.zoo.saved import (
    METADATA,
    dataset_label,
    evaluation_dataset_options,
    load_trained,
    model_metadata,
    training_dataset_options,
    weights_bytes,
)
from asrzoo.zoo.store import Zoo

TRAINING_LOCK = ".asrzoo-training"  # in a model folder while a run trains there: its pid


def library_versions(registry) -> dict:
    libraries = ("asrzoo", "transformers", "torch", "datasets", "jiwer", "soundfile", "soxr")
    plugins = {name: info.version for name, info in registry.pm.infos.items() if info.version}
    return {**{name: version(name) for name in libraries}, "plugins": plugins}


def new_model_id(language: str, base: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", Path(base).name.lower()).strip("-")
    return f"{language}-{slug}-{datetime.now():%Y%m%d-%H%M%S}"


def check_output_dir(folder: Path, resume: bool, force: bool) -> None:
    """A run goes into a new or empty folder, or continues its own (--resume); --force starts
    over in a folder asrzoo trained into, deleting only what asrzoo wrote there."""
    if resume or not folder.is_dir() or not _entries(folder):
        return
    if not force:
        raise UserError(
            f"{folder} is not empty: give --resume to continue its run, --force to train"
            " there again, or another --output-dir"
        )
    theirs = [name for name in paths.foreign_entries(folder) if name != TRAINING_LOCK]
    if paths.owned_entries(folder) is None or theirs:
        named = f" ({', '.join(theirs[:3])}{', ...' if len(theirs) > 3 else ''})" if theirs else ""
        raise UserError(
            f"{folder} holds files that asrzoo did not write{named}: choose another folder"
        )
    paths.delete_owned(folder)


def _entries(folder: Path) -> list[str]:
    """What a folder holds besides asrzoo's own bookkeeping."""
    return [p.name for p in folder.iterdir() if p.name not in (paths.MARKER, TRAINING_LOCK)]


def unique_model_id(zoo: Zoo, wanted: str, folder: Path, replace: bool) -> str:
    """``wanted``, or ``wanted-2``, ``-3``, ... when the zoo's ``wanted`` is another folder's
    model: ids are never shared, and a record is replaced only by its own folder's new run
    (--resume, --force)."""
    candidate, number = wanted, 1
    while zoo.exists(candidate):
        same_folder = Path(zoo.get(candidate)["path"]) == folder.resolve()
        if same_folder and replace:
            return candidate
        if same_folder:
            raise UserError(f"{folder} is the zoo's {candidate} already: --force replaces it")
        number += 1
        candidate = f"{wanted}-{number}"
    if candidate != wanted:
        console.stderr.print(
            f"[yellow]note:[/] the zoo already has a model {wanted!r} from another folder:"
            f" this one is {candidate!r}"
        )
    return candidate


@contextmanager
def model_run(settings: TrainSettings, force: bool):
    """One training run into ``settings.output_dir``, in every process of a torchrun or
    accelerate launch (CPU processes talk over gloo): yields the processes' state and the run's
    model id, its folder's name (so that a folder and its zoo entry are found by one name,
    unless taken). The main process locks the folder, checks it and claims it."""
    state = PartialState(cpu=best_device().type == "cpu")
    out = settings.output_dir
    with training_lock(out) if state.is_main_process else nullcontext():
        model_id = paths.folder_name(out.resolve().name, "model id")
        if state.is_main_process:
            check_output_dir(out, settings.resume, force)
            paths.record(out, CHECKPOINTS)  # a killed run's, for --resume to continue
            paths.note_theirs(out)  # what a user added beside a run stays theirs (--resume)
        yield state, model_id


def run_figures(result, settings: TrainSettings, state) -> dict:
    """What every record's ``training`` says of its run (a TrainResult)."""
    return {
        "steps": result.steps,
        "seconds": round(result.seconds, 1),
        "audio_hours_seen": round(result.audio_seconds / 3600, 3),
        "seed": settings.seed,
        "processes": state.num_processes,
    }


def save_record(record: ModelRecord, extra: dict, replace: bool) -> Zoo:
    """asrzoo.json (the record and ``extra``: metrics, log history) into the model's folder,
    everything in it marked as asrzoo's, and the record into the zoo."""
    out = Path(record.path)
    metadata = {**record.as_dict(), **extra}
    (out / METADATA).write_text(json.dumps(metadata, ensure_ascii=False, indent=1), "utf-8")
    paths.record_all_but_theirs(out)
    zoo = Zoo()
    zoo.add_model(record, replace=replace)
    return zoo


@contextmanager
def training_lock(folder: Path):
    """One training at a time in a folder: a second is told which process holds it."""
    folder.mkdir(parents=True, exist_ok=True)
    lock = folder / TRAINING_LOCK
    try:
        descriptor = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        holder = lock.read_text().strip()
        if holder.isdigit() and process_alive(int(holder)):
            raise UserError(f"process {holder} is training into {folder} already") from None
        lock.unlink(missing_ok=True)  # left by a killed run
        descriptor = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    with os.fdopen(descriptor, "w") as file:
        file.write(str(os.getpid()))
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


def train_model(
    registry,
    language: str,
    dataset: str,
    model_spec: str,
    settings: TrainSettings,
    dataset_options: dict,
    prepare_options: PrepareOptions,
    force: bool = False,
) -> dict | None:
    """Prepare, train, evaluate on validation, save and record; returns the zoo record (None in
    the other processes of a distributed run)."""
    with model_run(settings, force) as (state, model_id):
        return _train_and_record(
            registry, language, dataset, model_spec, settings, dataset_options,
            prepare_options, force, state, model_id,
        )  # fmt: skip


def _train_and_record(
    registry, language, dataset, model_spec, settings, dataset_options, prepare_options,
    force, state, model_id,
):  # fmt: skip
    normalizer = registry.normalizer(language)
    vocabulary = registry.vocabulary(language)
    out = settings.output_dir
    model_spec = zoo_model_path(registry, model_spec)
    set_seed(settings.seed)  # a random-init model or a new CTC head is the seed's, run to run
    built = build_model(model_spec, vocabulary, registry)
    # Under torchrun or accelerate launch, the main process prepares the data; the others wait,
    # then find it in the cache.
    with state.main_process_first():
        data = prepare(registry, language, dataset, prepare_options, dataset_options)
    data = for_model(data, built)
    if not len(data.splits.get("train", [])):
        raise UserError(f"dataset {dataset!r} has no usable training rows (report: {data.folder})")
    hp = training_hyperparameters(registry, model_spec, built, settings.hyperparameters)
    result = train(built, data.splits["train"], settings, hp, data.splits.get("validation"))
    if not state.is_main_process:
        return None  # the main process evaluates, saves and records the model

    metrics, evaluated = {}, None
    if len(data.splits.get("validation", [])):
        evaluated = evaluate_split(built, data.splits["validation"])
        metrics = evaluated["metrics"]
    zoo = Zoo()
    model_id = unique_model_id(zoo, model_id, out, replace=settings.resume or force)
    built.save(out)  # with an MMS model, its language adapters too
    if evaluated:
        write_predictions(out / "predictions-validation.jsonl", evaluated["predictions"])
    record = ModelRecord(
        id=model_id,
        language=language,
        family=built.family.name,
        base_model=built.base,
        path=str(out.resolve()),
        dataset={"name": dataset_label(dataset), **data.source, "options": dataset_options},
        normalizer_id=normalizer.id,
        normalizer_version=normalizer.version,
        vocabulary=vocabulary.token_to_id(),
        hyperparameters=hp,
        training={
            **run_figures(result, settings, state),
            "train_rows": len(data.splits["train"]),
            "dropped_rows": len(data.dropped),
            "final_loss": _last_loss(result.log_history),
            "augmentation": augmenter(settings).describe() if settings.augment else None,
            "attention": built.model.config._attn_implementation,
        },
        parameters=built.num_parameters,
        size_bytes=weights_bytes(out),
        versions=library_versions(registry),
    )
    training_curve_png(result.log_history, out / "training_curve.png")
    extra = {"metrics": {"validation": metrics}, "log_history": result.log_history}
    save_record(record, extra, replace=settings.resume or force)
    if metrics:
        zoo.add_evaluation(model_id, dataset_label(dataset), "validation", metrics)
    return {**record.as_dict(), "metrics": {"validation": metrics}}


def zoo_model_path(registry, model_spec: str) -> str:
    """A zoo id given as --model (a model pretrained with `asrzoo pretrain`, say) is its folder;
    presets and folders come first."""
    if model_spec in registry.model_presets or Path(model_spec).exists():
        return model_spec
    zoo = Zoo()
    return zoo.get(model_spec)["path"] if zoo.exists(model_spec) else model_spec


def recorded_recipe(model_spec: str, key: str) -> dict | None:
    """Hyperparameters that asrzoo recorded in a model folder's asrzoo.json under ``key``
    (``hyperparameters``: what it trained with; ``fine_tuning``: what fine-tuning a pretrained
    encoder should use), if ``model_spec`` is such a folder."""
    recorded = Path(model_spec, METADATA)
    if not recorded.is_file():
        return None
    return json.loads(recorded.read_text("utf-8")).get(key) or None


def training_hyperparameters(
    registry, model_spec: str, built: BuiltModel, overrides: dict | None
) -> dict:
    """The defaults, the recipe of a pretrained model's family (or the one `asrzoo pretrain`
    recorded for the model it pretrained), a preset's own, then the command line's."""
    recipe = built.family.hyperparameters if built.pretrained else {}
    if built.pretrained:
        recipe = recorded_recipe(model_spec, "fine_tuning") or recipe
    preset = {}
    if model_spec in registry.model_presets:
        preset = registry.preset(model_spec).hyperparameters
    return resolve_hyperparameters(recipe, preset, overrides)


def _last_loss(log_history: list[dict]) -> float | None:
    losses = [entry["loss"] for entry in log_history if "loss" in entry]
    return losses[-1] if losses else None


def _prepared_split(
    registry, model_ref, dataset, split, dataset_options, prepare_options, backend="torch"
):
    """The trained model, its metadata, and ``split`` of ``dataset`` prepared for it."""
    built, metadata = load_trained(model_ref, backend)
    dataset_options = evaluation_dataset_options(metadata, dataset, dataset_options)
    language = metadata.get("language")
    if not language:
        raise UserError(f"{model_ref} has no {METADATA}: asrzoo does not know its language")
    normalizer = registry.normalizer(language)
    if normalizer.version != metadata.get("normalizer_version"):
        console.stderr.print(
            f"[yellow]warning:[/] {model_ref} was trained with {metadata.get('normalizer_id')} "
            f"v{metadata.get('normalizer_version')}, this evaluation uses v{normalizer.version}:"
            " its WER is not comparable with scores under the older version"
        )
    data = for_model(prepare(registry, language, dataset, prepare_options, dataset_options), built)
    if split not in data.splits or not len(data.splits[split]):
        available = ", ".join(s for s, d in data.splits.items() if len(d)) or "none"
        raise UserError(
            f"dataset {dataset!r} has no rows in split {split!r}; available: {available}"
        )
    return built, metadata, data, f"{normalizer.id} v{normalizer.version}"


def lm_decoder(metadata: dict, folder: Path, lm_dir: str | None, tokenizer):
    """The LM to decode with: ``lm_dir`` (with the model's tuned weights if they were tuned for
    that LM), else the LM tuned and saved with the model, else none."""
    from asrzoo.decoding.lm import LANGUAGE_MODEL, LanguageModel, LMDecoder

    tuned = metadata.get("lm") or {}
    if lm_dir:
        lm = LanguageModel.load(lm_dir)
        weights = tuned if tuned.get("built_in") == str(lm.folder.resolve()) else {}
    elif tuned:
        lm, weights = LanguageModel(folder / LANGUAGE_MODEL, tuned["meta"]), tuned
    else:
        return None
    settings = {k: v for k, v in weights.items() if k in ("alpha", "beta", "beam_width")}
    return LMDecoder(lm, tokenizer, **settings)


def score_label(metadata: dict, dataset: str, dataset_options: dict) -> str:
    """How the zoo names a score's dataset: scores on other options of the dataset than the
    model trained with (synthetic -O voices=unseen) are named apart."""
    label = dataset_label(dataset)
    trained = training_dataset_options(metadata, dataset)
    other = {k: v for k, v in dataset_options.items() if trained.get(k) != v}
    if other:
        label += " (" + ", ".join(f"{k}={v}" for k, v in sorted(other.items())) + ")"
    return label


def evaluate_model(
    registry,
    model_ref: str,
    dataset: str,
    split: str,
    dataset_options: dict,
    prepare_options: PrepareOptions,
    batch_size: int = DECODE_BATCH_SIZE,
    lm_dir: str | None = None,
    backend: str = "torch",
) -> dict:
    built, metadata, data, normalizer = _prepared_split(
        registry, model_ref, dataset, split, dataset_options, prepare_options, backend
    )
    folder = Path(metadata["path"])
    lm = lm_decoder(metadata, folder, lm_dir, built.processor.tokenizer)
    try:
        evaluated = evaluate_split(built, data.splits[split], batch_size, lm)
    finally:
        if lm:
            lm.close()
    evaluated["metrics"]["normalizer"] = normalizer
    label = score_label(metadata, dataset, dataset_options)
    suffix = "" if backend == "torch" else f"-{backend}"
    name = f"predictions-{paths.file_slug(label)}-{paths.file_slug(split)}{suffix}.jsonl"
    predictions_file = folder / name
    write_predictions(predictions_file, evaluated["predictions"])
    if paths.owned_entries(folder) is not None:
        paths.record(folder, name)
    model_id = metadata.get("id")
    zoo = Zoo()
    if model_id and zoo.exists(model_id) and backend == "torch":  # the zoo scores torch models
        recorded = Path(zoo.get(model_id)["path"]).resolve()
        if recorded == folder.resolve():
            zoo.add_evaluation(model_id, label, split, evaluated["metrics"])
        else:  # a copy of the folder, or a folder that shares the zoo id's name
            console.stderr.print(
                f"[yellow]note:[/] scored {folder}, not the zoo's {model_id} ({recorded}):"
                " the score is not recorded in the zoo"
            )
            model_id = None
    result = {
        "model": model_id or str(model_ref),
        "dataset": label,
        "split": split,
        "backend": backend,
        "metrics": evaluated["metrics"],
        "predictions_file": str(predictions_file),
        "dropped_rows": len(data.dropped),
    }
    if lm:
        result["lm_metrics"] = {**evaluated["lm_metrics"], "normalizer": normalizer}
        result["lm"] = {"folder": str(lm.lm.folder), "alpha": lm.alpha, "beta": lm.beta}
    return result


def transcribe_files(
    model_ref: str,
    files: list[str],
    batch_size: int = DECODE_BATCH_SIZE,
    lm_dir: str | None = None,
    backend: str = "torch",
) -> list[dict]:
    """One result per file, in order: its text (with the LM: the LM's, and the greedy one
    beside it) and its words with times, or the error that kept it from being read. Files
    longer than one window are read and scored window by window."""
    built, metadata = load_trained(model_ref, backend)
    return transcribe_with(built, metadata, files, batch_size, lm_dir)


def transcribe_with(
    built: BuiltModel,
    metadata: dict,
    files: list[str],
    batch_size: int,
    lm_dir: str | None,
    use_lm: bool = True,
) -> list[dict]:
    """transcribe_files with a model already loaded; greedy only without ``use_lm``."""
    import soundfile

    from asrzoo.data.audio import AudioError, read_clip
    from asrzoo.decoding.inference import scored_batches
    from asrzoo.decoding.long_audio import WINDOW_SECONDS, greedy_words, long_log_probs

    device = built.model.device
    results, short, scores = [], {}, {}
    for index, name in enumerate(files):
        results.append({"file": name})
        try:
            try:
                seconds = soundfile.info(name).duration
            except Exception:  # unreadable: read_audio below says why
                seconds = 0
            if seconds > WINDOW_SECONDS:
                scores[index] = long_log_probs(built, name, batch_size, device)
            else:
                short[index] = read_clip(name)
                seconds = len(short[index]) / SAMPLING_RATE
            results[index]["seconds"] = round(seconds, 3)
        except AudioError as error:
            results[index]["error"] = str(error)
    order = list(short)
    for batch, scored in scored_batches(
        built,
        [len(short[i]) for i in order],
        lambda indices: [short[order[i]] for i in indices],
        batch_size,
    ):
        for position, score in zip(batch, scored, strict=True):
            scores[order[position]] = score
    done = sorted(scores)
    seconds_per_frame = built.model.config.inputs_to_logits_ratio / SAMPLING_RATE
    tokenizer = built.processor.tokenizer
    for index in done:
        results[index]["text"], results[index]["words"] = greedy_words(
            tokenizer, scores[index], seconds_per_frame
        )
    lm = lm_decoder(metadata, Path(metadata["path"]), lm_dir, tokenizer) if use_lm else None
    if lm:
        with lm:
            for index, text in zip(done, lm.decode([scores[i] for i in done]), strict=True):
                results[index]["greedy_text"] = results[index]["text"]
                results[index]["text"] = text
    return results


def mark_as_processor_with_lm(path: Path) -> None:
    """transformers 5 saves the feature extractor nested in processor_config.json, but pipeline()
    looks for ``processor_class`` inside the feature extractor's dict to find an LM, and would
    decode greedily: say it there too."""
    config = json.loads(path.read_text("utf-8"))
    config["feature_extractor"]["processor_class"] = config["processor_class"]
    path.write_text(json.dumps(config, indent=2), "utf-8")


ALPHAS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0)  # LM weight
BETAS = (0.0, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0)  # word insertion bonus


def tune_lm(
    registry,
    model_ref: str,
    lm_dir: str,
    dataset: str,
    split: str,
    dataset_options: dict,
    prepare_options: PrepareOptions,
    beam_width: int = 64,
    batch_size: int = DECODE_BATCH_SIZE,
    alphas: tuple[float, ...] = ALPHAS,
    betas: tuple[float, ...] = BETAS,
) -> dict:
    """Grid-search the LM weight and word bonus on ``split`` (validation: never test), then save
    the model's processor as a Wav2Vec2ProcessorWithLM with the best, so that transformers'
    pipeline() decodes with the LM without asrzoo."""
    from transformers import Wav2Vec2ProcessorWithLM
    from transformers.utils import logging as transformers_logging

    from asrzoo.decoding.inference import greedy_texts, scored_batches
    from asrzoo.decoding.lm import (
        LANGUAGE_MODEL,
        LanguageModel,
        LMDecoder,
        ctc_labels,
        pyctcdecode_decoder,
    )
    from asrzoo.scoring.metrics import error_rates

    if split == "test":
        raise UserError("tune on validation data: test scores are only reported")
    lm = LanguageModel.load(lm_dir)
    built, metadata, data, _ = _prepared_split(
        registry, model_ref, dataset, split, dataset_options, prepare_options
    )
    if lm.meta["language"] != metadata["language"]:
        raise UserError(
            f"the LM is for {lm.meta['language']}, the model for {metadata['language']}"
        )
    test = set(data.splits["test"]["text"]) if "test" in data.splits else set()
    leaked = test & lm.sentences()
    if leaked:
        raise UserError(
            f"the LM was built from {len(leaked)} sentences of this dataset's test split (e.g."
            f" {sorted(leaked)[0]!r}): its test scores would be worthless; build it without them"
        )
    rows, tokenizer = data.splits[split], built.processor.tokenizer
    audio = rows.select_columns(["audio"]).with_format("numpy")
    scores: list = [None] * len(rows)  # the acoustic model runs once; the grid reuses its output
    for batch, scored in scored_batches(
        built,
        list(rows["input_length"]),
        lambda indices: list(audio[indices]["audio"]),
        batch_size,
    ):
        for index, score in zip(batch, scored, strict=True):
            scores[index] = score
    references = list(rows["text"])
    greedy = error_rates(references, greedy_texts(tokenizer, scores))
    grid = []
    with LMDecoder(lm, tokenizer, beam_width=beam_width) as decoder, console.progress() as bar:
        task = bar.add_task("tuning the LM weight and word bonus", total=len(alphas) * len(betas))
        for alpha in alphas:
            for beta in betas:
                found = error_rates(references, decoder.decode(scores, alpha, beta))
                grid.append(
                    {"alpha": alpha, "beta": beta, "wer": found["wer"], "cer": found["cer"]}
                )
                bar.advance(task)
    best = min(grid, key=lambda g: (g["wer"], g["cer"]))
    folder = Path(metadata["path"])
    decoder = pyctcdecode_decoder(lm, ctc_labels(tokenizer), best["alpha"], best["beta"])
    shutil.rmtree(folder / LANGUAGE_MODEL, ignore_errors=True)  # an earlier tuning's
    # the class warns of its deprecation (docs/lm.md): asrzoo only saves the layout with it
    verbosity = transformers_logging.get_verbosity()
    transformers_logging.set_verbosity_error()
    try:
        processor = Wav2Vec2ProcessorWithLM(
            feature_extractor=built.feature_extractor,
            tokenizer=tokenizer,
            decoder=decoder,
        )
    finally:
        transformers_logging.set_verbosity(verbosity)
    processor.save_pretrained(folder)
    mark_as_processor_with_lm(folder / "processor_config.json")
    metadata["lm"] = {
        "built_in": str(lm.folder.resolve()),
        "meta": lm.meta,
        "alpha": best["alpha"],
        "beta": best["beta"],
        "beam_width": beam_width,
        "tuned_on": {
            "dataset": dataset_label(dataset),
            "split": split,
            "greedy_wer": greedy["wer"],
            "lm_wer": best["wer"],
            "grid": grid,
        },
    }
    (folder / METADATA).write_text(json.dumps(metadata, ensure_ascii=False, indent=2), "utf-8")
    return {"model": metadata.get("id") or model_ref, "greedy": greedy, **metadata["lm"]}


def export_onnx(model_ref: str, output_dir: str | None = None, quantize: str | None = None):
    """Export a trained model to ONNX, by default into its folder's ``onnx/``; returns the
    files written. A folder that holds files asrzoo did not write there is refused."""
    from asrzoo.decoding.onnx import export

    folder = Path(model_metadata(model_ref)["path"])
    target = Path(output_dir) if output_dir else folder / "onnx"
    if target.resolve() == folder.resolve():
        raise UserError("an export goes into a folder of its own: give another --output-dir")
    if target.exists() and any(target.iterdir()) and paths.owned_entries(target) is None:
        raise UserError(f"{target} holds files asrzoo did not write: give another --output-dir")
    files = export(load_trained(model_ref)[0], folder, target, quantize)
    if target.parent == folder and paths.owned_entries(folder) is not None:
        paths.record(folder, target.name)
    return files
