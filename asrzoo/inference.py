"""Batched greedy CTC decoding that looks only at each utterance's real frames."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence

import numpy as np
import torch

from asrzoo.audio import from_pcm16
from asrzoo.devices import autocast_dtype


def batches_by_length(lengths: Sequence[int], batch_size: int) -> Iterator[list[int]]:
    """Indices sorted by length, cut into batches: little padding, so little wasted compute."""
    order = np.argsort(lengths, kind="stable")
    for start in range(0, len(order), batch_size):
        yield order[start : start + batch_size].tolist()


def featurize(feature_extractor, arrays: list[np.ndarray]) -> dict[str, torch.Tensor]:
    """Model inputs for a batch of 16 kHz waveforms (float, or 16-bit PCM as prepared data holds
    them), in training and inference alike."""
    inputs = feature_extractor(
        [from_pcm16(a) if _is_pcm(a) else np.asarray(a, np.float32) for a in arrays],
        sampling_rate=feature_extractor.sampling_rate,
        padding=True,
        # with the mask, each clip is normalized over its own samples, not over the padding
        return_attention_mask=True,
        return_tensors="pt",
    )
    if not feature_extractor.return_attention_mask:  # group-norm models were trained without one
        del inputs["attention_mask"]
    return dict(inputs)


def _is_pcm(array: np.ndarray) -> bool:
    # datasets' numpy format widens the stored int16 to int64
    return np.issubdtype(array.dtype, np.integer)


@torch.inference_mode()
def greedy_decode(model, processor, arrays: list[np.ndarray], device: torch.device) -> list[str]:
    """Transcribe one batch of 16 kHz waveforms."""
    sample_lengths = torch.tensor([len(array) for array in arrays])
    inputs = {k: v.to(device) for k, v in featurize(processor.feature_extractor, arrays).items()}
    dtype = autocast_dtype(device)
    autocast = (
        torch.autocast(device.type, dtype=dtype) if dtype is not None else contextlib.nullcontext()
    )
    with autocast:
        logits = model(**inputs).logits
    ids = logits.argmax(-1).cpu()
    # Padded frames still produce logits: blank them, or they leak characters into the text.
    frame_lengths = model._get_feat_extract_output_lengths(sample_lengths)
    padded = torch.arange(ids.shape[1])[None, :] >= frame_lengths[:, None]
    ids[padded] = processor.tokenizer.pad_token_id
    return processor.batch_decode(ids)


def transcribe(
    model,
    processor,
    lengths: Sequence[int],
    fetch: Callable[[list[int]], list],
    batch_size: int = 16,
    on_batch: Callable[[int], None] | None = None,
) -> list[str]:
    """Transcribe items ``0..len(lengths)-1``; ``fetch(indices)`` returns their waveforms, so a
    large evaluation set is read batch by batch rather than all at once."""
    device = next(model.parameters()).device
    model.eval()
    texts: list[str] = [""] * len(lengths)
    for batch in batches_by_length(lengths, batch_size):
        for index, text in zip(
            batch, greedy_decode(model, processor, fetch(batch), device), strict=True
        ):
            texts[index] = text
        if on_batch:
            on_batch(len(batch))
    return texts
