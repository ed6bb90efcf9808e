"""From a loader's rows to featurized, cached Arrow datasets, and a report of every dropped row.

decode (soundfile) -> mono -> resample (soxr) -> check -> normalize text -> check alphabet
-> tokenize -> check CTC frames -> featurize with the model's feature extractor
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
from collections import Counter
from dataclasses import asdict, dataclass, field
from itertools import pairwise
from pathlib import Path

import datasets
from datasets.arrow_writer import ArrowWriter

from asrzoo import paths
from asrzoo.audio import AudioError, read_audio
from asrzoo.console import progress
from asrzoo.model_builder import SAMPLING_RATE, BuiltModel
from asrzoo.plugin_objects import AudioRow

FORMAT_VERSION = "1"  # bump when the prepared columns change
FEATURES = datasets.Features(
    {
        "id": datasets.Value("string"),
        "text": datasets.Value("string"),
        "speaker": datasets.Value("string"),
        "seconds": datasets.Value("float32"),
        "input_values": datasets.List(datasets.Value("float32")),
        "input_length": datasets.Value("int32"),
        "labels": datasets.List(datasets.Value("int32")),
    }
)


@dataclass(frozen=True)
class PrepareOptions:
    min_seconds: float = 0.3
    max_seconds: float = 20.0
    unknown_chars: str = "drop"  # or "unk": map characters outside the alphabet to [UNK]


@dataclass(frozen=True)
class DroppedRow:
    source: str
    split: str
    row: str
    reason: str  # short and fixed, so that a summary can count them
    detail: str = ""


@dataclass
class PreparedData:
    splits: dict[str, datasets.Dataset]
    dropped: list[DroppedRow]
    folder: Path
    from_cache: bool
    source: dict = field(default_factory=dict)  # what the loader says about its data

    def reasons(self) -> Counter:
        return Counter(d.reason for d in self.dropped)

    def summary(self) -> dict:
        return {
            "folder": str(self.folder),
            "from_cache": self.from_cache,
            "source": self.source,
            "kept": {name: len(split) for name, split in self.splits.items()},
            "hours": {
                name: round(sum(split["seconds"]) / 3600, 4) for name, split in self.splits.items()
            },
            "dropped": [asdict(d) for d in self.dropped],
            "dropped_by_reason": dict(self.reasons()),
        }


class RowRejected(Exception):
    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.reason, self.detail = reason, detail


class Featurizer:
    """Turns one row into the columns training needs, or raises RowRejected with the reason."""

    def __init__(self, normalizer, vocabulary, built: BuiltModel, options: PrepareOptions):
        self.normalizer = normalizer
        self.vocabulary = vocabulary
        self.built = built
        self.options = options
        self.tokenizer = built.processor.tokenizer
        self.feature_extractor = built.processor.feature_extractor

    def __call__(self, row: AudioRow) -> dict:
        if row.problem:
            raise RowRejected(row.problem)
        text = self.normalizer(row.text)
        if not text:
            raise RowRejected("empty transcript after normalization")
        unknown = self.vocabulary.out_of_alphabet(text)
        if unknown and self.options.unknown_chars == "drop":
            raise RowRejected("characters outside the alphabet", " ".join(sorted(unknown)))
        try:
            audio = read_audio(row.audio, SAMPLING_RATE)
        except AudioError as error:
            raise RowRejected(error.reason, error.detail) from error
        seconds = len(audio) / SAMPLING_RATE
        if seconds < self.options.min_seconds:
            raise RowRejected("too short", f"{seconds:.2f} s < {self.options.min_seconds} s")
        if seconds > self.options.max_seconds:
            raise RowRejected("too long", f"{seconds:.1f} s > {self.options.max_seconds} s")
        labels = self.tokenizer(text).input_ids
        # CTC needs a frame per label plus a blank between repeated labels
        needed = len(labels) + sum(a == b for a, b in pairwise(labels))
        frames = self.built.frames(len(audio))
        if needed > frames:
            raise RowRejected("more labels than CTC frames", f"{needed} > {frames}")
        features = self.feature_extractor(audio, sampling_rate=SAMPLING_RATE)
        input_values = features[self.feature_extractor.model_input_names[0]][0]
        return {
            "id": row.id,
            "text": text,
            "speaker": row.speaker or "",
            "seconds": seconds,
            "input_values": input_values,
            "input_length": len(audio),
            "labels": labels,
        }


def fingerprint(loader_name, options, rows_by_split, normalizer, vocabulary, built, prep) -> str:
    """Changes when anything that shapes the prepared rows changes, and only then."""
    digest = hashlib.sha256()

    def add(value):
        digest.update(json.dumps(value, sort_keys=True, default=str, ensure_ascii=False).encode())

    add([FORMAT_VERSION, loader_name, options, normalizer.id, normalizer.version])
    add([vocabulary.token_to_id(), asdict(prep)])
    add(built.processor.feature_extractor.to_dict())
    # the frame count decides the labels-vs-frames check; its values at a few lengths pin it
    add([built.frames(n) for n in (4_000, 16_000, 160_000)])
    for split, rows in sorted(rows_by_split.items()):
        for row in rows:
            add([split, row.id, row.text, row.speaker, row.problem])
            if isinstance(row.audio, bytes):
                digest.update(hashlib.sha256(row.audio).digest())
            elif row.audio and os.path.exists(row.audio):
                stat = os.stat(row.audio)
                add([str(row.audio), stat.st_size, stat.st_mtime_ns])
            else:
                add(str(row.audio))
    return digest.hexdigest()[:16]


def prepare(
    registry,
    language_code: str,
    dataset: str,
    built: BuiltModel,
    options: PrepareOptions | None = None,
    dataset_options: dict | None = None,
) -> PreparedData:
    """Prepare every split of ``dataset``; ``dataset_options`` go to its loader."""
    options = options or PrepareOptions()
    language = registry.language(language_code)
    normalizer = registry.normalizer(language_code)
    vocabulary = registry.vocabulary(language_code)
    loader, loader_options = registry.loader(language_code, dataset)
    loader_options = {**loader_options, **(dataset_options or {})}
    rows_by_split = {s: list(rows) for s, rows in loader.load(language, loader_options).items()}
    source = {"loader": loader.name, **loader.describe(language, loader_options)}
    key = fingerprint(
        loader.name, loader_options, rows_by_split, normalizer, vocabulary, built, options
    )
    folder = paths.data_dir() / "prepared" / language_code / f"{loader.name}-{key}"
    if folder.is_dir():
        return _load(folder, source, from_cache=True)

    featurize = Featurizer(normalizer, vocabulary, built, options)
    dropped: list[DroppedRow] = []
    staging = folder.with_name(folder.name + f".tmp{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with progress() as bar:
        for split, rows in rows_by_split.items():
            task = bar.add_task(f"preparing {split}", total=len(rows))
            # Arrow is written row by row, so a corpus never has to fit in memory.
            with ArrowWriter(features=FEATURES, path=str(staging / f"{split}.arrow")) as writer:
                for row in rows:
                    try:
                        writer.write(featurize(row))
                    except RowRejected as why:
                        dropped.append(
                            DroppedRow(loader.name, split, row.id, why.reason, why.detail)
                        )
                    bar.advance(task)
                writer.finalize()
    _write_report(staging / "dropped.tsv", dropped)
    (staging / "source.json").write_text(json.dumps(source, ensure_ascii=False, indent=1))
    staging.rename(folder)  # a prepared folder is either complete or absent
    return _load(folder, source, from_cache=False)


def _write_report(path: Path, dropped: list[DroppedRow]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter="\t")
        writer.writerow(["source", "split", "row", "reason", "detail"])
        writer.writerows([d.source, d.split, d.row, d.reason, d.detail] for d in dropped)


def _load(folder: Path, source: dict, from_cache: bool) -> PreparedData:
    splits = {p.stem: datasets.Dataset.from_file(str(p)) for p in sorted(folder.glob("*.arrow"))}
    with (folder / "dropped.tsv").open(encoding="utf-8") as handle:
        dropped = [DroppedRow(**r) for r in csv.DictReader(handle, delimiter="\t")]
    return PreparedData(splits, dropped, folder, from_cache, source)
