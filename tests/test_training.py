"""A real, short training run on synthetic Turkish, and what a user does with the model after."""

import json
import os
import subprocess
import sys
import textwrap
import time

import pytest

from asrzoo.testing import SMALL_CORPUS, run_cli

TRAIN_TINY = ["train", "tr", "--dataset", "synthetic", *SMALL_CORPUS, "--model", "tiny",
              "--warmup-steps", "15"]  # fmt: skip


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    out = tmp_path_factory.mktemp("models") / "tr-test"
    result = run_cli(*TRAIN_TINY, "--max-steps", "60", "--save-steps", "30",
                    "--logging-steps", "5", "--output-dir", str(out), "--json")  # fmt: skip
    return out, json.loads(result.stdout)


def test_loss_falls(trained):
    out, record = trained
    history = json.loads((out / "asrzoo.json").read_text())["log_history"]
    losses = [entry["loss"] for entry in history if "loss" in entry]
    assert len(losses) >= 4
    assert losses[-1] < 0.5 * losses[0], losses
    assert record["training"]["steps"] == 60
    from PIL import Image

    with Image.open(out / "training_curve.png") as curve:  # saved with the model
        assert curve.format == "PNG" and curve.width > 300


def test_model_is_recorded_with_its_provenance(trained):
    out, record = trained
    listed = json.loads(run_cli("zoo", "list", "--language", "tr", "--json").stdout)
    model = next(m for m in listed if m["id"] == record["id"])
    assert model["normalizer_id"] == "asrzoo-tr/turkish" and model["normalizer_version"] == "1"
    assert model["dataset"]["loader"] == "synthetic" and model["dataset"]["options"]["test"] == "20"
    assert model["versions"]["transformers"] and model["versions"]["plugins"]["tr"] == "0.1.0"
    assert model["evaluations"][0]["split"] == "validation"
    assert (out / "predictions-validation.jsonl").exists()


def test_evaluate_on_the_test_split(trained):
    out, record = trained
    result = json.loads(
        run_cli("evaluate", record["id"], "--dataset", "synthetic", "--json").stdout
    )
    assert result["split"] == "test" and result["metrics"]["utterances"] == 20
    assert 0 <= result["metrics"]["cer"] <= 1.5
    predictions = [json.loads(line) for line in open(result["predictions_file"])]
    assert len(predictions) == 20 and predictions[0].keys() == {"id", "reference", "prediction"}
    model = json.loads(run_cli("zoo", "list", "--json").stdout)
    splits = [e["split"] for m in model if m["id"] == record["id"] for e in m["evaluations"]]
    assert splits == ["validation", "test"]


def test_folder_transcribes_through_pipeline_without_asrzoo(trained, asrzoo_home):
    out, _ = trained
    wav = next((asrzoo_home / "data" / "synthetic" / "tr").glob("*/test/*.wav"))
    script = textwrap.dedent(f"""
        import json, sys, soundfile, soxr
        from transformers import pipeline
        audio, rate = soundfile.read({str(wav)!r}, dtype="float32")
        asr = pipeline("automatic-speech-recognition", model={str(out)!r})
        result = asr({{"raw": soxr.resample(audio, rate, 16000), "sampling_rate": 16000}})
        print(json.dumps({{"text": result["text"], "asrzoo": "asrzoo" in sys.modules}}))
    """)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=out
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["asrzoo"] is False and isinstance(result["text"], str)


def test_transcribe_files_and_report_the_unreadable(trained, asrzoo_home, tmp_path):
    out, _ = trained
    wavs = sorted((asrzoo_home / "data" / "synthetic" / "tr").glob("*/test/*.wav"))[:3]
    (tmp_path / "broken.wav").write_bytes(b"RIFF nonsense")
    files = [str(wavs[0]), str(tmp_path / "broken.wav"), *map(str, wavs[1:])]
    result = json.loads(run_cli("transcribe", str(out), *files, "--json").stdout)
    assert [r["file"] for r in result] == files
    assert result[1] == {"file": files[1], "error": result[1]["error"]}
    assert result[1]["error"].startswith("unreadable audio")
    good = [r for i, r in enumerate(result) if i != 1]
    assert all(isinstance(r["text"], str) and r["seconds"] > 0.3 for r in good)


