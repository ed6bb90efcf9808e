"""Self-supervised pretraining: a tiny encoder pretrained on two languages' unlabelled speech
for a few steps (finite losses, perplexity and temperature logged, a curve), resumed exactly,
fed from a folder of audio files without transcripts, and fine-tuned by `asrzoo train`."""

import json
import math
import shutil

import pytest
from safetensors.numpy import load_file

from asrzoo.testing import SMALL_CORPUS, run_cli

PRETRAIN = ["pretrain", "--languages", "tr,de", "--dataset", "synthetic", *SMALL_CORPUS,
            "--model", "tiny", "--logging-steps", "2"]  # fmt: skip


@pytest.fixture(scope="module")
def pretrained(tmp_path_factory):
    out = tmp_path_factory.mktemp("pretrain") / "tr-de-pre"
    run = run_cli(*PRETRAIN, "--max-steps", "6", "--output-dir", str(out), "--json")
    return json.loads(run.stdout)


def logged(record: dict) -> list[dict]:
    metadata = json.loads(open(f"{record['path']}/asrzoo.json").read())
    return [e for e in metadata["log_history"] if "contrastive_loss" in e]


def test_pretraining_logs_finite_losses_perplexity_and_a_falling_temperature(pretrained):
    assert pretrained["kind"] == "pretrained" and pretrained["languages"] == ["tr", "de"]
    entries = logged(pretrained)
    assert [e["step"] for e in entries] == [2, 4, 6]
    for entry in entries:
        assert math.isfinite(entry["loss"]) and math.isfinite(entry["contrastive_loss"])
        assert 1 <= entry["codevector_perplexity"] <= 2 * 320
    temperatures = [e["gumbel_temperature"] for e in entries]
    assert 2.0 >= temperatures[0] > temperatures[-1] >= 0.5
    assert open(f"{pretrained['path']}/training_curve.png", "rb").read(4) == b"\x89PNG"
    assert pretrained["training"]["codebook_collapse"] is None
    listed = json.loads(run_cli("zoo", "list", "--json").stdout)
    assert {"tr-de-pre": "pretrained"}.items() <= {m["id"]: m["kind"] for m in listed}.items()


def test_train_fine_tunes_a_pretrained_zoo_entry_with_its_encoder_and_frozen_cnn(
    pretrained, tmp_path
):
    out = tmp_path / "tr-from-pre"
    record = json.loads(
        run_cli("train", "tr", "--dataset", "synthetic", *SMALL_CORPUS, "--model", "tr-de-pre",
                "--max-steps", "3", "--output-dir", str(out), "--json").stdout
    )  # fmt: skip
    assert record["base_model"] == pretrained["path"]
    assert record["hyperparameters"]["learning_rate"] == 2e-3  # the tiny preset's recipe
    before = load_file(f"{pretrained['path']}/model.safetensors")
    after = load_file(f"{out}/model.safetensors")
    cnn = "wav2vec2.feature_extractor.conv_layers.0.conv.weight"
    attention = "wav2vec2.encoder.layers.0.attention.q_proj.weight"
    assert (before[cnn] == after[cnn]).all()  # frozen
    assert not (before[attention] == after[attention]).all()  # fine-tuned from the pretrained
    assert "lm_head.weight" in after and "quantizer.codevectors" not in after


def test_a_resumed_pretraining_ends_as_an_uninterrupted_one(pretrained, tmp_path):
    out = tmp_path / "resumed"
    run_cli(*PRETRAIN, "--max-steps", "6", "--save-steps", "3", "--output-dir", str(out))
    shutil.rmtree(out / "checkpoints" / "checkpoint-6")  # as if killed after step 3's checkpoint
    run_cli(*PRETRAIN, "--max-steps", "6", "--output-dir", str(out), "--resume")
    resumed = [(e["step"], e["loss"]) for e in logged({"path": str(out)})]
    assert resumed[-1] == next((e["step"], e["loss"]) for e in logged(pretrained) if e["step"] == 6)


def test_pretraining_reads_a_folder_of_audio_files_without_transcripts(
    pretrained, asrzoo_test_home, tmp_path
):
    audio = tmp_path / "my-audio"
    wavs = sorted((asrzoo_test_home / "data" / "synthetic" / "tr").glob("*/train/*.wav"))[:12]
    for i, wav in enumerate(wavs):
        (audio / f"session{i % 2}").mkdir(parents=True, exist_ok=True)
        shutil.copy(wav, audio / f"session{i % 2}" / wav.name)
    (audio / "notes.txt").write_text("not audio")
    (audio / "session0" / "broken.wav").write_bytes(b"RIFF, but no more")
    record = json.loads(
        run_cli("pretrain", "--languages", "tr", "--dataset", "audio-files", "-O",
                f"path={audio}", "--model", str(pretrained["path"]), "--max-steps", "2",
                "--output-dir", str(tmp_path / "continued"), "--json").stdout
    )  # fmt: skip
    assert record["training"]["train_rows"] == 12 and record["language"] == "tr"
    assert record["training"]["dropped_rows"] == 1  # broken.wav, reported; notes.txt not audio
    assert record["hyperparameters"]["learning_rate"] == 5e-5  # continued from a checkpoint
    missing = run_cli("pretrain", "--languages", "tr", "--dataset", "audio-files", "-O",
                      f"path={tmp_path / 'none'}", "--max-steps", "1", check=False)  # fmt: skip
    assert missing.returncode == 1 and "does not exist" in missing.stderr


def test_a_family_without_a_pretraining_model_is_one_line(tmp_path):
    result = run_cli(*PRETRAIN, "--model", "tiny-hubert", "--max-steps", "1",
                     "--output-dir", str(tmp_path / "hubert"), check=False)  # fmt: skip
    assert result.returncode == 1 and "no self-supervised pretraining model" in result.stderr


def test_the_collapse_guard_reports_once_after_warm_up():
    from asrzoo.training.pretraining import CollapseGuard

    guard = CollapseGuard(codes=640, warmup_steps=10)
    assert not guard.check(5, 3.0)  # still warming up
    assert not guard.check(20, 200.0)
    assert guard.check(30, 4.2) and guard.found == {"step": 30, "perplexity": 4.2, "codes": 640}
    assert not guard.check(40, 2.0)  # said once
