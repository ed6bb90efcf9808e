"""The one training loop, on the transformers Trainer: CTC fine-tuning, and with another
collator and loss, language identification and self-supervised pretraining.

A time budget (``--max-minutes``) is first-class: the learning rate follows a cosine over
whichever budget (steps or minutes) runs out first, so a short run still ends on a low rate.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import time
import zlib
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import DataLoader
from transformers import Trainer, TrainerCallback, TrainingArguments
from transformers.trainer_callback import ExportableState, PrinterCallback, ProgressCallback
from transformers.trainer_utils import get_last_checkpoint, rotate_checkpoints

from asrzoo import console
from asrzoo.console import progress
from asrzoo.data.audio import SAMPLING_RATE
from asrzoo.decoding.inference import featurize
from asrzoo.errors import UserError
from asrzoo.models.build import BuiltModel
from asrzoo.models.devices import autocast_dtype, best_device
from asrzoo.models.recipes import resolve_hyperparameters
from asrzoo.training.augment import Augmenter
from asrzoo.training.batching import DurationBatchSampler
from asrzoo.training.settings import TrainSettings

CHECKPOINTS = "checkpoints"
STAGING = ".staging"  # inside CHECKPOINTS: the checkpoint being written
FINAL_LR_FRACTION = 0.05
# transformers 5.24 renamed it (the old name warns until v6); older 5.x know only the old one
CHECKPOINTING = (
    "activation_checkpointing"
    if "activation_checkpointing" in TrainingArguments.__dataclass_fields__
    else "gradient_checkpointing"
)


AUDIO_SAMPLES = "audio_samples"  # in a training batch beside the model's inputs: its real audio


class CTCCollator:
    """Featurizes and pads prepared audio (perturbed first, with ``augment``); pads labels with
    -100 (ignored by the loss). With ``count_audio``, the batch also says how many real
    (unpadded) samples it holds. ``epoch()`` is the epoch being drawn."""

    def __init__(self, processor, count_audio: bool = False, augment=None, epoch=lambda: 0):
        self.processor = processor
        self.count_audio = count_audio
        self.augment, self.epoch = augment, epoch

    def __call__(self, rows: list[dict]) -> dict:
        audio = [row["audio"] for row in rows]
        if self.augment:
            audio = self.augment([str(row["id"]) for row in rows], audio, self.epoch())
        batch = featurize(self.processor.feature_extractor, audio)
        labels = self.processor.tokenizer.pad(
            {"input_ids": [row["labels"] for row in rows]}, padding=True, return_tensors="pt"
        )
        batch["labels"] = labels["input_ids"].masked_fill(labels["attention_mask"].ne(1), -100)
        if self.count_audio:
            batch[AUDIO_SAMPLES] = torch.tensor(sum(len(a) for a in audio))
        return batch


def ctc_collator_for(built: BuiltModel, augment: Augmenter | None):
    return lambda epoch: CTCCollator(
        built.processor, count_audio=True, augment=augment, epoch=epoch
    )


def batch_generator(seed: int, epoch: int, rows: list[dict]) -> np.random.Generator:
    """A collator's random draws for one batch, from (seed, epoch, the batch's row ids): the same
    under --resume whatever the data loader fetched ahead of the checkpoint (accelerate's loader
    collates the next batch before the step ends)."""
    ids = zlib.crc32("\n".join(str(row["id"]) for row in rows).encode())
    return np.random.default_rng([seed, epoch, ids])


@contextmanager
def numpy_drawing_from(generator: np.random.Generator):
    """numpy's global generator seeded from ``generator`` for the block, then restored: for
    library functions that draw from the global one (transformers' mask sampling)."""
    state = np.random.get_state()
    np.random.seed(int(generator.integers(2**32)))
    try:
        yield
    finally:
        np.random.set_state(state)


def augmenter(settings: TrainSettings) -> Augmenter | None:
    if not settings.augment:
        return None
    return Augmenter(
        tuple(settings.augment),
        settings.seed,
        settings.speed_factors,
        settings.noise_snr_db,
        settings.reverb_rt60,
    )


class TrainingBudget(TrainerCallback, ExportableState):
    """Stops training when the step or time budget is spent. Its state (the time spent) is saved
    in every checkpoint, so that --resume counts it."""

    def __init__(self, max_steps: int | None = None, max_seconds: float | None = None):
        self.max_steps, self.max_seconds = max_steps, max_seconds
        self.seconds_before = 0.0  # spent in earlier runs of a resumed training
        self.started = time.monotonic()

    def on_train_begin(self, args, state, control, **kwargs):
        self.started = time.monotonic()

    def elapsed(self) -> float:
        return self.seconds_before + time.monotonic() - self.started

    def progress(self, step: int) -> float:
        done = [step / self.max_steps] if self.max_steps else []
        if self.max_seconds:
            done.append(self.elapsed() / self.max_seconds)
        return min(max(done), 1.0)

    def on_step_end(self, args, state, control, **kwargs):
        if _any_process(self.progress(state.global_step) >= 1.0):
            control.should_training_stop = True
            control.should_save = True

    def state(self) -> dict:
        return {
            "args": {"max_steps": self.max_steps, "max_seconds": self.max_seconds},
            "attributes": {"seconds_before": self.elapsed()},
        }


def _any_process(flag: bool) -> bool:
    """True if ``flag`` is true in any process of a distributed run: the processes' clocks
    differ, and one that stops alone leaves the others waiting in their next all-reduce."""
    if not (torch.distributed.is_available() and torch.distributed.is_initialized()):
        return flag
    value = torch.tensor(float(flag))
    torch.distributed.all_reduce(value, op=torch.distributed.ReduceOp.MAX)
    return bool(value.item())


class PeriodicEvaluation(TrainerCallback):
    """WER and CER on the validation split every N steps, into the log history (and so into
    asrzoo.json and the training curve). It decodes batch by batch and keeps only the texts: the
    Trainer's own evaluation would gather every batch's logits (frames x vocabulary), which a
    character vocabulary of thousands (Chinese) makes gigabytes."""

    def __init__(self, built: BuiltModel, validation_split, every: int):
        self.built, self.validation, self.every = built, validation_split, every

    def on_step_end(self, args, state, control, **kwargs):
        if state.global_step % self.every or not state.is_world_process_zero:
            return
        from asrzoo.scoring.evaluation import evaluate_split

        metrics = evaluate_split(self.built, self.validation)["metrics"]
        self.built.model.train()
        entry = {"step": state.global_step, "eval_wer": metrics["wer"], "eval_cer": metrics["cer"]}
        state.log_history.append(entry)


class TrainingProgress(TrainerCallback):
    """A progress bar over the budget with the latest loss on a terminal; elsewhere (a log, CI)
    a plain line every $ASRZOO_LOG_EVERY seconds (30): step, loss, audio seconds per second,
    time left."""

    def __init__(self, budget: TrainingBudget, trainer: BudgetTrainer):
        self.budget, self.trainer = budget, trainer
        self.every = float(os.environ.get("ASRZOO_LOG_EVERY", 30))
        self.bar = progress()
        self.task = None
        self.loss = None
        self.last_line = time.monotonic()

    def on_train_begin(self, args, state, control, **kwargs):
        self.bar.start()
        self.task = self.bar.add_task("training", total=100)
        self.last_line = time.monotonic()

    def on_step_end(self, args, state, control, **kwargs):
        done = self.budget.progress(state.global_step)
        self.bar.update(self.task, completed=100 * done)
        if self.bar.disable and state.is_world_process_zero:
            if time.monotonic() - self.last_line >= self.every:
                self.last_line = time.monotonic()
                console.stderr.print(self.line(state.global_step, done), highlight=False)

    def line(self, step: int, done: float) -> str:
        spent = self.budget.elapsed()
        rate = self.trainer.audio_seconds * self.trainer.args.world_size / max(spent, 1e-9)
        left = spent * (1 - done) / done if done > 0 else float("nan")
        loss = f"{self.loss:.3f}" if self.loss is not None else "-"
        return (
            f"step {step}  loss {loss}  {rate:.1f} audio-s/s  {100 * done:.0f}% done,"
            f" {left / 60:.1f} min left"
        )

    def on_log(self, args, state, control, logs=None, **kwargs):
        if logs and "loss" in logs:
            self.loss = logs["loss"]
            self.bar.update(
                self.task, description=f"training step {state.global_step} loss {logs['loss']:.3f}"
            )

    def on_train_end(self, args, state, control, **kwargs):
        self.bar.stop()


class BudgetTrainer(Trainer):
    """The Trainer under a step or time budget, with whole-folder checkpoints and a schedule
    that follows the budget; it counts the real audio it trains on."""

    def __init__(self, *args, budget: TrainingBudget, batch_sampler=None, **kwargs):
        super().__init__(*args, callbacks=[budget], **kwargs)
        self.budget = budget
        self.batch_sampler = batch_sampler
        self.audio_seconds = 0.0  # real audio trained on by this process, in this run

    def notes(self) -> dict:
        return {}

    def training_step(self, model, inputs, *args, **kwargs):
        samples = inputs.pop(AUDIO_SAMPLES, None)
        if samples is not None:
            self.audio_seconds += float(samples) / SAMPLING_RATE
        return super().training_step(model, inputs, *args, **kwargs)

    def get_train_dataloader(self) -> DataLoader:
        if self.batch_sampler is None:
            return super().get_train_dataloader()
        loader = DataLoader(
            self.train_dataset,
            batch_sampler=self.batch_sampler,
            collate_fn=self.data_collator,
            num_workers=self.args.dataloader_num_workers,
            pin_memory=self.args.dataloader_pin_memory,
        )
        return self.accelerator.prepare(loader)

    def _get_output_dir(self, trial) -> str:
        if self.args.world_size > 1:
            return self.args.output_dir
        return os.path.join(self.args.output_dir, STAGING)

    def _save_checkpoint(self, model, trial) -> None:
        """Write the checkpoint into a staging folder, then rename it into place whole: a run
        killed while saving leaves no half-written checkpoint for --resume to trip on.
        (Processes of a distributed run write into one folder together: they save in place.)"""
        if self.args.world_size > 1:
            return super()._save_checkpoint(model, trial)
        staging = Path(self.args.output_dir, STAGING)
        shutil.rmtree(staging, ignore_errors=True)
        super()._save_checkpoint(model, trial)
        (written,) = staging.iterdir()
        os.replace(written, Path(self.args.output_dir, written.name))
        staging.rmdir()
        rotate_checkpoints(
            output_dir=self.args.output_dir, save_total_limit=self.args.save_total_limit
        )

    def create_scheduler(self, num_training_steps, optimizer=None):
        if self.lr_scheduler is None:
            self.lr_scheduler = torch.optim.lr_scheduler.LambdaLR(
                optimizer or self.optimizer, self.lr_factor
            )
        return self.lr_scheduler

    def lr_factor(self, step: int) -> float:
        warmup = self.args.warmup_steps
        ramp = min(1.0, (step + 1) / warmup) if warmup else 1.0
        cosine = 0.5 * (1 + math.cos(math.pi * self.budget.progress(step)))
        return ramp * (FINAL_LR_FRACTION + (1 - FINAL_LR_FRACTION) * cosine)


def check_resumable(checkpoint: Path, config) -> None:
    """The run being resumed predicts what this one would: the same languages in the same
    order (a LID model's labels), the same characters (a recognizer's vocabulary)."""
    saved = type(config).from_pretrained(checkpoint)  # with the defaults config.json leaves out
    labels, saved_labels = ([c.id2label[i] for i in sorted(c.id2label)] for c in (config, saved))
    if saved_labels != labels:
        raise UserError(
            f"--resume: {checkpoint} was trained for {', '.join(saved_labels)}, not "
            f"{', '.join(labels)}: give the run's own --languages, in its order"
        )
    if saved.vocab_size != config.vocab_size:
        raise UserError(
            f"--resume: {checkpoint} has a vocabulary of {saved.vocab_size} characters, "
            f"this run {config.vocab_size}: resume with the run's own language and dataset"
        )


def training_arguments(
    settings: TrainSettings, hp: dict, device: torch.device
) -> TrainingArguments:
    dtype = autocast_dtype(device)
    return TrainingArguments(
        output_dir=str(settings.output_dir / CHECKPOINTS),
        # the budget callback stops the run; Trainer only needs an upper bound
        max_steps=settings.max_steps or 10**9,
        per_device_train_batch_size=hp["batch_size"],
        gradient_accumulation_steps=hp["gradient_accumulation_steps"],
        **{CHECKPOINTING: hp["gradient_checkpointing"]},
        learning_rate=hp["learning_rate"],
        weight_decay=hp["weight_decay"],
        adam_beta2=hp["adam_beta2"],
        warmup_steps=hp["warmup_steps"],
        max_grad_norm=1.0,
        bf16=dtype == torch.bfloat16,
        fp16=dtype == torch.float16,
        use_cpu=device.type == "cpu",
        train_sampling_strategy="group_by_length",
        length_column_name="input_length",
        remove_unused_columns=False,
        ddp_find_unused_parameters=False,  # every parameter that trains is used in every step
        dataloader_num_workers=2 if device.type == "cuda" else 0,
        eval_strategy="no",
        save_strategy="steps",
        save_steps=settings.save_steps,
        save_total_limit=2,
        logging_steps=settings.logging_steps,
        report_to=settings.report_to,  # TensorBoard writes into checkpoints/runs/
        disable_tqdm=True,
        seed=settings.seed,
        data_seed=settings.seed,
    )


def batch_seconds_for(settings: TrainSettings, hp: dict, device: torch.device) -> float | None:
    """Padded audio per batch: --max-batch-seconds, else the preset's (``max_batch_seconds``,
    for a CPU; 4x that on a GPU), unless rows were asked for (--batch-size)."""
    if settings.max_batch_seconds:
        return settings.max_batch_seconds
    if "batch_size" in (settings.hyperparameters or {}) or not hp.get("max_batch_seconds"):
        return None
    return hp["max_batch_seconds"] * (4 if device.type == "cuda" else 1)


@dataclass
class TrainResult:
    steps: int
    seconds: float
    audio_seconds: float  # real audio seen by the model in this run, all processes
    log_history: list[dict]
    notes: dict  # what the trainer found worth recording (pretraining: a codebook collapse)


def train(
    built: BuiltModel,
    train_split,
    settings: TrainSettings,
    hp: dict,
    validation_split=None,
    collator_for=None,
    trainer_class: Callable[..., BudgetTrainer] = BudgetTrainer,
) -> TrainResult:
    """Train ``built`` (a CTC model, or with ``collator_for`` and ``trainer_class`` any model
    whose inputs the collator makes) on ``train_split`` within the settings' budget.
    ``collator_for(epoch)`` makes the collator; ``epoch()`` says which epoch is being drawn."""
    hp = resolve_hyperparameters(hp)
    device = best_device()
    # the blog's advice: the CNN is already well trained (w2v-BERT has none: it reads mel frames)
    if built.pretrained and hasattr(built.model, "freeze_feature_encoder"):
        built.model.freeze_feature_encoder()
    if collator_for is None:
        built.check_frame_rate(train_split)
    budget = TrainingBudget(settings.max_steps, settings.max_minutes and settings.max_minutes * 60)
    checkpoint = None
    if settings.resume:
        folder = settings.output_dir / CHECKPOINTS
        checkpoint = get_last_checkpoint(str(folder)) if folder.is_dir() else None
        if checkpoint is None:
            raise UserError(f"nothing to resume: no checkpoint in {folder}")
        check_resumable(Path(checkpoint), built.model.config)
        # the new limits stand; only the time already spent carries over
        state = json.loads((Path(checkpoint) / "trainer_state.json").read_text())
        budget.seconds_before = state["stateful_callbacks"]["TrainingBudget"]["attributes"][
            "seconds_before"
        ]
    batch_sampler = None
    batch_seconds = batch_seconds_for(settings, hp, device)
    augment = augmenter(settings)
    if batch_seconds:
        lengths = train_split["input_length"]
        if augment:  # packed by the lengths the model will see: a slowed clip pads its batch
            ids = train_split["id"]
            lengths = [augment.length(str(i), n) for i, n in zip(ids, lengths, strict=True)]
        if settings.max_batch_seconds and max(lengths) > batch_seconds * SAMPLING_RATE:
            raise UserError(
                f"--max-batch-seconds {batch_seconds} is shorter than the longest "
                f"training clip ({max(lengths) / SAMPLING_RATE:.1f} s)"
            )
        max_samples = int(batch_seconds * SAMPLING_RATE)
        sorta_grad = hp.get("sorta_grad", False)
        batch_sampler = DurationBatchSampler(lengths, max_samples, settings.seed, sorta_grad)
    trainer = trainer_class(
        model=built.model,
        args=training_arguments(settings, hp, device),
        # numpy rows: 10x cheaper to collate than the Python lists Arrow gives by default
        train_dataset=train_split.with_format("numpy"),
        data_collator=(collator_for or ctc_collator_for(built, augment))(
            lambda: batch_sampler.epoch if batch_sampler else 0
        ),
        processing_class=built.feature_extractor,
        budget=budget,
        batch_sampler=batch_sampler,
    )
    trainer.remove_callback(PrinterCallback)
    trainer.remove_callback(ProgressCallback)
    trainer.add_callback(TrainingProgress(budget, trainer))
    if settings.eval_steps and validation_split is not None and len(validation_split):
        trainer.add_callback(PeriodicEvaluation(built, validation_split, settings.eval_steps))
    trainer.train(resume_from_checkpoint=checkpoint)
    steps = trainer.state.global_step
    return TrainResult(
        steps=steps,
        seconds=budget.elapsed(),
        audio_seconds=trainer.audio_seconds * trainer.args.world_size,
        log_history=trainer.state.log_history,
        notes=trainer.notes(),
    )
