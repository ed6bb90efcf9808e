"""Training speed: asrzoo's loop versus the seed blog's recipe, same data and model, in one run.

    python bench/train_speed.py [--minutes 0.5] [--renders 1] [--repeats 1] [--json]
        [--asrzoo-args "--max-batch-seconds 60"]

Both sides train the `tiny` preset's model (random init under the same seed) on the same
synthetic corpus (`registry.loader(LANG, "synthetic")`, its train split) for the same wall time,
then are scored on its validation split by the same greedy decoding (asrzoo's evaluate_split).

- asrzoo: `asrzoo train LANG --dataset synthetic -O renders=R --model tiny --max-minutes M`
  (run in-process; `--asrzoo-args` are appended to that command line).
- the seed blog (blog-fine-tune-xlsr-wav2vec2.md), written here: `datasets.map(prepare_dataset,
  num_proc=4)` storing each row's `input_values` (float32 lists) and `labels`; the blog's
  DataCollatorCTCWithPadding (`processor.pad`, -100 for label padding); `Trainer` with
  length-grouped batches of 16, 2 accumulation steps, gradient checkpointing, AdamW at 3e-4
  with a linear schedule and 15 % warm-up (the blog's 500 of ~3,300 steps), fp16 on CUDA and
  fp32 on CPU. Its planned steps (the end of its linear schedule) are what fit in M minutes,
  measured on a few untimed steps first; it stops at those steps or at M minutes. Like the
  blog's, its dataset has no length column: the Trainer reads every row to sort by length (in
  its start-up time).

Measured on each side, identically: the wall time of `Trainer.train()`, the seconds before its
first batch (start-up), the real (unpadded) audio its model trained on (counted in the model's
forward), the padding, the peak memory, and the validation WER/CER. Data preparation is timed
once, separately (bench/prepare_speed.py compares it properly). Each training runs in a fresh
process; with --repeats the runs are interleaved and the fastest of each side is shown. The
defaults are a smoke run (a few minutes); `--minutes 10` or more is needed for WERs that say
anything (a random-init model sits on the blank-only plateau for its first ~150-200 updates).

Heavy imports are inside functions: worker processes re-import this script.
"""

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

BLOG_BATCH_SIZE = 16
BLOG_ACCUMULATION = 2
BLOG_LEARNING_RATE = 3e-4
# the blog warms up for 500 of its ~3,300 planned steps (30 epochs of ~3,500 clips, 32 a step)
BLOG_WARMUP_FRACTION = 0.15
BLOG_EPOCHS = 30
BLOG_NUM_PROC = 4


# --- the seed blog's recipe ---------------------------------------------------------------------


def blog_prepare(rows, processor, normalizer, cache_file: str):
    """The blog's preparation: one datasets.map over (audio path, sentence) rows. Its Audio
    column cannot decode here (no torchcodec), so the map decodes with soundfile and resamples
    with soxr, as asrzoo does; the text goes through asrzoo's normalizer, so both sides train
    on the same labels."""
    import datasets
    import soundfile
    import soxr

    def prepare_dataset(batch):
        samples, rate = soundfile.read(batch["path"], dtype="float32")
        audio = soxr.resample(samples, rate, 16_000, quality="HQ")
        batch["input_values"] = processor(audio, sampling_rate=16_000).input_values[0]
        batch["labels"] = processor(text=normalizer(batch["sentence"])).input_ids
        return batch

    table = datasets.Dataset.from_dict(
        {"path": [str(row.audio) for row in rows], "sentence": [row.text for row in rows]}
    )
    return table.map(
        prepare_dataset,
        remove_columns=table.column_names,
        num_proc=BLOG_NUM_PROC,
        cache_file_name=cache_file,
    )


def blog_collator(processor):
    """The blog's DataCollatorCTCWithPadding: inputs and labels padded separately."""

    def collate(features):
        inputs = [{"input_values": f["input_values"]} for f in features]
        labels = [{"input_ids": f["labels"]} for f in features]
        batch = processor.pad(inputs, padding=True, return_tensors="pt")
        # transformers 5 has no as_target_processor(): labels= sends them to the tokenizer
        padded = processor.pad(labels=labels, padding=True, return_tensors="pt")
        batch["labels"] = padded["input_ids"].masked_fill(padded["attention_mask"].ne(1), -100)
        return batch

    return collate


