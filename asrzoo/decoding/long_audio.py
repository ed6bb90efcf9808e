"""Audio of any length: overlapping windows read from the file a batch at a time, so memory
depends on the batch and not on the file; CTC scores stitched at the windows' middles; word
timestamps from the CTC frames; subtitles."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import soundfile
import soxr

from asrzoo.data.audio import SAMPLING_RATE, AudioError
from asrzoo.decoding.inference import log_probs

WINDOW_SECONDS = 20.0  # what the model sees at once
CONTEXT_SECONDS = 2.0  # seen on each side of a window's kept middle, then dropped
CUE_SECONDS, CUE_CHARACTERS = 6.0, 42  # a subtitle's longest duration and line


@dataclass(frozen=True)
class Window:
    read_start: int  # samples of the file, at its own rate
    read_end: int
    keep_start: int
    keep_end: int


def windows(frames: int, rate: int) -> list[Window]:
    """Windows that cover ``frames`` samples; each keeps its middle, and neighbours overlap by
    the context on both sides, so no kept sample lacks context (but the file's own edges)."""
    keep = int((WINDOW_SECONDS - 2 * CONTEXT_SECONDS) * rate)
    context = int(CONTEXT_SECONDS * rate)
    found = []
    for start in range(0, frames, keep):
        end = min(start + keep, frames)
        found.append(Window(max(0, start - context), min(frames, end + context), start, end))
    return found


def _read(audio: soundfile.SoundFile, window: Window) -> np.ndarray:
    """One window's samples; a file corrupt or cut short further in is an AudioError here."""
    try:
        audio.seek(window.read_start)
        samples = audio.read(window.read_end - window.read_start, dtype="float32", always_2d=True)
    except Exception as error:  # libsndfile's errors vary widely
        raise AudioError("unreadable audio", str(error).splitlines()[0]) from error
    if not np.isfinite(samples).all():
        raise AudioError("NaN or infinite samples")
    mono = samples.mean(axis=1)
    if audio.samplerate != SAMPLING_RATE:
        mono = soxr.resample(mono, audio.samplerate, SAMPLING_RATE, quality="HQ")
    return np.ascontiguousarray(mono, dtype=np.float32)


def long_log_probs(built, path: str, batch_size: int, device) -> np.ndarray:
    """CTC log-probabilities (frames x tokens) of a whole file, window by window."""
    try:
        audio = soundfile.SoundFile(path)
    except Exception as error:  # libsndfile's errors vary widely
        raise AudioError("unreadable audio", str(error).splitlines()[0]) from error
    frames_per_second = SAMPLING_RATE / built.model.config.inputs_to_logits_ratio
    kept = []
    with audio:
        plan = windows(audio.frames, audio.samplerate)
        for first in range(0, len(plan), batch_size):
            batch = plan[first : first + batch_size]
            scores = log_probs(built, [_read(audio, w) for w in batch], device)
            for window, score in zip(batch, scores, strict=True):
                start = round((window.keep_start - window.read_start) / audio.samplerate
                              * frames_per_second)  # fmt: skip
                length = round((window.keep_end - window.keep_start) / audio.samplerate
                               * frames_per_second)  # fmt: skip
                kept.append(score[start : start + length])
    empty = np.zeros((0, built.model.config.vocab_size), np.float32)
    return np.concatenate(kept) if kept else empty


def greedy_words(tokenizer, scores: np.ndarray, seconds_per_frame: float) -> tuple[str, list[dict]]:
    """The greedy transcript, and each of its words with its start and end in seconds (CTC
    frames), from one decoding."""
    decoded = tokenizer.decode(scores.argmax(-1), output_word_offsets=True)
    words = [
        {
            "word": w["word"],
            "start": round(w["start_offset"] * seconds_per_frame, 2),
            "end": round(w["end_offset"] * seconds_per_frame, 2),
        }
        for w in decoded.word_offsets
    ]
    return decoded.text, words


def srt(words: list[dict]) -> str:
    """SubRip subtitles: words grouped into cues of at most CUE_SECONDS and CUE_CHARACTERS."""
    cues: list[list[dict]] = []
    for word in words:
        cue = cues[-1] if cues else None
        text = " ".join(w["word"] for w in cue + [word]) if cue else word["word"]
        if cue and word["end"] - cue[0]["start"] <= CUE_SECONDS and len(text) <= CUE_CHARACTERS:
            cue.append(word)
        else:
            cues.append([word])

    def clock(seconds: float) -> str:
        milliseconds = round(seconds * 1000)
        hours, rest = divmod(milliseconds, 3_600_000)
        minutes, rest = divmod(rest, 60_000)
        return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d},{rest % 1000:03d}"

    blocks = [
        f"{n}\n{clock(cue[0]['start'])} --> {clock(cue[-1]['end'])}\n"
        + " ".join(w["word"] for w in cue)
        for n, cue in enumerate(cues, start=1)
    ]
    return "\n\n".join(blocks) + ("\n" if blocks else "")
