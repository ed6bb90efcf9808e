"""--augment: speed perturbation and noise, drawn per (seed, epoch, clip), recorded with the
model; and the synthetic corpus's unseen-voices test set that measures what it buys."""

import json

import numpy as np
import pytest

from asrzoo.testing import SMALL_CORPUS, run_cli
from asrzoo.training.augment import Augmenter


def tone(seconds=1.0):
    t = np.arange(int(seconds * 16_000)) / 16_000
    return (8000 * np.sin(2 * np.pi * 220 * t)).astype(np.int16)


def test_a_clips_perturbation_depends_on_seed_epoch_and_clip_only():
    speed = Augmenter(("speed", "noise"), seed=3, speed_factors=(1.1,))
    first = speed("clip-1", tone(), epoch=0)
    assert np.array_equal(first, speed("clip-1", tone(), epoch=0))  # resume redraws it alike
    assert not np.array_equal(first, speed("clip-1", tone(), epoch=1))
    assert not np.array_equal(first, speed("clip-2", tone(), epoch=0))
    assert len(first) == pytest.approx(16_000 / 1.1, abs=2)  # faster, so shorter


def test_noise_is_added_at_the_asked_signal_to_noise_ratio():
    noisy = Augmenter(("noise",), seed=0, noise_snr_db=(10.0, 10.0))
    clean = tone().astype(np.float32) / 32768
    noise = noisy("c", tone(), epoch=0) - clean
    snr = 10 * np.log10(np.mean(clean**2) / np.mean(noise**2))
    assert snr == pytest.approx(10, abs=0.5)


def test_training_with_augmentation_records_it_in_the_model(tmp_path):
    out = tmp_path / "aug"
    record = json.loads(
        run_cli("train", "tr", "--dataset", "synthetic", *SMALL_CORPUS, "--model", "tiny",
                "--max-steps", "2", "--augment", "speed,noise", "--speed-factors", "0.9,1.1",
                "--output-dir", str(out), "--json").stdout
    )  # fmt: skip
    expected = {"kinds": ["speed", "noise"], "seed": 42, "speed_factors": [0.9, 1.1],
                "noise_snr_db": [10.0, 30.0]}  # fmt: skip
    assert record["training"]["augmentation"] == expected
    saved = json.loads((out / "asrzoo.json").read_text())
    assert saved["training"]["augmentation"] == expected
    bad = ["train", "tr", "--dataset", "synthetic", "--model", "tiny", "--max-steps", "1",
           "--augment", "pitch", "--output-dir", str(tmp_path / "x")]  # fmt: skip
    wrong = run_cli(*bad, check=False)
    assert wrong.returncode == 1 and "--augment takes speed and noise" in wrong.stderr


def test_unseen_voices_are_the_held_out_sentences_in_voices_the_corpus_never_uses():
    from asrzoo_synthetic.corpus import VARIANTS, CorpusOptions, plan_clips, split_sentences

    sentences = [(f"cümle {i}", f"cümle {i}") for i in range(60)]
    corpus = CorpusOptions(test=10, validation=5)
    unseen = CorpusOptions(test=10, validation=5, voices="unseen")
    splits = split_sentences(sentences, corpus)
    usual, other = plan_clips("tr", splits, corpus), plan_clips("tr", splits, unseen)
    held_out = [c for c in usual if c.split != "train"]
    assert [(c.id, c.text) for c in other] == [(c.id, c.text) for c in held_out]
    for clip in other:
        assert "+" + clip.voice.split("+")[1] not in VARIANTS
        assert not 130 <= clip.rate <= 190 and not 30 <= clip.pitch <= 70
    with pytest.raises(ValueError, match="voices= takes corpus or unseen"):
        CorpusOptions.parse({"voices": "mine"})


def test_batches_are_packed_by_the_lengths_the_model_will_see():
    """A clip's speed is fixed per seed, so the batch sampler packs its perturbed length."""
    speed = Augmenter(("speed",), seed=1, speed_factors=(0.7, 1.3))
    for clip in ("a", "b", "c", "d"):
        for epoch in (0, 1):
            assert abs(len(speed(clip, tone(), epoch)) - speed.length(clip, 16_000)) <= 1
    assert {speed.speed(c) for c in "abcdefgh"} == {0.7, 1.3}