def seconds_per_step(model, collate, dataset, lengths, seed: int, steps: int) -> float:
    """One optimizer step of the blog's recipe, timed on a copy of the model over windows of
    length-sorted rows (what length-grouped batches look like), after one untimed step."""
    import copy
    import random

    import numpy as np
    import torch

    model = copy.deepcopy(model)
    model.gradient_checkpointing_enable()
    model.train()
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model.to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=BLOG_LEARNING_RATE)
    order = np.argsort(lengths, kind="stable").tolist()
    rows = BLOG_BATCH_SIZE * BLOG_ACCUMULATION
    rng = random.Random(seed)
    times = []
    for _ in range(steps + 1):
        start_row = rng.randrange(max(1, len(order) - rows))
        window = order[start_row : start_row + rows]
        started = time.perf_counter()
        for first in range(0, len(window), BLOG_BATCH_SIZE):
            batch = collate([dataset[i] for i in window[first : first + BLOG_BATCH_SIZE]])
            batch = {k: v.to(device) for k, v in batch.items()}
            with torch.autocast("cuda", torch.float16, enabled=device.type == "cuda"):
                loss = model(**batch).loss / BLOG_ACCUMULATION
            loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad()
        times.append(time.perf_counter() - started)
    return sum(times[1:]) / steps


