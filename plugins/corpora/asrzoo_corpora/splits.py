"""Custom splits for corpora that ship without them: by speaker, so no voice is in two splits."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from asrzoo import UserError


def fractions(options: Mapping) -> tuple[float, float]:
    """(validation, test) fractions of the speakers, from ``-O validation_fraction=`` and
    ``-O test_fraction=`` (default 0.05 each)."""
    try:
        validation = float(options.get("validation_fraction", 0.05))
        test = float(options.get("test_fraction", 0.05))
    except ValueError as error:
        raise UserError(f"a split fraction is not a number: {error}") from error
    if validation < 0 or test < 0 or validation + test >= 1:
        raise UserError("validation_fraction and test_fraction must be >= 0 and sum below 1")
    return validation, test


def speaker_split(speaker: str, validation: float, test: float) -> str:
    """The split of every utterance of ``speaker``: a stable hash decides, so the assignment
    does not change when the corpus grows or rows are filtered."""
    position = int(hashlib.sha256(speaker.encode()).hexdigest()[:8], 16) / 0x1_0000_0000
    if position < test:
        return "test"
    if position < test + validation:
        return "validation"
    return "train"
