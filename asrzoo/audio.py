"""Decode audio to 16 kHz mono float32 with soundfile and soxr (no torchaudio, no torchcodec)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import soundfile
import soxr


class AudioError(Exception):
    """Why a clip cannot be used: a short reason for the report's summary, and a detail."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason} ({detail})" if detail else reason)
        self.reason, self.detail = reason, detail


def read_audio(source: str | Path | bytes, sampling_rate: int) -> np.ndarray:
    """Decode a file path or encoded bytes; downmix to mono; resample to ``sampling_rate``."""
    if isinstance(source, (str, Path)) and not Path(source).is_file():
        raise AudioError("missing file")
    handle = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        samples, rate = soundfile.read(handle, dtype="float32", always_2d=True)
    except Exception as error:  # libsndfile's errors for corrupt or unknown formats vary widely
        raise AudioError("unreadable audio", str(error).splitlines()[0]) from error
    samples = samples.mean(axis=1) if samples.shape[1] > 1 else samples[:, 0]
    if samples.size == 0:
        raise AudioError("empty audio")
    if not np.isfinite(samples).all():
        raise AudioError("NaN or infinite samples")
    if not samples.any():
        raise AudioError("silent audio (all samples zero)")
    if rate != sampling_rate:
        samples = soxr.resample(samples, rate, sampling_rate, quality="HQ")
    return np.ascontiguousarray(samples, dtype=np.float32)
