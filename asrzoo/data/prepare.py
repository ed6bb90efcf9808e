"""From a loader's rows to cached Arrow datasets, and a report of every dropped row.

In worker processes (asrzoo.data.row_checks): decode (soundfile) -> mono -> resample (soxr) -> check
-> normalize text -> check alphabet -> label -> Arrow table.
Here: the tables are written in order, and the dropped rows collected for the report.
Rows stream through: neither the corpus nor its audio is ever held in memory whole. Features are
computed per batch at training time, so one prepared corpus serves every 16 kHz model; the one
check that depends on the model, labels against its CTC frames, is a cheap filter applied when
a model trains or is scored (``for_model``).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from asrzoo import paths
from asrzoo.console import progress
from asrzoo.data.options import PrepareOptions
from asrzoo.data.parallel import available_cpus, process_alive
from asrzoo.errors import UserError
from asrzoo.plugin.objects import AudioRow

if TYPE_CHECKING:
    import datasets

__all__ = ["PrepareOptions", "PreparedData", "for_model", "prepare"]

FORMAT_VERSION = "3"  # bump when the prepared columns change
CHUNK = 32  # rows per unit of work sent to a worker
PARALLEL_FROM = 256  # rows; fewer are prepared faster than worker processes start


@dataclass(frozen=True)
class DroppedRow:
    source: str
    split: str
    row: str
    reason: str  # short and fixed, so that a summary can count them
    detail: str = ""


@dataclass
class PreparedData:
    splits: Mapping[str, datasets.Dataset]
    dropped: list[DroppedRow]
    folder: Path
    from_cache: bool
    source: dict = field(default_factory=dict)  # what the loader says about its data
    converted: dict[str, int] = field(default_factory=dict)  # "resampled from 8000 Hz": rows

    def reasons(self) -> Counter:
        return Counter(d.reason for d in self.dropped)

    def summary(self) -> dict:
        if isinstance(self.splits, ArrowSplits):  # as written beside the data, unread
            kept, hours = self.splits.kept, self.splits.hours
        else:
            kept = {name: len(split) for name, split in self.splits.items()}
            hours = {
                name: round(sum(split["seconds"]) / 3600, 4) for name, split in self.splits.items()
            }
        return {
            "folder": str(self.folder),
            "from_cache": self.from_cache,
            "source": self.source,
            "kept": kept,
            "hours": hours,
            "converted": self.converted,
            "dropped": [asdict(d) for d in self.dropped],
            "dropped_by_reason": dict(self.reasons()),
        }


def _hash_rows(digest, rows_by_split) -> dict[str, int]:
    """Add every row's text and file (or bytes) to ``digest``; returns the rows per split."""
    counts = {}
    for split, rows in sorted(rows_by_split.items()):
        counts[split] = 0
        for row in rows:
            counts[split] += 1
            value = [split, row.id, row.text, row.speaker, row.problem]
            if isinstance(row.audio, bytes):
                value.append(hashlib.sha256(row.audio).hexdigest())
            elif row.audio and os.path.isfile(row.audio):
                stat = os.stat(row.audio)
                value += [str(row.audio), stat.st_size, stat.st_mtime_ns]
            else:
                value.append(str(row.audio))
            digest.update(json.dumps(value, ensure_ascii=False, default=str).encode())
    return counts


def fingerprint(loader, language, options, normalizer, vocabulary, prep):
    """A key that changes when anything that shapes the prepared rows changes, and only then;
    the number of rows per split where counting them was part of the work; and the rows read
    for it (None where the loader fingerprints itself)."""
    digest = hashlib.sha256()

    def add(value):
        digest.update(json.dumps(value, sort_keys=True, default=str, ensure_ascii=False).encode())

    add([FORMAT_VERSION, loader.name, options, normalizer.id, normalizer.version])
    add([vocabulary.token_to_id(), prep.cache_key()])
    if loader.fingerprint is not None:
        add(loader.fingerprint(language, options))
        return digest.hexdigest()[:16], {}, None
    rows = _load_rows(loader, language, options)
    counts = _hash_rows(digest, rows)
    return digest.hexdigest()[:16], counts, rows


