"""The row filters of data preparation, apart from the preparation itself so that the command
line and a cache hit need nothing heavy."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from asrzoo.errors import UserError


@dataclass(frozen=True)
class PrepareOptions:
    min_seconds: float = 0.3
    max_seconds: float = 20.0
    unknown_chars: str = "drop"  # or "unk": map characters outside the alphabet to [UNK]
    # worker processes; None: one per CPU, or none for a small corpus. The output does not
    # depend on it, so it is no part of the cache key.
    num_proc: int | None = None
    # False (pretraining, language identification): audio only, rows need no transcript
    transcripts: bool = True

    def __post_init__(self):
        if not 0 <= self.min_seconds < self.max_seconds:
            raise UserError(
                f"--min-seconds {self.min_seconds} and --max-seconds {self.max_seconds}: give"
                " 0 <= min < max"
            )

    def cache_key(self) -> dict:
        key = {k: v for k, v in asdict(self).items() if k != "num_proc"}
        if self.transcripts:  # the key of data prepared before the option existed
            del key["transcripts"]
        return key
