"""The work done on rows in data-preparation worker processes: decode, check, normalize, label,
and pack the kept rows of a chunk into one Arrow table. It imports nothing heavy (no torch, no
transformers, no datasets), so workers start fast."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import pyarrow as pa

from asrzoo.data.audio import SAMPLING_RATE, AudioError, decode_audio, to_pcm16
from asrzoo.data.options import PrepareOptions
from asrzoo.plugin.objects import AudioRow, Normalizer, NormalizerFailed, Vocabulary

SCHEMA = pa.schema(
    {
        "id": pa.string(),
        "text": pa.string(),
        "speaker": pa.string(),
        "seconds": pa.float32(),
        "audio": pa.list_(pa.int16()),  # 16 kHz mono 16-bit PCM
        "input_length": pa.int32(),  # in samples
        "labels": pa.list_(pa.int32()),
        # CTC needs a frame per label plus a blank between repeated labels: the frames a model
        # must give this clip, checked per model when it trains or is scored (asrzoo.data.prepare)
        "frames_needed": pa.int32(),
    }
)


class RowRejected(Exception):
    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.reason, self.detail = reason, detail


@dataclass(frozen=True)
class Chunk:
    """What a worker returns for a chunk of rows."""

    outcomes: list[RowRejected | list[str]]  # per row: why it was dropped, or what was converted
    table: pa.Table  # the kept rows, in order


@dataclass(frozen=True)
class RowPreparer:
    normalizer: Normalizer
    vocabulary: Vocabulary
    options: PrepareOptions

    def __call__(self, row: AudioRow) -> tuple[dict, list[str]]:
        """The row's prepared columns and what was converted, or RowRejected with the reason."""
        if row.problem:
            raise RowRejected(row.problem)
        try:
            text = self.normalizer(row.text) if self.options.transcripts else ""
        except NormalizerFailed as error:
            raise RowRejected("the normalizer failed", str(error)) from error
        if self.options.transcripts and not text:
            raise RowRejected("empty transcript after normalization")
        unknown = self.vocabulary.out_of_alphabet(text)
        if unknown and self.options.unknown_chars == "drop":
            raise RowRejected("characters outside the alphabet", " ".join(sorted(unknown)))
        try:
            audio, converted = decode_audio(
                row.audio, SAMPLING_RATE, row.span, self.options.max_seconds
            )
        except AudioError as error:
            raise RowRejected(error.reason, error.detail) from error
        seconds = len(audio) / SAMPLING_RATE
        if seconds < self.options.min_seconds:
            raise RowRejected("too short", f"{seconds:.2f} s < {self.options.min_seconds} s")
        if seconds > self.options.max_seconds:
            raise RowRejected("too long", f"{seconds:.1f} s > {self.options.max_seconds} s")
        labels = self.vocabulary.encode(text)
        columns = {
            "id": row.id,
            "text": text,
            "speaker": row.speaker or "",
            "seconds": seconds,
            "audio": to_pcm16(audio),
            "input_length": len(audio),
            "labels": np.asarray(labels, dtype=np.int32),
            "frames_needed": len(labels) + sum(a == b for a, b in pairwise(labels)),
        }
        return columns, converted

    def prepare_chunk(self, rows: list[AudioRow]) -> Chunk:
        outcomes: list[RowRejected | list[str]] = []
        kept: list[dict] = []
        for row in rows:
            try:
                columns, converted = self(row)
            except RowRejected as why:
                outcomes.append(why)
                continue
            outcomes.append(converted)
            kept.append(columns)
        return Chunk(outcomes, _table(kept))


def _table(rows: list[dict]) -> pa.Table:
    """One Arrow table of prepared rows; the arrays go in whole, not element by element."""

    def lists(name: str, kind: pa.DataType) -> pa.ListArray:
        arrays = [row[name] for row in rows]
        offsets = np.concatenate([[0], np.cumsum([len(a) for a in arrays])]).astype(np.int32)
        values = np.concatenate(arrays) if arrays else np.zeros(0, kind.to_pandas_dtype())
        return pa.ListArray.from_arrays(pa.array(offsets), pa.array(values, type=kind))

    columns = {
        name: pa.array([row[name] for row in rows], type=SCHEMA.field(name).type)
        for name in ("id", "text", "speaker", "seconds", "input_length", "frames_needed")
    }
    columns["audio"] = lists("audio", pa.int16())
    columns["labels"] = lists("labels", pa.int32())
    return pa.table({name: columns[name] for name in SCHEMA.names}, schema=SCHEMA)