def test_resume_continues_from_the_last_checkpoint(trained):
    out, record = trained
    resumed = run_cli(*TRAIN_TINY, "--max-steps", "70", "--output-dir", str(out), "--resume",
                     "--json")  # fmt: skip
    again = json.loads(resumed.stdout)
    assert again["id"] == record["id"] and again["training"]["steps"] == 70
    history = json.loads((out / "asrzoo.json").read_text())["log_history"]
    assert [e["step"] for e in history if "loss" in e][-1] == 70


def test_manifest_with_bad_rows_trains_on_every_good_row(tmp_path, asrzoo_home):
    wavs = sorted((asrzoo_home / "data" / "synthetic" / "tr").glob("*/train/*.wav"))[:6]
    lines = ["audio,text"] + [f"{w},Merhaba dünya" for w in wavs]
    (tmp_path / "corrupt.wav").write_bytes(b"not audio at all" * 100)
    lines += ["corrupt.wav,bozuk", f"{wavs[0]},Quiz xylophone"]
    (tmp_path / "m.csv").write_text("\n".join(lines) + "\n")
    result = json.loads(
        run_cli(
            "train",
            "tr",
            "--dataset",
            str(tmp_path / "m.csv"),
            "--max-steps",
            "2",
            "--output-dir",
            str(tmp_path / "model"),
            "--json",
        ).stdout
    )
    assert result["training"]["train_rows"] == 6 and result["training"]["dropped_rows"] == 2


def test_user_errors_are_one_line_without_traceback():
    for args in (
        ["train", "xx", "--dataset", "synthetic", "--max-steps", "1"],
        ["train", "tr", "--dataset", "nope", "--max-steps", "1"],
        ["train", "tr", "--dataset", "synthetic"],
        ["evaluate", "no-such-model", "--dataset", "synthetic"],
        ["transcribe", "no-such-model", "x.wav"],
    ):
        result = run_cli(*args, check=False)
        assert result.returncode != 0, args
        assert "Traceback" not in result.stderr, result.stderr
        assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, args
        assert result.stdout == ""


def test_pretrained_encoder_gets_a_ctc_head_and_a_frozen_feature_encoder(tmp_path):
    """The path of `--model facebook/wav2vec2-base`: here a local folder in the same format."""
    from safetensors.numpy import load_file
    from transformers import Wav2Vec2Config, Wav2Vec2Model

    config = Wav2Vec2Config(
        hidden_size=64, num_hidden_layers=2, num_attention_heads=2, intermediate_size=128,
        conv_dim=(32, 32, 32), conv_kernel=(20, 8, 8), conv_stride=(10, 4, 8),
        feat_extract_norm="group", num_conv_pos_embeddings=16, num_conv_pos_embedding_groups=4,
    )  # fmt: skip
    Wav2Vec2Model(config).save_pretrained(tmp_path / "encoder")
    result = json.loads(
        run_cli(
            "train",
            "tr",
            "--dataset",
            "synthetic",
            *SMALL_CORPUS,
            "--model",
            str(tmp_path / "encoder"),
            "--max-steps",
            "3",
            "--output-dir",
            str(tmp_path / "ft"),
            "--json",
        ).stdout
    )
    assert result["family"] == "wav2vec2" and result["base_model"] == str(tmp_path / "encoder")
    before = load_file(tmp_path / "encoder" / "model.safetensors")
    after = load_file(tmp_path / "ft" / "model.safetensors")
    conv = "feature_extractor.conv_layers.0.conv.weight"
    assert (before[conv] == after[f"wav2vec2.{conv}"]).all()  # frozen
    layer = "encoder.layers.0.attention.q_proj.weight"
    assert not (before[layer] == after[f"wav2vec2.{layer}"]).all()  # trained
    assert after["lm_head.weight"].shape[0] == 33
    processor = json.loads((tmp_path / "ft" / "processor_config.json").read_text())
    assert processor["feature_extractor"]["return_attention_mask"] is False  # group norm


