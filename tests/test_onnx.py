"""asrzoo export --onnx and the ONNX Runtime backends of transcribe and evaluate."""

import json

import numpy as np
import pytest
import soundfile

from asrzoo.testing import run_cli

onnxruntime = pytest.importorskip("onnxruntime")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    from asrzoo.models.build import build_model
    from asrzoo.plugin.registry import Registry

    registry = Registry()
    built = build_model("tiny", registry.vocabulary("tr"), registry)
    folder = tmp_path_factory.mktemp("onnx") / "tiny"
    built.model.save_pretrained(folder)
    built.processor.save_pretrained(folder)
    run_cli("export", str(folder), "--onnx", "--quantize", "int8")
    return folder


def clips(tmp_path, rate=16_000):
    """Two clips of different lengths, so the batch is padded."""
    files = []
    for seconds, pitch in ((1.3, 220), (2.6, 330)):
        t = np.arange(int(seconds * rate)) / rate
        files.append(str(tmp_path / f"{pitch}.wav"))
        soundfile.write(files[-1], 0.3 * np.sin(2 * np.pi * pitch * t) * np.sin(3 * t), rate)
    return files


def test_the_export_is_a_folder_onnx_runtime_loads_beside_config_and_tokenizer(exported):
    onnx = exported / "onnx"
    for name in ("model.onnx", "model_quantized.onnx", "config.json", "vocab.json"):
        assert (onnx / name).is_file(), name
    assert not list(onnx.glob("*.safetensors"))
    session = onnxruntime.InferenceSession(str(onnx / "model.onnx"))
    assert [i.name for i in session.get_inputs()] == ["input_values", "attention_mask"]


def test_onnx_scores_match_torch_on_a_padded_batch(exported, tmp_path):
    import torch

    from asrzoo.data.audio import read_audio
    from asrzoo.decoding.inference import log_probs
    from asrzoo.workflows import load_trained

    arrays = [read_audio(f, 16_000) for f in clips(tmp_path)]
    torch_model, _ = load_trained(str(exported))
    onnx_model, _ = load_trained(str(exported), "onnx")
    device = torch.device("cpu")
    ours = log_probs(torch_model, arrays, device)
    theirs = log_probs(onnx_model, arrays, device)
    for a, b in zip(ours, theirs, strict=True):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, atol=1e-3)


def test_transcribe_with_each_backend(exported, tmp_path):
    files = clips(tmp_path)
    results = {
        backend: json.loads(
            run_cli("transcribe", str(exported), *files, "--backend", backend, "--json").stdout
        )
        for backend in ("torch", "onnx", "onnx-int8")
    }
    assert [r["text"] for r in results["onnx"]] == [r["text"] for r in results["torch"]]
    assert all("text" in r and "words" in r for r in results["onnx-int8"])
    # the export folder itself is a model for the ONNX backend
    direct = run_cli("transcribe", str(exported / "onnx"), *files, "--backend", "onnx", "--json")
    assert [r["text"] for r in json.loads(direct.stdout)] == [r["text"] for r in results["onnx"]]


def test_a_model_without_an_export_is_one_line(exported, tmp_path):
    from asrzoo.models.build import build_model
    from asrzoo.plugin.registry import Registry

    registry = Registry()
    built = build_model("tiny", registry.vocabulary("tr"), registry)
    built.model.save_pretrained(tmp_path / "plain")
    built.processor.save_pretrained(tmp_path / "plain")
    done = run_cli(
        "transcribe", str(tmp_path / "plain"), *clips(tmp_path), "--backend", "onnx", check=False
    )
    assert done.returncode == 1
    assert "asrzoo export" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_export_refuses_a_folder_holding_the_users_files(exported, tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    done = run_cli("export", str(exported), "--onnx", "-o", str(tmp_path / "mine"), check=False)
    assert done.returncode == 1 and "did not write" in done.stderr
    assert [p.name for p in (tmp_path / "mine").iterdir()] == ["notes.txt"]
