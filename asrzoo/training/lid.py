"""Language identification training on the one loop: clips labelled by their language, the loss
weighted so that every language counts alike."""

from __future__ import annotations

import numpy as np
import torch

from asrzoo.data.audio import SAMPLING_RATE
from asrzoo.decoding.inference import featurize
from asrzoo.training.loop import AUDIO_SAMPLES, BudgetTrainer, batch_generator

# Half the training clips are cut to a random part of at least this long, so that the model
# also learns to tell languages apart from a second or two of speech.
MIN_CROP_SECONDS = 1.0


class LIDCollator:
    """Featurized audio (half the clips cropped at random, by seed, epoch and batch) and each
    clip's language index."""

    def __init__(self, feature_extractor, seed: int, epoch=lambda: 0):
        self.feature_extractor = feature_extractor
        self.seed, self.epoch = seed, epoch

    def __call__(self, rows: list[dict]) -> dict:
        generator = batch_generator(self.seed, self.epoch(), rows)
        audio = [crop(row["audio"], generator) for row in rows]
        batch = featurize(self.feature_extractor, audio)
        batch["labels"] = torch.tensor([int(row["label"]) for row in rows])
        batch[AUDIO_SAMPLES] = torch.tensor(sum(len(a) for a in audio))
        return batch


def crop(audio: np.ndarray, generator: np.random.Generator) -> np.ndarray:
    shortest = int(MIN_CROP_SECONDS * SAMPLING_RATE)
    if len(audio) <= shortest or generator.random() < 0.5:
        return audio
    length = int(generator.integers(shortest, len(audio) + 1))
    start = int(generator.integers(0, len(audio) - length + 1))
    return audio[start : start + length]


def class_weights(counts: np.ndarray) -> torch.Tensor:
    """Each language's weight in the loss, inverse to its share of the training clips: with a
    language four times as large as the others, a model that only learns the prior and names it
    for every clip otherwise pays little."""
    counts = np.maximum(counts, 1)
    return torch.tensor(counts.mean() / counts, dtype=torch.float32)


class LIDTrainer(BudgetTrainer):
    """Cross-entropy weighted by language (class_weights)."""

    def __init__(self, *args, class_weights: torch.Tensor, **kwargs):
        super().__init__(*args, **kwargs)
        self.class_weights = class_weights

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        labels = inputs.pop("labels")
        outputs = model(**inputs)
        weights = self.class_weights.to(outputs.logits.device)
        loss = torch.nn.functional.cross_entropy(outputs.logits.float(), labels, weight=weights)
        return (loss, outputs) if return_outputs else loss
