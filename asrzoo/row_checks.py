"""The work done on one row, in data-preparation worker processes: decode, check, normalize,
label. It imports nothing heavy (no torch, no transformers), so workers start fast."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from asrzoo.audio import SAMPLING_RATE, AudioError, decode_audio, to_pcm16
from asrzoo.plugin_objects import AudioRow, Normalizer, Vocabulary


@dataclass(frozen=True)
class PrepareOptions:
    min_seconds: float = 0.3
    max_seconds: float = 20.0
    unknown_chars: str = "drop"  # or "unk": map characters outside the alphabet to [UNK]
    # worker processes; None: one per CPU, or none for a small corpus. The output does not
    # depend on it, so it is no part of the cache key.
    num_proc: int | None = None

    def cache_key(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k != "num_proc"}


class RowRejected(Exception):
    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.reason, self.detail = reason, detail


@dataclass(frozen=True)
class PreparedRow:
    record: dict  # the columns of the prepared dataset
    converted: list[str]  # what was done to the audio to make it usable: downmix, resample


@dataclass(frozen=True)
class RowPreparer:
    """Turns one row into a PreparedRow, or raises RowRejected with the reason."""

    normalizer: Normalizer
    vocabulary: Vocabulary
    options: PrepareOptions

    def __call__(self, row: AudioRow) -> PreparedRow:
        if row.problem:
            raise RowRejected(row.problem)
        text = self.normalizer(row.text)
        if not text:
            raise RowRejected("empty transcript after normalization")
        unknown = self.vocabulary.out_of_alphabet(text)
        if unknown and self.options.unknown_chars == "drop":
            raise RowRejected("characters outside the alphabet", " ".join(sorted(unknown)))
        try:
            audio, converted = decode_audio(row.audio, SAMPLING_RATE, row.span)
        except AudioError as error:
            raise RowRejected(error.reason, error.detail) from error
        seconds = len(audio) / SAMPLING_RATE
        if seconds < self.options.min_seconds:
            raise RowRejected("too short", f"{seconds:.2f} s < {self.options.min_seconds} s")
        if seconds > self.options.max_seconds:
            raise RowRejected("too long", f"{seconds:.1f} s > {self.options.max_seconds} s")
        record = {
            "id": row.id,
            "text": text,
            "speaker": row.speaker or "",
            "seconds": seconds,
            "audio": to_pcm16(audio),
            "input_length": len(audio),
            "labels": self.vocabulary.encode(text),
        }
        return PreparedRow(record, converted)

    def try_rows(self, rows: list[AudioRow]) -> list[PreparedRow | RowRejected]:
        """Every row's outcome, in order: a chunk of work for one worker."""
        outcomes: list[PreparedRow | RowRejected] = []
        for row in rows:
            try:
                outcomes.append(self(row))
            except RowRejected as why:
                outcomes.append(why)
        return outcomes
