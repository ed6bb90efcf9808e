"""Language identification: a classifier trained on three languages' synthetic speech, scored,
asked about files of any length, used to route files to the zoo's recognizers, listed in the
zoo, published, and loaded by transformers' pipeline without asrzoo."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile

from asrzoo.testing import SMALL_CORPUS, cache_checkpoint, run_cli

LANGUAGES = ["tr", "de", "es"]


@pytest.fixture(scope="module")
def lid(tmp_path_factory):
    out = tmp_path_factory.mktemp("lid") / "lid-test"
    record = json.loads(
        run_cli(
            "lid", "train", "--languages", ",".join(LANGUAGES), "--dataset", "synthetic",
            *SMALL_CORPUS, "--max-steps", "30", "--output-dir", str(out), "--json",
        ).stdout
    )  # fmt: skip
    return record


@pytest.fixture(scope="module")
def clips(lid, asrzoo_test_home):
    """A test clip of each language (rendered when the classifier's data was prepared)."""
    folder = asrzoo_test_home / "data" / "synthetic"
    return {code: str(sorted((folder / code).glob("*/test/*.wav"))[0]) for code in LANGUAGES}


def test_a_trained_identifier_is_a_zoo_entry_of_its_own_kind(lid):
    assert lid["kind"] == "lid" and lid["languages"] == LANGUAGES and lid["language"] == "mul"
    validation = lid["metrics"]["validation"]
    assert 0 <= validation["accuracy"] <= 1 and validation["clips"] == 30
    assert np.asarray(validation["confusion"]).sum() == 30
    listed = json.loads(run_cli("zoo", "list", "--language", "de", "--json").stdout)
    assert [m["id"] for m in listed if m["kind"] == "lid"] == ["lid-test"]
    shown = json.loads(run_cli("zoo", "show", "lid-test", "--json").stdout)
    assert shown["evaluations"][0]["accuracy"] == validation["accuracy"]
    assert shown["evaluations"][0]["wer"] is None
    table = run_cli("zoo", "list").stdout
    assert "lid-test" in table and "accuracy" in table


def test_resuming_with_the_languages_in_another_order_is_refused(lid):
    folder = lid["path"]
    before = sorted(p.name for p in (Path(folder) / "checkpoints").iterdir())
    resumed = run_cli(
        "lid", "train", "--languages", "de,tr,es", "--dataset", "synthetic", *SMALL_CORPUS,
        "--max-steps", "31", "--output-dir", folder, "--resume", check=False,
    )  # fmt: skip
    assert resumed.returncode == 1
    assert "was trained for tr, de, es, not de, tr, es" in resumed.stderr
    assert sorted(p.name for p in (Path(folder) / "checkpoints").iterdir()) == before


def test_identify_ranks_the_languages_of_files_of_any_length(lid, clips, tmp_path):
    audio, rate = soundfile.read(clips["tr"])
    long_file = tmp_path / "long.wav"
    soundfile.write(long_file, np.tile(audio, int(50 * rate / len(audio)) + 1), rate)  # > 2 windows
    files = [clips["tr"], str(long_file), str(tmp_path / "missing.wav")]
    results = json.loads(run_cli("lid", "identify", "lid-test", *files, "--json").stdout)
    for result in results[:2]:
        probabilities = [g["probability"] for g in result["languages"]]
        assert {g["language"] for g in result["languages"]} == set(LANGUAGES)
        assert probabilities == sorted(probabilities, reverse=True)
        assert sum(probabilities) == pytest.approx(1, abs=1e-3)
    assert results[1]["seconds"] > 50
    assert results[2]["error"] == "missing file" and "languages" not in results[2]
    top = run_cli("lid", "identify", "lid-test", clips["de"], "--top", "1").stdout
    assert any(f" {code} " in top for code in LANGUAGES)


def test_evaluate_scores_accuracy_by_clip_length_and_draws_the_confusion_matrix(lid):
    result = json.loads(
        run_cli("lid", "evaluate", "lid-test", "--dataset", "synthetic", "--json").stdout
    )
    scores = result["metrics"]
    assert scores["clips"] == 60 and scores["labels"] == LANGUAGES  # 20 test sentences each
    assert set(scores["by_seconds"]) == {"1.0", "2.0", "5.0"}
    cuts = scores["by_seconds"]
    for cut in cuts.values():  # no accuracy where no clip is that long
        assert 0 <= cut["accuracy"] <= 1 if cut["clips"] else cut["accuracy"] is None
    assert 60 >= cuts["1.0"]["clips"] >= cuts["2.0"]["clips"] >= cuts["5.0"]["clips"]
    assert open(result["confusion_png"], "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    shown = json.loads(run_cli("zoo", "show", "lid-test", "--json").stdout)
    assert ("synthetic", "test") in {(e["dataset"], e["split"]) for e in shown["evaluations"]}
    # voices the corpus never uses: a dataset of test sentences only
    unseen = ["-O", "voices=unseen", *SMALL_CORPUS]
    scored = json.loads(
        run_cli("lid", "evaluate", "lid-test", "--dataset", "synthetic", *unseen, "--json").stdout
    )
    assert scored["metrics"]["clips"] == 60 and "voices=unseen" in scored["dataset"]
    untrainable = run_cli("lid", "train", "--languages", "tr,de", "--dataset", "synthetic",
                          *unseen, "--max-steps", "1", check=False)  # fmt: skip
    assert untrainable.returncode == 1 and "no training rows for tr, de" in untrainable.stderr


def test_transcribe_language_auto_routes_each_file_to_its_languages_best_model(
    lid, clips, tmp_path
):
    for name, steps in (("tr-auto-a", "2"), ("tr-auto-b", "4")):
        run_cli("train", "tr", "--dataset", "synthetic", *SMALL_CORPUS, "--max-steps", steps,
                "--output-dir", str(tmp_path / name))  # fmt: skip
    run_cli("evaluate", "tr-auto-b", "--dataset", "synthetic")  # the test score of the two
    files = list(clips.values())
    recognizers = json.loads(run_cli("zoo", "list", "--language", "tr", "--json").stdout)
    best = min(
        (e["wer"], m["id"])
        for m in recognizers
        if m["kind"] == "asr"
        for e in m["evaluations"]
        if e["split"] == "test"
    )[1]  # tr-auto-b, unless another test left a better one in the session's zoo
    results = json.loads(
        run_cli("transcribe", "--language", "auto", "--lid", "lid-test", *files, "--json").stdout
    )
    for result in results:
        assert result["language"] in LANGUAGES and 0 < result["language_probability"] <= 1
        if result["language"] == "tr":
            assert result["model"] == best and "text" in result
        else:
            assert result["error"] == (
                f"the zoo has no speech recognizer for {result['language']!r}: train one"
            )
    # a language named by the user, and --model over the zoo's choice
    named = json.loads(run_cli("transcribe", "--language", "tr", files[1], "--json").stdout)
    assert named[0]["language"] == "tr" and named[0]["model"] == best
    chosen = json.loads(
        run_cli("transcribe", "--language", "tr", "--model", "tr-auto-a", files[1], "--json").stdout
    )
    assert chosen[0]["model"] == "tr-auto-a" and "text" in chosen[0]
    plain = run_cli("transcribe", "--language", "auto", "--lid", "lid-test", files[0]).stdout
    assert best in plain or "no speech recognizer" in plain
    # the best model's folder moved away: the next best is used, not failed on
    folder = Path(json.loads(run_cli("zoo", "show", best, "--json").stdout)["path"])
    folder.rename(folder.with_name("moved-away"))
    try:
        other = json.loads(run_cli("transcribe", "--language", "tr", files[1], "--json").stdout)
    finally:
        folder.with_name("moved-away").rename(folder)
    assert other[0]["model"] != best and "text" in other[0]


def test_a_model_that_is_not_an_identifier_is_refused_in_one_line(lid, clips, tmp_path):
    run_cli("train", "tr", "--dataset", "synthetic", *SMALL_CORPUS, "--max-steps", "1",
            "--output-dir", str(tmp_path / "tr-not-lid"))  # fmt: skip
    result = run_cli("lid", "identify", "tr-not-lid", clips["tr"], check=False)
    assert result.returncode == 1 and "is not a language identifier" in result.stderr
    one = run_cli("lid", "train", "--languages", "tr", "--dataset", "synthetic", check=False)
    assert one.returncode == 1 and "give 2 --languages or more" in one.stderr
    # Mongolian has no espeak-ng voice: said before any language is prepared
    unserved = run_cli("lid", "train", "--languages", "de,mn", "--dataset", "synthetic",
                       "--max-steps", "1", check=False)  # fmt: skip
    assert unserved.returncode == 1 and "'mn'" in unserved.stderr
    assert unserved.stderr.count("\n") == 1
    folder = tmp_path / "clips"
    folder.mkdir()
    shutil.copy(clips["tr"], folder / "a.wav")
    same = run_cli("lid", "train", "--languages", "tr,de", "--dataset", "audio-files", "-O",
                   f"path={folder}", "--max-steps", "1", check=False)  # fmt: skip
    assert same.returncode == 1 and "gives tr and de the same clips" in same.stderr


def test_the_folder_loads_in_pipeline_in_a_python_without_asrzoo(lid, clips):
    script = (
        "import sys, json, soundfile, soxr\n"
        "from transformers import pipeline\n"
        f"audio, rate = soundfile.read({clips['es']!r})\n"
        "audio = soxr.resample(audio, rate, 16000)  # the pipeline resamples with torchaudio\n"
        f"classify = pipeline('audio-classification', model={lid['path']!r})\n"
        "found = classify({'raw': audio, 'sampling_rate': 16000})\n"
        "assert 'asrzoo' not in sys.modules, 'asrzoo was imported'\n"
        "print(json.dumps([f['label'] for f in found]))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd="/"
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert set(json.loads(done.stdout)) == set(LANGUAGES)


def test_push_dry_run_makes_an_audio_classification_card(lid):
    from huggingface_hub import ModelCard

    pushed = json.loads(
        run_cli("push", "lid-test", "--repo-id", "me/lid-test", "--dry-run", "--json").stdout
    )
    card = ModelCard.load(f"{pushed['folder']}/README.md")
    assert card.data.pipeline_tag == "audio-classification"
    assert card.data.language == LANGUAGES and "language-identification" in card.data.tags
    metrics = {(r.dataset_split, r.metric_type) for r in card.data.eval_results}
    assert ("validation", "accuracy") in metrics
    assert "asrzoo lid train --languages tr,de,es" in card.text


def test_a_hub_checkpoint_gets_a_head_for_the_languages(tmp_path):
    """facebook/mms-lid-126 and the like: a classifier of other languages, read from the Hub's
    cache (a small one of the same kind), trained with a new head for these languages."""
    import transformers

    config = transformers.Wav2Vec2Config(
        hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=64,
        conv_dim=(16, 16), conv_kernel=(10, 8), conv_stride=(5, 64), num_labels=5,
        num_conv_pos_embeddings=16, num_conv_pos_embedding_groups=4,
        feat_extract_norm="layer", do_stable_layer_norm=True,
    )  # fmt: skip
    model = transformers.Wav2Vec2ForSequenceClassification(config)
    extractor = transformers.Wav2Vec2FeatureExtractor(return_attention_mask=True)
    cache = tmp_path / "hub"
    cache_checkpoint(cache, "facebook/mms-lid-126", model, extractor)
    out = tmp_path / "lid-from-hub"
    record = json.loads(
        run_cli(
            "lid", "train", "--languages", "tr,de", "--dataset", "synthetic", *SMALL_CORPUS,
            "--model", "facebook/mms-lid-126", "--max-steps", "2", "--output-dir", str(out),
            "--json", env={**os.environ, "HF_HUB_CACHE": str(cache), "HF_HUB_OFFLINE": "1"},
        ).stdout
    )  # fmt: skip
    assert record["base_model"] == "facebook/mms-lid-126"
    assert record["hyperparameters"]["learning_rate"] == 3e-4 / 4  # a quarter of its recipe's
    saved = transformers.AutoConfig.from_pretrained(out)
    assert saved.id2label == {0: "tr", 1: "de"}