def prepare(
    registry,
    language_code: str,
    dataset: str,
    options: PrepareOptions | None = None,
    dataset_options: dict | None = None,
) -> PreparedData:
    """Prepare every split of ``dataset`` for any model; ``dataset_options`` go to its loader."""
    options = options or PrepareOptions()
    language = registry.language(language_code)
    normalizer = registry.normalizer(language_code)
    vocabulary = registry.vocabulary(language_code)
    loader, loader_options = registry.loader(language_code, dataset)
    loader_options = {**loader_options, **(dataset_options or {})}
    source = {"loader": loader.name, **loader.describe(language, loader_options)}
    key, counts, read = fingerprint(
        loader, language, loader_options, normalizer, vocabulary, options
    )
    folder = paths.data_dir() / "prepared" / language_code / f"{loader.name}-{key}"
    if folder.is_dir():
        return _load(folder, from_cache=True)

    num_proc = options.num_proc
    if num_proc is None:
        small = bool(counts) and sum(counts.values()) < PARALLEL_FROM
        num_proc = 1 if small else min(available_cpus(), 8)
    staging = folder.with_name(folder.name + f".tmp{os.getpid()}")
    _remove_abandoned_staging(folder)
    staging.mkdir(parents=True)
    dropped: list[DroppedRow] = []
    converted: Counter = Counter()
    # what only a cache miss needs: a cache hit imports neither numpy, pyarrow nor datasets
    from datasets.arrow_writer import ArrowWriter

    from asrzoo.data.parallel import ChunkPool
    from asrzoo.data.row_checks import RowPreparer, RowRejected

    preparer = RowPreparer(normalizer, vocabulary, options)
    try:
        # the fingerprint's rows, unless hashing used them up (streams): read them once more
        reusable = read is not None and all(isinstance(r, list) for r in read.values())
        loaded = read if reusable else _load_rows(loader, language, loader_options)
        for split, row, reason, detail in held_out_overlaps(loaded):
            dropped.append(DroppedRow(loader.name, split, row.id, reason, detail))
        with progress() as bar, ChunkPool(preparer.prepare_chunk, num_proc) as pool:
            for split, rows in loaded.items():
                total = _len(rows) if _len(rows) is not None else counts.get(split)
                task = bar.add_task(f"preparing {split}", total=total)
                path = str(staging / f"{split}.arrow")
                with ArrowWriter(features=_features(), path=path) as writer:
                    for rows_done, chunk in pool.map(rows, CHUNK):
                        for row, outcome in zip(rows_done, chunk.outcomes, strict=True):
                            if isinstance(outcome, RowRejected):
                                why = (outcome.reason, outcome.detail)
                                dropped.append(DroppedRow(loader.name, split, row.id, *why))
                            else:
                                converted.update(outcome)
                        writer.write_table(chunk.table)
                        bar.advance(task, len(rows_done))
                    writer.finalize()
        _write_report(staging / "dropped.tsv", dropped)
        about = {
            "source": source,
            "converted": dict(converted.most_common()),
            "kept": {p.stem: _rows_and_hours(p) for p in sorted(staging.glob("*.arrow"))},
        }
        (staging / "summary.json").write_text(json.dumps(about, ensure_ascii=False, indent=1))
    except BaseException:  # interrupted or failed: leave nothing half-written behind
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        staging.rename(folder)  # a prepared folder is either complete or absent
    except OSError:
        if not folder.is_dir():
            raise
        # another process prepared the same data first: theirs is as good as ours
        shutil.rmtree(staging, ignore_errors=True)
        return _load(folder, from_cache=True)
    return _load(folder, from_cache=False)


def for_model(data: PreparedData, built) -> PreparedData:
    """``data`` without the rows that ``built`` (a BuiltModel) cannot learn or score: clips
    whose labels need more CTC frames than the model gives them. One lookup per row; each
    dropped row is reported like any other."""
    import numpy as np

    from asrzoo.data.audio import SAMPLING_RATE

    if built.processor.feature_extractor.sampling_rate != SAMPLING_RATE:
        raise UserError(f"asrzoo prepares {SAMPLING_RATE} Hz audio; this model wants another rate")
    columns = {
        name: split.with_format("numpy", columns=["input_length", "frames_needed"])[:]
        for name, split in data.splits.items()
    }
    lengths = [c["input_length"] for c in columns.values() if len(c["input_length"])]
    table = built.frame_table(max((int(a.max()) for a in lengths), default=0))
    splits, dropped = {}, list(data.dropped)
    for name, split in data.splits.items():
        frames = table[columns[name]["input_length"]]
        needed = columns[name]["frames_needed"]
        short = np.flatnonzero(needed > frames)
        if not len(short):
            splits[name] = split
            continue
        for index, row_id in zip(short, split.select(short)["id"], strict=True):
            detail = f"{needed[index]} > {frames[index]}"
            dropped.append(
                DroppedRow(data.source.get("loader", ""), name, row_id,
                           "more labels than CTC frames", detail)
            )  # fmt: skip
        splits[name] = split.select(np.flatnonzero(needed <= frames))
    return replace(data, splits=splits, dropped=dropped)


HELD_OUT = ("test", "validation")


def held_out_overlaps(splits: dict) -> list[tuple[str, AudioRow, str, str]]:
    """Remove from ``splits`` (in place; lists only, a stream is read once) every repeat of a
    clip within its split, and every training (or validation) row whose clip is also in a
    held-out split: a model tested on what it trained on gets a worthless score. Returns
    (split, row, reason, detail) for each row removed."""
    listed = [name for name, rows in splits.items() if isinstance(rows, list)]
    listed.sort(key=lambda name: HELD_OUT.index(name) if name in HELD_OUT else len(HELD_OUT))
    owner: dict = {}  # clip -> the first split that holds it, held-out splits first
    removed = []
    for name in listed:
        kept, seen = [], set()
        for row in splits[name]:
            # one file under two names (sub/../a.wav, a link) is one clip
            clip = (os.path.realpath(row.audio), row.span) if isinstance(row.audio, str) else None
            if clip is None or row.problem:
                kept.append(row)
                continue
            first = owner.setdefault(clip, name)
            if first != name:
                removed.append((name, row, f"audio also in the {first} split", row.audio))
            elif clip in seen:
                removed.append((name, row, "duplicate row", row.audio))
            else:
                seen.add(clip)
                kept.append(row)
        splits[name] = kept
    return removed


