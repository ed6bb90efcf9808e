"""Language identification with a trained classifier: each clip's probability per language.
A clip longer than a window is cut into windows, whose probabilities are averaged, weighted by
their length, so memory depends on the window, not the file."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from asrzoo.data.audio import SAMPLING_RATE
from asrzoo.decoding.inference import batches_by_length, featurize
from asrzoo.decoding.long_audio import WINDOW_SECONDS
from asrzoo.models.recipes import DECODE_BATCH_SIZE


def pieces(audio: np.ndarray) -> list[np.ndarray]:
    """Windows of at most WINDOW_SECONDS; a last piece under half a window joins the one before."""
    window = int(WINDOW_SECONDS * SAMPLING_RATE)
    starts = list(range(0, max(len(audio), 1), window))
    if len(starts) > 1 and len(audio) - starts[-1] < window // 2:
        starts.pop()
    ends = starts[1:] + [len(audio)]
    return [audio[s:e] for s, e in zip(starts, ends, strict=True)]


@torch.inference_mode()
def language_probabilities(
    model, feature_extractor, clips: Sequence[np.ndarray], batch_size: int = DECODE_BATCH_SIZE
) -> np.ndarray:
    """(clips x languages) probabilities, in the model's label order."""
    owners, parts = [], []
    for index, clip in enumerate(clips):
        for part in pieces(clip):
            owners.append(index)
            parts.append(part)
    model.eval()
    part_probabilities = np.zeros((len(parts), model.config.num_labels), np.float32)
    for batch in batches_by_length([len(p) for p in parts], batch_size):
        inputs = featurize(feature_extractor, [parts[i] for i in batch])
        logits = model(**{k: v.to(model.device) for k, v in inputs.items()}).logits
        part_probabilities[batch] = torch.softmax(logits.float(), -1).cpu().numpy()
    weights = np.array([len(p) for p in parts], np.float64)
    totals = np.zeros((len(clips), model.config.num_labels))
    np.add.at(totals, owners, part_probabilities * weights[:, None])
    return (totals / totals.sum(axis=1, keepdims=True)).astype(np.float32)


def top_languages(probabilities: np.ndarray, labels: dict, top: int) -> list[dict]:
    order = np.argsort(-probabilities)[:top]
    return [
        {"language": labels[int(i)], "probability": round(float(probabilities[i]), 4)}
        for i in order
    ]