def test_evaluating_under_a_newer_normalizer_warns_and_records_it(trained, capsys):
    import dataclasses

    from asrzoo.data.prepare import PrepareOptions
    from asrzoo.plugin.registry import Registry
    from asrzoo.workflows import evaluate_model

    out, _ = trained
    registry = Registry()
    registry.normalizers["tr"] = dataclasses.replace(registry.normalizers["tr"], version="2")
    result = evaluate_model(registry, str(out), "synthetic", "test", {}, PrepareOptions())
    assert result["metrics"]["normalizer"] == "asrzoo-tr/turkish v2"
    warning = " ".join(capsys.readouterr().err.split())
    assert "trained with asrzoo-tr/turkish v1, this evaluation uses v2" in warning


def test_a_killed_run_resumed_ends_exactly_where_an_uninterrupted_one_does(tmp_path):
    """Same data order, optimizer, scheduler and RNG state after --resume: same losses, same
    metrics. The run is killed (SIGKILL) after its first checkpoint, as a crash would."""
    args = [*TRAIN_TINY, "--max-steps", "20", "--save-steps", "5", "--logging-steps", "5"]
    straight = tmp_path / "straight"
    run_cli(*args, "--output-dir", str(straight))

    killed = tmp_path / "killed"
    process = subprocess.Popen(
        [sys.executable, "-m", "asrzoo", *args, "--output-dir", str(killed)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    first = killed / "checkpoints" / "checkpoint-5"
    while not first.exists() and process.poll() is None:
        time.sleep(0.02)
    process.kill()
    process.wait()
    assert not (killed / "asrzoo.json").exists(), "the run ended before it could be killed"
    assert all((c / "trainer_state.json").exists() for c in (killed / "checkpoints").glob("c*"))
    run_cli(*args, "--output-dir", str(killed), "--resume")

    def outcome(folder):
        meta = json.loads((folder / "asrzoo.json").read_text())
        losses = {e["step"]: e["loss"] for e in meta["log_history"] if "loss" in e}
        return {step: losses[step] for step in (10, 15, 20)}, meta["metrics"]

    assert outcome(killed) == outcome(straight)


@pytest.mark.parametrize(
    "launcher",
    [
        ["-m", "torch.distributed.run", "--nproc_per_node", "2"],
        # accelerate's --cpu means one process; --multi_gpu starts torch.distributed processes,
        # which find no GPU here and join over gloo
        [
            "-m",
            "accelerate.commands.launch",
            "--multi_gpu",
            "--num_processes",
            "2",
            "--num_machines",
            "1",
            "--mixed_precision",
            "no",
            "--dynamo_backend",
            "no",
        ],
    ],
    ids=["torchrun", "accelerate"],
)
def test_two_processes_train_one_model_through_the_ecosystems_launchers(tmp_path, launcher):
    """Two CPU processes (gloo): the main one prepares the data while the other waits, both
    train, and one model is saved and reported."""
    out = tmp_path / "ddp"
    result = subprocess.run(
        [sys.executable, *launcher, "-m", "asrzoo", *TRAIN_TINY, "--max-steps", "4",
         "--output-dir", str(out), "--json"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    record = json.loads(result.stdout)  # one JSON document: only the main process reports
    assert record["training"]["processes"] == 2 and record["training"]["steps"] == 4
    assert (out / "model.safetensors").exists()


def test_a_cpu_trains_in_full_precision_even_with_native_bf16(monkeypatch):
    """bf16 autocast stalled and then diverged the tiny model on an AMX CPU, and was slower."""
    import torch

    from asrzoo.models.devices import autocast_dtype

    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: True)
    monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda: True)
    assert autocast_dtype(torch.device("cpu")) is None


def test_a_log_gets_plain_progress_lines(tmp_path):
    """Where stderr is not a terminal, a line every ASRZOO_LOG_EVERY seconds instead of a bar."""
    env = {**os.environ, "ASRZOO_LOG_EVERY": "0"}
    result = run_cli(*TRAIN_TINY, "--max-steps", "3", "--logging-steps", "1",
                     "--output-dir", str(tmp_path / "logged"), env=env)  # fmt: skip
    lines = [line for line in result.stderr.splitlines() if line.startswith("step ")]
    assert len(lines) >= 2, result.stderr[-2000:]
    assert "loss" in lines[-1] and "audio-s/s" in lines[-1] and "min left" in lines[-1]
