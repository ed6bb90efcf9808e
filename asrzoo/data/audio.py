"""Decode audio to 16 kHz mono float32 with soundfile and soxr (no torchaudio, no torchcodec)."""

from __future__ import annotations

import io
import os
import stat
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


# shorter, a clip gives a model no frame at all (wav2vec2's first convolution spans 25 ms)
MIN_CLIP_SECONDS = 0.1


def read_clip(path: str | Path) -> np.ndarray:
    """A 16 kHz clip to transcribe or identify: one too short to give a frame is an error."""
    samples = read_audio(path, SAMPLING_RATE)
    if len(samples) < MIN_CLIP_SECONDS * SAMPLING_RATE:
        seconds = len(samples) / SAMPLING_RATE
        raise AudioError("too short", f"{seconds:.3f} s < {MIN_CLIP_SECONDS} s")
    return samples


def _check_file(path: str | Path) -> None:
    """A regular file, or the reason it is not: a folder, a FIFO or a device is no audio file
    (and a FIFO would block a reader forever), a broken or looping link names nothing."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError as error:
        kind = "broken symlink" if os.path.islink(path) else "missing file"
        raise AudioError(kind) from error
    except OSError as error:  # a symlink loop (ELOOP), a permission denied, a name too long
        raise AudioError("unreadable path", error.strerror or str(error)) from error
    if stat.S_ISDIR(mode):
        raise AudioError("a folder, not an audio file")
    if not stat.S_ISREG(mode):
        raise AudioError("not a regular file", "a FIFO, socket or device")


def decode_audio(
    source: str | Path | bytes,
    sampling_rate: int,
    span: tuple[float, float] | None = None,
    max_seconds: float | None = None,
) -> tuple[np.ndarray, list[str]]:
    """As read_audio, for the whole file or the ``span`` (start, end) in seconds; also says what
    was converted ("downmixed 2 channels", "resampled from 8000 Hz"). A clip longer than
    ``max_seconds`` is refused from its header, before it is decoded."""
    if isinstance(source, (str, Path)):
        _check_file(source)
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
            frames = audio.frames if span is None else end - start
            if max_seconds is not None and 0 < audio.frames and frames > max_seconds * rate:
                raise AudioError("too long", f"{frames / rate:.1f} s > {max_seconds} s")
            samples = audio.read(-1 if span is None else frames, dtype="float32", always_2d=True)
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