def train_blog_way(spec: dict) -> dict:
    import datasets
    import torch
    from transformers import Trainer, TrainerCallback, TrainingArguments, set_seed

    from asrzoo.models.build import build_model
    from asrzoo.plugin.registry import Registry
    from asrzoo.scoring.evaluation import evaluate_split
    from asrzoo.training.loop import CHECKPOINTING

    registry = Registry()
    set_seed(spec["seed"])  # as train_model does: the same random init on both sides
    built = build_model("tiny", registry.vocabulary(spec["language"]), registry)
    # map with num_proc writes a shard per process; it hands back their concatenation too
    shards = [datasets.Dataset.from_file(path) for path in spec["blog_train"]]
    train = datasets.concatenate_datasets(shards)
    lengths = datasets.Dataset.from_file(spec["asrzoo_train"])["input_length"]
    collate = blog_collator(built.processor)
    steps_per_epoch = -(-len(train) // (BLOG_BATCH_SIZE * BLOG_ACCUMULATION))
    step_seconds = None
    planned = spec["blog_max_steps"]
    if not planned:
        step_seconds = seconds_per_step(
            built.model, collate, train, lengths, spec["seed"], spec["calibration_steps"]
        )
        planned = max(1, round(spec["minutes"] * 60 / step_seconds))
    planned = min(planned, BLOG_EPOCHS * steps_per_epoch)  # the blog trains 30 epochs at most

    class StopAfter(TrainerCallback):
        """The bench's wall-time budget (the blog has none), from the same point as asrzoo's."""

        def on_train_begin(self, args, state, control, **kwargs):
            self.started = time.monotonic()

        def on_step_end(self, args, state, control, **kwargs):
            if time.monotonic() - self.started >= spec["minutes"] * 60:
                control.should_training_stop = True

    cuda = torch.cuda.is_available()
    args = TrainingArguments(
        output_dir=str(Path(spec["output_dir"]) / "checkpoints"),
        train_sampling_strategy="group_by_length",  # the blog's group_by_length=True
        per_device_train_batch_size=BLOG_BATCH_SIZE,
        gradient_accumulation_steps=BLOG_ACCUMULATION,
        **{CHECKPOINTING: True},  # the blog's gradient_checkpointing=True
        eval_strategy="no",  # both models are scored once, after training, the same way
        max_steps=planned,
        fp16=cuda,  # the blog's fp16=True needs a GPU
        save_steps=400,
        logging_steps=400,
        learning_rate=BLOG_LEARNING_RATE,
        warmup_steps=BLOG_WARMUP_FRACTION,
        save_total_limit=2,
        report_to="none",
        disable_tqdm=True,
        seed=spec["seed"],
        data_seed=spec["seed"],
    )
    trainer = Trainer(
        model=built.model,
        data_collator=collate,
        args=args,
        train_dataset=train,
        processing_class=built.processor.feature_extractor,  # the blog's tokenizer=
        callbacks=[StopAfter()],
    )
    trainer.train()
    validation = datasets.Dataset.from_file(spec["asrzoo_validation"])
    metrics = evaluate_split(built, validation)["metrics"]
    return {
        "precision": "fp16" if cuda else "fp32",
        "batch": f"{BLOG_BATCH_SIZE} x {BLOG_ACCUMULATION} accumulated",
        "planned_steps": planned,
        "calibrated_step_seconds": step_seconds,
        "wer": metrics["wer"],
        "cer": metrics["cer"],
    }


# --- asrzoo --------------------------------------------------------------------------------------


def train_asrzoo_way(spec: dict) -> dict:
    from asrzoo.cli import main

    sys.argv = [
        "asrzoo",
        "train",
        spec["language"],
        "--dataset",
        "synthetic",
        "-O",
        f"renders={spec['renders']}",
        "--model",
        "tiny",
        "--max-minutes",
        str(spec["minutes"]),
        "--seed",
        str(spec["seed"]),
        "--output-dir",
        spec["output_dir"],
        *shlex.split(spec["asrzoo_args"]),
    ]
    main()
    record = json.loads((Path(spec["output_dir"]) / "asrzoo.json").read_text("utf-8"))
    hp = record["hyperparameters"]
    from asrzoo.models.devices import autocast_dtype, best_device

    dtype = autocast_dtype(best_device())
    return {
        "precision": {None: "fp32"}.get(dtype, str(dtype).removeprefix("torch.")),
        "batch": _asrzoo_batch(spec["asrzoo_args"], hp),
        "wer": record["metrics"]["validation"]["wer"],
        "cer": record["metrics"]["validation"]["cer"],
    }


def _asrzoo_batch(asrzoo_args: str, hp: dict) -> str:
    words = shlex.split(asrzoo_args)
    if "--max-batch-seconds" in words:
        return f"{words[words.index('--max-batch-seconds') + 1]} s of audio"
    if "--batch-size" in words or not hp.get("max_batch_seconds"):
        return str(hp["batch_size"])
    return f"{hp['max_batch_seconds']} s of audio"


# --- the measurement, the same on both sides -----------------------------------------------------


def install_meter(meter: dict) -> None:
    """Time Trainer.train() and count the audio the model trains on inside it, in its forward:
    exact for any batching, and blind to batches collated but never trained on."""
    import functools

    import transformers

    train = transformers.Trainer.train

    @functools.wraps(train)
    def timed_train(self, *args, **kwargs):
        started = time.perf_counter()
        meter["train_called"], meter["training"] = started, True
        try:
            return train(self, *args, **kwargs)
        finally:
            meter["train_seconds"] = time.perf_counter() - started
            meter["steps"] = self.state.global_step
            meter["training"] = False

    forward = transformers.Wav2Vec2ForCTC.forward

    @functools.wraps(forward)  # Trainer reads the model's columns from this signature
    def counted_forward(self, input_values=None, attention_mask=None, **kwargs):
        if meter.get("training") and self.training and input_values is not None:
            meter.setdefault("first_batch", time.perf_counter())
            padded = input_values.numel()
            real = int(attention_mask.sum()) if attention_mask is not None else padded
            meter["audio_samples"] = meter.get("audio_samples", 0) + real
            meter["padded_samples"] = meter.get("padded_samples", 0) + padded
            meter["forwards"] = meter.get("forwards", 0) + 1
        return forward(self, input_values, attention_mask=attention_mask, **kwargs)

    transformers.Trainer.train = timed_train
    transformers.Wav2Vec2ForCTC.forward = counted_forward


def install_accuracy_checks(meter: dict, spec: dict) -> None:
    """Time to accuracy: every ``check_seconds`` of training, the validation CER by the same
    greedy decoding on both sides (asrzoo's evaluate_split); the first training time (checks
    excluded) at which each target is reached; training stops when all are, or at the cap."""
    import datasets
    import transformers

    from asrzoo.models.build import build_model
    from asrzoo.plugin.registry import Registry
    from asrzoo.scoring.evaluation import evaluate_split

    registry = Registry()
    tiny = build_model("tiny", registry.vocabulary(spec["language"]), registry)
    validation = datasets.Dataset.from_file(spec["asrzoo_validation"])
    targets = sorted(spec["cer_targets"], reverse=True)

    class AccuracyChecks(transformers.TrainerCallback):
        def on_train_begin(self, args, state, control, **kwargs):
            self.started, self.checking, self.next_check = time.monotonic(), 0.0, 0.0
            meter["checks"], meter["reached"] = [], {}

        def on_step_end(self, args, state, control, model=None, **kwargs):
            trained = time.monotonic() - self.started - self.checking
            if trained < self.next_check:
                return
            began = time.monotonic()
            cer = evaluate_split(replace(tiny, model=model), validation)["metrics"]["cer"]
            model.train()
            self.checking += time.monotonic() - began
            self.next_check = trained + spec["check_seconds"]
            meter["checks"].append({"seconds": trained, "step": state.global_step, "cer": cer})
            for target in targets:
                if cer <= target:
                    meter["reached"].setdefault(str(target), trained)
            if len(meter["reached"]) == len(targets):
                control.should_training_stop = True

    original = transformers.Trainer.train

    def train_with_checks(self, *args, **kwargs):
        self.add_callback(AccuracyChecks())
        return original(self, *args, **kwargs)

    transformers.Trainer.train = train_with_checks


def child(spec: dict) -> None:
    """One training run, in its own process: its memory and threads are its own."""
    import resource

    meter: dict = {}
    if spec.get("cer_targets"):
        install_accuracy_checks(meter, spec)
    install_meter(meter)
    side = train_asrzoo_way if spec["side"] == "asrzoo" else train_blog_way
    result = side(spec)
    audio_seconds = meter["audio_samples"] / 16_000
    result.update(
        side=spec["side"],
        steps=meter["steps"],
        train_seconds=meter["train_seconds"],
        startup_seconds=meter["first_batch"] - meter["train_called"],
        audio_hours=audio_seconds / 3600,
        audio_per_second=audio_seconds / meter["train_seconds"],
        padding=1 - meter["audio_samples"] / meter["padded_samples"],
        peak_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        reached=meter.get("reached", {}),
        checks=meter.get("checks", []),
    )
    Path(spec["result"]).write_text(json.dumps(result), "utf-8")


def run_child(spec: dict) -> dict:
    # the child's stdout goes to our stderr, so that --json owns stdout
    subprocess.run(
        [sys.executable, __file__, "--child", json.dumps(spec)], stdout=sys.stderr, check=True
    )
    return json.loads(Path(spec["result"]).read_text("utf-8"))


# --- the bench -----------------------------------------------------------------------------------


def prepare_both(args, home: Path) -> tuple[dict, dict]:
    """Synthesize (untimed), prepare for asrzoo and the blog's way (each timed); returns the
    files the runs read and what preparation cost."""
    import datasets

    from asrzoo.data.prepare import prepare
    from asrzoo.models.build import build_model
    from asrzoo.plugin.registry import Registry

    datasets.disable_progress_bars()
    registry = Registry()
    built = build_model("tiny", registry.vocabulary(args.language), registry)
    options = {"renders": str(args.renders)}  # a string, as `-O renders=R` gives it
    language = registry.language(args.language)
    loader, loader_options = registry.loader(args.language, "synthetic")
    rows = loader.load(language, {**loader_options, **options})  # synthesis: untimed

    started = time.perf_counter()
    data = prepare(registry, args.language, "synthetic", dataset_options=options)
    asrzoo_seconds = time.perf_counter() - started
    train = data.splits["train"]
    # the same rows in the same order: those asrzoo kept (its checks may drop some)
    by_id = {row.id: row for row in rows["train"]}
    blog_rows = [by_id[i] for i in train["id"]]
    started = time.perf_counter()
    blog = blog_prepare(
        blog_rows, built.processor, registry.normalizer(args.language), str(home / "blog.arrow")
    )
    blog_seconds = time.perf_counter() - started
    if blog[:20]["labels"] != [list(labels) for labels in train[:20]["labels"]]:
        sys.exit("the blog's labels differ from asrzoo's: the two would not learn the same task")

    hours = {name: sum(split["seconds"]) / 3600 for name, split in data.splits.items()}
    files = {
        "asrzoo_train": str(data.folder / "train.arrow"),
        "asrzoo_validation": str(data.folder / "validation.arrow"),
        "blog_train": [f["filename"] for f in blog.cache_files],
    }
    corpus = {
        "train_clips": len(train),
        "train_hours": hours["train"],
        "validation_clips": len(data.splits["validation"]),
        "dropped_rows": len(data.dropped),
        "preparation": {
            "asrzoo": {"seconds": asrzoo_seconds, "hours": sum(hours.values())},
            "blog": {"seconds": blog_seconds, "hours": hours["train"], "num_proc": BLOG_NUM_PROC},
        },
    }
    return files, corpus


def print_table(report: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    ours, blog = report["best"]["asrzoo"], report["best"]["blog"]
    corpus = report["corpus"]
    title = (
        f"{report['minutes']} min of training each, {corpus['train_clips']} training clips"
        f" ({corpus['train_hours']:.2f} h), {report['cpus']} CPUs, best of {report['repeats']}"
    )
    table = Table("", "asrzoo", "seed blog", title=title)
    rows = [
        ("precision", "{precision}"),
        ("batch", "{batch}"),
        ("optimizer steps", "{steps}"),
        ("Trainer.train() wall s", "{train_seconds:.1f}"),
        ("  of which start-up s", "{startup_seconds:.1f}"),
        ("audio hours trained on", "{audio_hours:.3f}"),
        ("audio s per wall s", "{audio_per_second:.1f}"),
        ("padding", "{padding:.1%}"),
        ("peak memory MiB", "{peak_mib:.0f}"),
        ("validation WER", "{wer:.4f}"),
        ("validation CER", "{cer:.4f}"),
    ]
    for name, cell in rows:
        table.add_row(name, cell.format(**ours), cell.format(**blog))
    console = Console()
    console.print(table)
    if blog.get("planned_steps"):
        console.print(f"seed blog: linear schedule planned over {blog['planned_steps']} steps")
    console.print(f"ratio (audio s per wall s): [bold]{report['ratio']:.2f}x[/]")
    for target in report.get("cer_targets", []):
        times = [side["reached"].get(str(target)) for side in (ours, blog)]
        shown = [
            f"{t:.0f} s" if t is not None else f"not in {report['minutes']} min" for t in times
        ]
        ratio = ""
        if times[0] is not None:
            slower = times[1] if times[1] is not None else report["minutes"] * 60
            ratio = f": {'' if times[1] is not None else '>'}{slower / times[0]:.1f}x sooner"
        console.print(
            f"time to validation CER {target}: asrzoo {shown[0]}, seed blog {shown[1]}{ratio}"
        )
    prep = corpus["preparation"]
    console.print(
        "data preparation (untimed above; see bench/prepare_speed.py):"
        f" asrzoo {prep['asrzoo']['hours']:.2f} h in {prep['asrzoo']['seconds']:.1f} s,"
        f" the blog's map {prep['blog']['hours']:.2f} h in {prep['blog']['seconds']:.1f} s"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", default="tr")
    parser.add_argument("--minutes", type=float, default=0.5, help="training time of each side")
    parser.add_argument("--renders", type=int, default=1, help="synthetic renders per sentence")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeats", type=int, default=1, help="interleaved runs of each side")
    parser.add_argument(
        "--asrzoo-args",
        default="",
        help='appended to `asrzoo train`, e.g. "--max-batch-seconds 60"',
    )
    parser.add_argument(
        "--blog-max-steps", type=int, help="the blog's planned steps [default: measured]"
    )
    parser.add_argument(
        "--calibration-steps", type=int, default=2, help="untimed steps that plan the blog's"
    )
    parser.add_argument(
        "--cer-targets",
        help="time to accuracy: validation CERs to reach, e.g. 0.30,0.15 (--minutes is the cap)",
    )
    parser.add_argument(
        "--check-seconds", type=float, default=20, help="training time between CER checks"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(json.loads(args.child))

    from asrzoo.data.parallel import available_cpus

    with tempfile.TemporaryDirectory(prefix="asrzoo-bench-") as folder:
        home = Path(folder)
        # a fresh home: the corpus is synthesized (untimed) and asrzoo's cache starts empty
        os.environ["ASRZOO_HOME"] = str(home)
        files, corpus = prepare_both(args, home)
        runs = []
        for repeat in range(args.repeats):  # interleaved, so a slow spell hits both sides
            for side in ("asrzoo", "blog"):
                spec = {
                    **files,
                    "side": side,
                    "language": args.language,
                    "renders": args.renders,
                    "minutes": args.minutes,
                    "seed": args.seed,
                    "asrzoo_args": args.asrzoo_args,
                    "blog_max_steps": args.blog_max_steps,
                    "calibration_steps": args.calibration_steps,
                    "cer_targets": [float(t) for t in (args.cer_targets or "").split(",") if t],
                    "check_seconds": args.check_seconds,
                    "output_dir": str(home / f"{side}-{repeat}"),
                    "result": str(home / f"{side}-{repeat}.json"),
                }
                runs.append(run_child(spec))

    best = {
        side: max((r for r in runs if r["side"] == side), key=lambda r: r["audio_per_second"])
        for side in ("asrzoo", "blog")
    }
    report = {
        "minutes": args.minutes,
        "repeats": args.repeats,
        "seed": args.seed,
        "asrzoo_args": args.asrzoo_args,
        "cer_targets": [float(t) for t in (args.cer_targets or "").split(",") if t],
        "cpus": available_cpus(),
        "corpus": corpus,
        "runs": runs,
        "best": best,
        "ratio": best["asrzoo"]["audio_per_second"] / best["blog"]["audio_per_second"],
    }
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        print_table(report)


if __name__ == "__main__":
    main()
