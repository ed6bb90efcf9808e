"""Batched greedy CTC decoding that looks only at each utterance's real frames."""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import torch
from transformers import Wav2Vec2FeatureExtractor

from asrzoo.data.audio import from_pcm16
from asrzoo.models.devices import autocast_dtype
from asrzoo.models.recipes import DECODE_BATCH_SIZE


def batches_by_length(lengths: Sequence[int], batch_size: int) -> Iterator[list[int]]:
    """Indices sorted by length, cut into batches: little padding, so little wasted compute."""
    order = np.argsort(lengths, kind="stable")
    for start in range(0, len(order), batch_size):
        yield order[start : start + batch_size].tolist()


def featurize(feature_extractor, arrays: list[np.ndarray]) -> dict[str, torch.Tensor]:
    """Model inputs for a batch of 16 kHz waveforms (float, or 16-bit PCM as prepared data holds
    them), in training and inference alike: what its feature extractor makes of them (the
    waveform, mel frames, ...), with the attention mask where the model takes one."""
    floats = [from_pcm16(a) if _is_pcm(a) else np.asarray(a, np.float32) for a in arrays]
    if (
        type(feature_extractor) is Wav2Vec2FeatureExtractor
        and feature_extractor.padding_side == "right"
    ):
        inputs = _waveform_batch(feature_extractor, floats)
    else:
        inputs = dict(
            feature_extractor(
                floats,
                sampling_rate=feature_extractor.sampling_rate,
                padding=True,
                # with the mask, each clip is normalized over its own samples, not the padding
                return_attention_mask=True,
                return_tensors="pt",
            )
        )
    if not feature_extractor.return_attention_mask:  # group-norm models were trained without one
        del inputs["attention_mask"]
    return inputs


def _waveform_batch(feature_extractor, floats: list[np.ndarray]) -> dict[str, torch.Tensor]:
    """What Wav2Vec2FeatureExtractor returns for ``floats`` (each clip normalized over its own
    samples, padded on the right), in one allocation: its generic padding copies each clip
    several times, a tenth of a tiny model's transcription time."""
    longest = max(len(a) for a in floats)
    values = np.full((len(floats), longest), feature_extractor.padding_value, np.float32)
    mask = np.zeros((len(floats), longest), np.int32)
    for row, clip in enumerate(floats):
        if feature_extractor.do_normalize:
            clip = (clip - clip.mean()) / np.sqrt(clip.var() + 1e-7)
        values[row, : len(clip)] = clip
        mask[row, : len(clip)] = 1
    (name, mask_name) = feature_extractor.model_input_names
    return {name: torch.from_numpy(values), mask_name: torch.from_numpy(mask)}


def _is_pcm(array: np.ndarray) -> bool:
    # datasets' numpy format widens the stored int16 to int64
    return np.issubdtype(array.dtype, np.integer)


@torch.inference_mode()
def log_probs(built, arrays: list[np.ndarray], device: torch.device) -> list[np.ndarray]:
    """Per-utterance CTC log-probabilities (frames x tokens) of one batch of 16 kHz waveforms,
    cut to each utterance's real frames: padded frames still produce logits, and left in they
    leak characters into the text. ``built``: a BuiltModel."""
    sample_lengths = torch.tensor([len(array) for array in arrays])
    features = featurize(built.processor.feature_extractor, arrays)
    inputs = {k: v.to(device) for k, v in features.items()}
    dtype = autocast_dtype(device)
    autocast = (
        torch.autocast(device.type, dtype=dtype) if dtype is not None else contextlib.nullcontext()
    )
    with autocast:
        logits = built.model(**inputs).logits
    scores = torch.log_softmax(logits.float(), dim=-1).cpu().numpy()
    frame_lengths = built.ctc_frames(sample_lengths).tolist()
    # a clip shorter than the first convolution has no frame (the arithmetic says -1)
    return [scores[i, : max(frames, 0)] for i, frames in enumerate(frame_lengths)]


def greedy_texts(tokenizer, scores: list[np.ndarray]) -> list[str]:
    return tokenizer.batch_decode([s.argmax(-1) for s in scores])


def cpu_streams(device: torch.device) -> int:
    """How many batches a CPU scores at once, each on its share of the threads: two. A small
    model's batch keeps two threads poorly busy (the tiny model, 2 cores, batches of 8 × 3 s:
    torch 64 ms a batch on two streams of one thread against 123 ms on one of two; ONNX int8 23
    against 36 ms)."""
    return 2 if device.type == "cpu" and torch.get_num_threads() >= 2 else 1


def scored_batches(
    built, lengths: Sequence[int], fetch: Callable[[list[int]], list], batch_size: int
) -> Iterator[tuple[list[int], list[np.ndarray]]]:
    """(indices, log-probabilities) for length-sorted batches of items ``0..len(lengths)-1``;
    ``fetch(indices)`` returns their waveforms, so a large set is read batch by batch. On a CPU,
    batches are scored by cpu_streams() threads at once (torch and ONNX Runtime release the
    GIL), while this one reads the next and the caller decodes the last."""
    device = built.model.device  # a transformers model's, or the ONNX backend's
    built.model.eval()
    streams = cpu_streams(device)
    if streams == 1:
        for batch in batches_by_length(lengths, batch_size):
            yield batch, log_probs(built, fetch(batch), device)
        return
    threads = torch.get_num_threads()
    torch.set_num_threads(threads // streams)  # the streams' threads start with this many
    try:
        with ThreadPoolExecutor(streams) as pool:
            in_flight: deque = deque()
            for batch in batches_by_length(lengths, batch_size):
                in_flight.append((batch, pool.submit(log_probs, built, fetch(batch), device)))
                if len(in_flight) > streams:
                    done, scores = in_flight.popleft()
                    yield done, scores.result()
            for done, scores in in_flight:
                yield done, scores.result()
    finally:
        torch.set_num_threads(threads)


@dataclass
class Transcripts:
    greedy: list[str]
    lm: list[str] | None = None  # with an LMDecoder


def transcribe(
    built,
    lengths: Sequence[int],
    fetch: Callable[[list[int]], list],
    batch_size: int = DECODE_BATCH_SIZE,
    on_batch: Callable[[int], None] | None = None,
    lm=None,
) -> Transcripts:
    """Transcribe items ``0..len(lengths)-1`` (see scored_batches). With ``lm`` (an
    asrzoo.decoding.lm.LMDecoder), each batch is decoded greedily and with the LM alike."""
    result = Transcripts([""] * len(lengths), [""] * len(lengths) if lm else None)
    for batch, scores in scored_batches(built, lengths, fetch, batch_size):
        tokenizer = built.processor.tokenizer
        for index, text in zip(batch, greedy_texts(tokenizer, scores), strict=True):
            result.greedy[index] = text
        if lm:
            for index, text in zip(batch, lm.decode(scores), strict=True):
                result.lm[index] = text
        if on_batch:
            on_batch(len(batch))
    return result
