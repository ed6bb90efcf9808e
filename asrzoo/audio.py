"""Decode audio to 16 kHz mono float32 with soundfile and soxr (no torchaudio, no torchcodec)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import soundfile
import soxr

SAMPLING_RATE = 16_000  # what every wav2vec2-family model hears


class AudioError(Exception):
    """Why a clip cannot be used: a short reason for the report's summary, and a detail."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason} ({detail})" if detail else reason)
        self.reason, self.detail = reason, detail


def to_pcm16(samples: np.ndarray) -> np.ndarray:
    """16-bit PCM, the form nearly every corpus ships its audio in: half the disk of float32."""
    return (np.clip(samples, -1.0, 32767 / 32768) * 32768).astype(np.int16)


def from_pcm16(samples: np.ndarray) -> np.ndarray:
    return np.asarray(samples, dtype=np.float32) / 32768


def read_audio(source: str | Path | bytes, sampling_rate: int) -> np.ndarray:
    """Decode a file path or encoded bytes; downmix to mono; resample to ``sampling_rate``."""
    return decode_audio(source, sampling_rate)[0]


def decode_audio(
    source: str | Path | bytes, sampling_rate: int, span: tuple[float, float] | None = None
) -> tuple[np.ndarray, list[str]]:
    """As read_audio, for the whole file or the ``span`` (start, end) in seconds; also says what
    was converted ("downmixed 2 channels", "resampled from 8000 Hz")."""
    if isinstance(source, (str, Path)) and not os.path.isfile(source):
        raise AudioError("missing file")
    handle = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        with soundfile.SoundFile(handle) as audio:
            rate = audio.samplerate
            if span is not None:
                start, end = (round(seconds * rate) for seconds in span)
                if not 0 <= start < end <= audio.frames:
                    raise AudioError(
                        "segment outside the file",
                        f"{span[0]}-{span[1]} s of {audio.frames / rate:.2f} s",
                    )
                audio.seek(start)
            frames = -1 if span is None else end - start
            samples = audio.read(frames, dtype="float32", always_2d=True)
    except AudioError:
        raise
    except Exception as error:  # libsndfile's errors for corrupt or unknown formats vary widely
        raise AudioError("unreadable audio", str(error).splitlines()[0]) from error
    converted = []
    if samples.shape[1] > 1:
        converted.append(f"downmixed {samples.shape[1]} channels")
        samples = samples.mean(axis=1)
    else:
        samples = samples[:, 0]
    if samples.size == 0:
        raise AudioError("empty audio")
    if not np.isfinite(samples).all():
        raise AudioError("NaN or infinite samples")
    if not samples.any():
        raise AudioError("silent audio (all samples zero)")
    if rate != sampling_rate:
        converted.append(f"resampled from {rate} Hz")
        samples = soxr.resample(samples, rate, sampling_rate, quality="HQ")
    return np.ascontiguousarray(samples, dtype=np.float32), converted