def _load_rows(loader, language, options) -> dict:
    """The loader's rows, checked as they are read: a loader that fails, or that gives anything
    but split names mapped to AudioRows, is one line naming it, not a traceback."""
    try:
        loaded = loader.load(language, options)
    except UserError:
        raise
    except Exception as error:
        raise UserError(f"dataset loader {loader.name!r} failed: {error!r}") from error
    if not isinstance(loaded, Mapping):
        raise UserError(
            f"dataset loader {loader.name!r} returned {type(loaded).__name__}, not a dict of"
            " split names (train, validation, test) to rows"
        )
    checked = {}
    for split, rows in loaded.items():
        if not isinstance(split, str):
            raise UserError(f"dataset loader {loader.name!r} named a split {split!r}, not text")
        paths.folder_name(split, f"dataset loader {loader.name!r}'s split")
        rows_read = _checked_rows(loader.name, split, rows)
        checked[split] = list(rows_read) if isinstance(rows, list) else rows_read
    return checked


def _checked_rows(name: str, split: str, rows):
    """``rows`` as the engine needs them: AudioRows with text ids (a number becomes text) and
    text transcripts (None is empty, anything else is reported); a loader failing midway is one
    line."""
    try:
        for row in rows:
            if not isinstance(row, AudioRow):
                raise UserError(
                    f"dataset loader {name!r} gave a {type(row).__name__} in its {split} split,"
                    " not an AudioRow"
                )
            if not isinstance(row.id, str):
                row = replace(row, id=str(row.id))
            if row.text is None:  # unlabelled audio, or a row the report will call empty
                row = replace(row, text="")
            elif not isinstance(row.text, str) and not row.problem:
                row = replace(row, text="", problem=f"transcript is a {type(row.text).__name__}")
            yield row
    except UserError:
        raise
    except Exception as error:
        raise UserError(
            f"dataset loader {name!r} failed while reading its {split} rows: {error!r}"
        ) from error


def _remove_abandoned_staging(folder: Path) -> None:
    """Staging folders of preparations whose process is gone (killed): ``<folder>.tmp<PID>``."""
    for staging in folder.parent.glob(f"{folder.name}.tmp*"):
        pid = staging.name.rsplit(".tmp", 1)[1]
        if pid.isdigit() and (int(pid) == os.getpid() or not process_alive(int(pid))):
            shutil.rmtree(staging, ignore_errors=True)


def _len(rows) -> int | None:
    try:
        return len(rows)
    except TypeError:  # a stream
        return None


def _write_report(path: Path, dropped: list[DroppedRow]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter="\t")
        writer.writerow(["source", "split", "row", "reason", "detail"])
        writer.writerows([d.source, d.split, d.row, d.reason, d.detail] for d in dropped)


@cache
def _features():
    import datasets

    from asrzoo.data.row_checks import SCHEMA

    return datasets.Features.from_arrow_schema(SCHEMA)


def _rows_and_hours(path: Path) -> list:
    import pyarrow as pa
    import pyarrow.compute as pc

    with pa.memory_map(str(path)) as source:
        table = pa.ipc.open_stream(source).read_all()
    seconds = pc.sum(table.column("seconds")).as_py() or 0.0
    return [table.num_rows, round(seconds / 3600, 4)]


class ArrowSplits(Mapping):
    """A prepared folder's splits, each read (memory-mapped, with the datasets library) when
    first asked for: a command that only reports on the data never imports datasets."""

    def __init__(self, folder: Path, counts: dict[str, list]):
        self.folder, self._read = folder, {}
        self.names = [p.stem for p in sorted(folder.glob("*.arrow"))]
        self.kept = {name: counts[name][0] for name in self.names}
        self.hours = {name: counts[name][1] for name in self.names}

    def __getitem__(self, name: str):
        if name not in self.names:
            raise KeyError(name)
        if name not in self._read:
            import datasets

            self._read[name] = datasets.Dataset.from_file(str(self.folder / f"{name}.arrow"))
        return self._read[name]

    def __iter__(self):
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


def _load(folder: Path, from_cache: bool) -> PreparedData:
    about = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    counts = about.get("kept") or {  # a folder prepared before they were noted
        p.stem: _rows_and_hours(p) for p in sorted(folder.glob("*.arrow"))
    }
    splits = ArrowSplits(folder, counts)
    with (folder / "dropped.tsv").open(encoding="utf-8") as handle:
        dropped = [DroppedRow(**r) for r in csv.DictReader(handle, delimiter="\t")]
    return PreparedData(splits, dropped, folder, from_cache, about["source"], about["converted"])
