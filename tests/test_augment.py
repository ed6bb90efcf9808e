"""--augment: speed perturbation, reverberation and noise, drawn per (seed, epoch, clip),
recorded with the model; and the synthetic corpus's unseen-voices test set that measures what
it buys."""

import json

import numpy as np
import pytest

from asrzoo.testing import SMALL_CORPUS, run_cli
from asrzoo.training.augment import Augmenter, room_impulse_response


def one(augmenter, clip_id, audio, epoch):
    return augmenter([clip_id], [audio], epoch)[0]


def tone(seconds=1.0):
    t = np.arange(int(seconds * 16_000)) / 16_000
    return (8000 * np.sin(2 * np.pi * 220 * t)).astype(np.int16)


def test_a_clips_perturbation_depends_on_seed_epoch_and_clip_only():
    speed = Augmenter(("speed", "noise"), seed=3, speed_factors=(1.1,))
    first = one(speed, "clip-1", tone(), 0)
    assert np.array_equal(first, one(speed, "clip-1", tone(), 0))  # resume redraws it alike
    assert not np.array_equal(first, one(speed, "clip-1", tone(), 1))
    assert not np.array_equal(first, one(speed, "clip-2", tone(), 0))
    assert len(first) == pytest.approx(16_000 / 1.1, abs=2)  # faster, so shorter


def test_noise_is_added_at_the_asked_signal_to_noise_ratio():
    noisy = Augmenter(("noise",), seed=0, noise_snr_db=(10.0, 10.0))
    clean = tone().astype(np.float32) / 32768
    noise = one(noisy, "c", tone(), 0) - clean
    snr = 10 * np.log10(np.mean(clean**2) / np.mean(noise**2))
    assert snr == pytest.approx(10, abs=0.5)


def test_reverb_smears_a_click_over_the_rooms_reverberation_time_at_the_clips_loudness():
    click = np.zeros(16_000, np.float32)
    click[1000] = 0.5
    room = Augmenter(("reverb",), seed=0, reverb_rt60=(0.5, 0.5))
    heard = one(room, "c", click, 0)
    assert len(heard) == len(click) and np.mean(heard**2) == pytest.approx(np.mean(click**2))
    assert np.argmax(np.abs(heard)) == 1000  # the direct sound comes first and loudest
    energy = np.cumsum(heard[1001:] ** 2)  # the tail after the direct sound
    decay = 10 * np.log10(np.maximum(1 - energy / energy[-1], 1e-12))  # Schroeder integral
    assert 0.4 < np.argmax(decay < -30) / 16_000 * 2 < 0.6  # T30 x 2 is the RT60 asked
    assert not np.array_equal(heard, one(room, "c", click, 1))  # a new room every epoch
    batch = room(["c", "d"], [click, np.ones(400, np.float32)], epoch=0)  # the room is the clip's
    assert np.allclose(batch[0], heard, atol=1e-6) and len(batch[1]) == 400
    response = room_impulse_response((0.3, 0.3), np.random.default_rng(0))
    assert len(response) == pytest.approx(0.3 * 16_000, abs=1) and response[0] == 1.0


def test_training_with_augmentation_records_it_in_the_model(tmp_path):
    out = tmp_path / "aug"
    record = json.loads(
        run_cli("train", "tr", "--dataset", "synthetic", *SMALL_CORPUS, "--model", "tiny",
                "--max-steps", "2", "--augment", "speed,reverb,noise", "--speed-factors", "0.9,1.1",
                "--output-dir", str(out), "--json").stdout
    )  # fmt: skip
    expected = {"kinds": ["speed", "reverb", "noise"], "seed": 42, "speed_factors": [0.9, 1.1],
                "noise_snr_db": [10.0, 30.0], "reverb_rt60": [0.2, 0.8]}  # fmt: skip
    assert record["training"]["augmentation"] == expected
    saved = json.loads((out / "asrzoo.json").read_text())
    assert saved["training"]["augmentation"] == expected

    def scored_references(*options):
        evaluate = ["evaluate", str(out), "--dataset", "synthetic", "--split", "test", *options]
        scored = json.loads(run_cli(*evaluate, "--json").stdout)
        with open(scored["predictions_file"], encoding="utf-8") as lines:
            return scored["dataset"], {json.loads(line)["reference"] for line in lines}

    # other voices of the model's own held-out sentences: its corpus options stay, voices change
    (usual, heard), (unseen, unheard) = (
        scored_references(),
        scored_references("-O", "voices=unseen"),
    )
    assert heard == unheard and len(heard) == 20
    assert (usual, unseen) == ("synthetic", "synthetic (voices=unseen)")
    bad = ["train", "tr", "--dataset", "synthetic", "--model", "tiny", "--max-steps", "1",
           "--augment", "pitch", "--output-dir", str(tmp_path / "x")]  # fmt: skip
    wrong = run_cli(*bad, check=False)
    assert wrong.returncode == 1 and "--augment takes speed, reverb and noise" in wrong.stderr


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
            assert abs(len(one(speed, clip, tone(), epoch)) - speed.length(clip, 16_000)) <= 1
    assert {speed.speed(c) for c in "abcdefgh"} == {0.7, 1.3}
