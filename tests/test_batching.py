"""Batches by duration: within budget, every row once, the same batches shuffled by epoch."""

import json

import numpy as np

from asrzoo.testing import SMALL_CORPUS, run_cli
from asrzoo.training.batching import DurationBatchSampler, pack_by_duration

LENGTHS = np.random.default_rng(0).integers(8_000, 160_000, size=500)  # 0.5 to 10 s


def test_batches_stay_within_budget_and_use_every_row_once():
    budget = 40 * 16_000
    batches = pack_by_duration(LENGTHS, budget)
    assert sorted(i for batch in batches for i in batch) == list(range(len(LENGTHS)))
    assert all(len(b) * LENGTHS[b].max() <= budget for b in batches)
    # short clips go many to a batch, long ones few
    sizes = {len(b) for b in batches}
    assert max(sizes) >= 4 * min(sizes)
    padding = sum(len(b) * LENGTHS[b].max() - LENGTHS[b].sum() for b in batches)
    assert padding / LENGTHS.sum() < 0.02  # sorted packing wastes little on padding


def test_a_clip_longer_than_the_budget_gets_a_batch_of_its_own():
    assert pack_by_duration(np.array([10, 500, 20]), 100) == [[0, 2], [1]]


def test_order_is_the_seeds_and_the_epochs_and_the_batches_are_fixed():
    sampler = DurationBatchSampler(LENGTHS, 40 * 16_000, seed=1)
    first = list(sampler)
    assert list(sampler) == first
    sampler.set_epoch(1)
    second = list(sampler)
    assert second != first and sorted(map(tuple, second)) == sorted(map(tuple, first))
    assert len(sampler) == len(first)


def test_sorta_grad_goes_from_short_to_long_in_the_first_epoch_only():
    sampler = DurationBatchSampler(LENGTHS, 40 * 16_000, seed=1, sorta_grad=True)
    longest = [LENGTHS[batch].max() for batch in sampler]
    assert longest == sorted(longest)
    sampler.set_epoch(1)
    assert [LENGTHS[batch].max() for batch in sampler] != longest


def test_training_by_duration_evaluates_as_it_goes_and_logs_to_tensorboard(tmp_path):
    out = tmp_path / "model"
    result = run_cli("train", "tr", "--dataset", "synthetic", *SMALL_CORPUS, "--model", "tiny",
                     "--max-steps", "4", "--max-batch-seconds", "30", "--logging-steps", "2",
                     "--eval-steps", "2", "--report-to", "tensorboard", "--output-dir", str(out),
                     "--json")  # fmt: skip
    training = json.loads(result.stdout)["training"]
    assert training["steps"] == 4
    # 4 batches of at most 30 s of padded audio, and far more than 4 fixed rows' worth
    assert 4 * 8 * 2 / 3600 < training["audio_hours_seen"] <= 4 * 30 / 3600
    assert list((out / "checkpoints" / "runs").rglob("events.out.tfevents.*"))
    history = json.loads((out / "asrzoo.json").read_text())["log_history"]
    evaluations = [e for e in history if "eval_wer" in e]
    assert [e["step"] for e in evaluations] == [2, 4]
    assert all(0 <= e["eval_cer"] for e in evaluations)
