"""Batches by audio duration: a budget of padded seconds per batch instead of a fixed count.

A fixed batch of 16 (the seed recipe) is either too small for short clips or too large for long
ones, and its rows are padded to the longest. Here rows are sorted by length and packed so that
rows x longest stays within the budget: many short clips to a batch, few long ones, almost no
padding. As in ESPnet's length-sorted batches, the batches are fixed and their order is shuffled
each epoch (seeded), so every epoch has the same number of steps and --resume is exact.

The first epoch can go from the shortest clips to the longest instead (SortaGrad, Deep Speech
2): a CTC model from scratch learns to align on short clips sooner, and leaves the blank-only
plateau in fewer updates.
"""

from __future__ import annotations

import numpy as np
from torch.utils.data import Sampler


def pack_by_duration(lengths: np.ndarray, max_samples: int) -> list[list[int]]:
    """Indices sorted by length, cut into batches whose padded size (rows x longest) stays within
    ``max_samples``; a row longer than the budget gets a batch of its own."""
    order = np.argsort(lengths, kind="stable")
    batches, current, longest = [], [], 0
    for index in order.tolist():
        longest_with = max(longest, int(lengths[index]))
        if current and longest_with * (len(current) + 1) > max_samples:
            batches.append(current)
            current, longest_with = [], int(lengths[index])
        current.append(index)
        longest = longest_with
    if current:
        batches.append(current)
    return batches


class DurationBatchSampler(Sampler[list[int]]):
    def __init__(self, lengths, max_samples: int, seed: int, sorta_grad: bool = False):
        self.batches = pack_by_duration(np.asarray(lengths), max_samples)
        self.seed = seed
        self.sorta_grad = sorta_grad
        self.epoch = 0

    def set_epoch(self, epoch: int) -> None:  # called by the Trainer (through accelerate)
        self.epoch = epoch

    def __len__(self) -> int:
        return len(self.batches)

    def __iter__(self):
        if self.sorta_grad and self.epoch == 0:
            yield from self.batches  # shortest first
            return
        order = np.random.default_rng([self.seed, self.epoch]).permutation(len(self.batches))
        for position in order.tolist():
            yield self.batches[position]
