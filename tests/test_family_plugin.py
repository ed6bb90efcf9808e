"""A model family that only a plugin knows: data2vec-audio, registered by an installed plugin
that imports nothing but ``asrzoo``, trains, is scored, saved, reloaded, transcribes, and loads
in transformers' pipeline() without asrzoo."""

import json
import os
import textwrap

import numpy as np
import pytest
import soundfile

from asrzoo.testing import SMALL_CORPUS, run_cli

PLUGIN = textwrap.dedent(
    """
    from asrzoo import (
        BuiltModel, ModelFamily, ModelPreset, build_processor, build_tokenizer, ctc_settings,
        hookimpl, waveform_feature_extractor,
    )

    DATA2VEC = ModelFamily(
        name="data2vec-audio",
        description="data2vec 2.0 audio: wav2vec2's shape, a teacher-student objective",
        model_types=("data2vec-audio",),
        hyperparameters={"learning_rate": 5e-5},
    )


    def build_tiny(vocabulary):
        from transformers import Data2VecAudioConfig, Data2VecAudioForCTC

        tokenizer = build_tokenizer(vocabulary)
        config = Data2VecAudioConfig(
            hidden_size=64, num_hidden_layers=2, num_attention_heads=2, intermediate_size=128,
            conv_dim=(32, 32, 32), conv_stride=(20, 4, 4), conv_kernel=(40, 8, 4),
            num_conv_pos_embeddings=4, **ctc_settings(tokenizer),
        )
        processor = build_processor(DATA2VEC, waveform_feature_extractor(config), tokenizer)
        return BuiltModel(Data2VecAudioForCTC(config), processor, DATA2VEC, "tiny-data2vec", False)


    @hookimpl
    def register_model_families(register):
        register(DATA2VEC)


    @hookimpl
    def register_model_presets(register):
        register(ModelPreset(
            name="tiny-data2vec", description="2-layer data2vec-audio, random init",
            family="data2vec-audio", build=build_tiny, hyperparameters={"learning_rate": 1e-3},
        ))
    """
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The plugin, installed as a distribution with an asrzoo entry point."""
    site = tmp_path_factory.mktemp("site")
    (site / "asrzoo_data2vec.py").write_text(PLUGIN)
    info = site / "asrzoo_data2vec-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: asrzoo-data2vec\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[asrzoo]\ndata2vec = asrzoo_data2vec\n")
    return site


def cli(site, *args):
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]),
    }
    return run_cli(*args, env=env)


def test_a_family_from_a_plugin_trains_evaluates_reloads_and_runs_in_pipeline(site, tmp_path):
    out = tmp_path / "d2v"
    record = json.loads(
        cli(site, "train", "tr", "--dataset", "synthetic", *SMALL_CORPUS, "--model",
            "tiny-data2vec", "--max-steps", "3", "--output-dir", str(out), "--json").stdout
    )  # fmt: skip
    assert record["family"] == "data2vec-audio"
    assert record["hyperparameters"]["learning_rate"] == 1e-3
    assert json.loads((out / "config.json").read_text())["model_type"] == "data2vec-audio"

    scored = json.loads(
        cli(site, "evaluate", str(out), "--dataset", "synthetic", *SMALL_CORPUS, "--json").stdout
    )
    assert scored["metrics"]["utterances"] == 20

    clip = tmp_path / "clip.wav"
    soundfile.write(clip, 0.1 * np.sin(np.arange(24_000) / 9), 16_000)
    (result,) = json.loads(cli(site, "transcribe", str(out), str(clip), "--json").stdout)
    assert "text" in result

    from transformers import pipeline

    asr = pipeline("automatic-speech-recognition", model=str(out))
    assert isinstance(asr(np.zeros(16_000, np.float32))["text"], str)
    presets = {p["name"]: p for p in json.loads(cli(site, "presets", "--json").stdout)}
    assert presets["tiny-data2vec"]["family"] == "data2vec-audio"


def test_a_model_of_a_family_no_plugin_registers_is_one_line(tmp_path):
    from transformers import Data2VecAudioConfig, Data2VecAudioForCTC

    config = Data2VecAudioConfig(
        hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=64,
        conv_dim=(16,), conv_stride=(320,), conv_kernel=(320,), num_conv_pos_embeddings=4,
    )  # fmt: skip
    Data2VecAudioForCTC(config).save_pretrained(tmp_path / "unknown")
    model, out = str(tmp_path / "unknown"), str(tmp_path / "out")
    command = ["train", "tr", "--dataset", "synthetic", *SMALL_CORPUS, "--max-steps", "1",
               "--model", model, "--output-dir", out]  # fmt: skip
    done = run_cli(*command, check=False)
    assert done.returncode == 1
    assert "no plugin registers a model family for 'data2vec-audio'" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
