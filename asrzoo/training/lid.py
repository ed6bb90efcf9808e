"""Language identification training on the one loop: clips labelled by their language."""

from __future__ import annotations

import numpy as np
import torch

from asrzoo.data.audio import SAMPLING_RATE
from asrzoo.decoding.inference import featurize
from asrzoo.training.loop import AUDIO_SAMPLES

# Half the training clips are cut to a random part of at least this long, so that the model
# also learns to tell languages apart from a second or two of speech.
MIN_CROP_SECONDS = 1.0


class LIDCollator:
    """Featurized audio (half the clips cropped at random) and each clip's language index.
    Crops draw from numpy's global generator, which the Trainer seeds and restores on
    --resume."""

    def __init__(self, feature_extractor):
        self.feature_extractor = feature_extractor

    def __call__(self, rows: list[dict]) -> dict:
        audio = [crop(row["audio"]) for row in rows]
        batch = featurize(self.feature_extractor, audio)
        batch["labels"] = torch.tensor([int(row["label"]) for row in rows])
        batch[AUDIO_SAMPLES] = torch.tensor(sum(len(a) for a in audio))
        return batch


def crop(audio: np.ndarray) -> np.ndarray:
    shortest = int(MIN_CROP_SECONDS * SAMPLING_RATE)
    if len(audio) <= shortest or np.random.random() < 0.5:
        return audio
    length = np.random.randint(shortest, len(audio) + 1)
    start = np.random.randint(0, len(audio) - length + 1)
    return audio[start : start + length]
