"""The pretrained presets (xls-r-300m, mms-1b-all, w2v-bert-2.0, ...) load their Hub checkpoint
and train it with their family's recipe. The Hub is out of reach here, so each checkpoint is a
small model of the same family written into a Hugging Face cache, in the layout the Hub client
leaves there; with HF_HUB_OFFLINE=1, from_pretrained reads it as it would a downloaded one."""

import json
import os

import pytest
from safetensors.numpy import load_file

from asrzoo.testing import SMALL_CORPUS, cache_checkpoint, run_cli

SMALL = {"hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 2,
         "intermediate_size": 128, "hidden_dropout": 0.1, "layerdrop": 0.1}  # fmt: skip
WAVEFORM = {"conv_dim": (32, 32, 32), "conv_kernel": (20, 8, 8), "conv_stride": (10, 4, 8),
            "num_conv_pos_embeddings": 16, "num_conv_pos_embedding_groups": 4,
            "feat_extract_norm": "layer", "do_stable_layer_norm": True}  # fmt: skip


def xls_r(transformers):
    config = transformers.Wav2Vec2Config(**SMALL, **WAVEFORM)
    extractor = transformers.Wav2Vec2FeatureExtractor(return_attention_mask=True)
    return transformers.Wav2Vec2Model(config), extractor


def mms(transformers):
    config = transformers.Wav2Vec2Config(**SMALL, **WAVEFORM, adapter_attn_dim=8, vocab_size=40)
    extractor = transformers.Wav2Vec2FeatureExtractor(return_attention_mask=True)
    return transformers.Wav2Vec2ForCTC(config), extractor


def w2v_bert(transformers):
    config = transformers.Wav2Vec2BertConfig(**SMALL)
    extractor = transformers.SeamlessM4TFeatureExtractor(stride=2)
    return transformers.Wav2Vec2BertModel(config), extractor


# (preset, Hub id, checkpoint, family, its recipe, a layer's weight and whether training changes it)
PRESETS = [
    ("xls-r-300m", "facebook/wav2vec2-xls-r-300m", xls_r, "wav2vec2",
     {"learning_rate": 3e-4, "batch_size": 16, "gradient_accumulation_steps": 2},
     "encoder.layers.0.attention.q_proj.weight", True),
    # MMS: the base stays frozen (test_mms.py counts what trains)
    ("mms-1b-all", "facebook/mms-1b-all", mms, "mms",
     {"learning_rate": 1e-3, "batch_size": 32, "gradient_accumulation_steps": 1},
     "encoder.layers.0.attention.q_proj.weight", False),
    ("w2v-bert-2.0", "facebook/w2v-bert-2.0", w2v_bert, "wav2vec2-bert",
     {"learning_rate": 5e-5, "batch_size": 16, "gradient_accumulation_steps": 2},
     "encoder.layers.0.self_attn.linear_q.weight", True),
]  # fmt: skip


@pytest.mark.parametrize("preset, repo_id, checkpoint, family, recipe, layer, changes", PRESETS)
def test_a_pretrained_preset_trains_its_hub_checkpoint_with_its_familys_recipe(
    preset, repo_id, checkpoint, family, recipe, layer, changes, tmp_path
):
    import transformers

    cache = tmp_path / "hub"
    snapshot = cache_checkpoint(cache, repo_id, *checkpoint(transformers))
    out = tmp_path / "ft"
    record = json.loads(
        run_cli(
            "train", "tr", "--dataset", "synthetic", *SMALL_CORPUS, "--model", preset,
            "--max-steps", "2", "--output-dir", str(out), "--json",
            env={**os.environ, "HF_HUB_CACHE": str(cache)},  # read when huggingface_hub loads
        ).stdout
    )  # fmt: skip
    assert record["base_model"] == repo_id and record["family"] == family
    hp = record["hyperparameters"]
    assert {key: hp[key] for key in recipe} == recipe and hp["gradient_checkpointing"] is True
    assert record["training"]["steps"] == 2 and record["training"]["attention"] == "sdpa"
    config = json.loads((out / "config.json").read_text())
    assert config["hidden_dropout"] == 0.0 and config["layerdrop"] == 0.0  # the recipe's
    # trained through gradient checkpointing (and past the frozen feature encoder)
    before, after = load_file(snapshot / "model.safetensors"), load_file(out / "model.safetensors")
    name = next(key for key in after if key.endswith(layer))
    original = before[name] if name in before else before[name.split(".", 1)[1]]
    assert (after[name] != original).any() == changes


def test_a_hub_id_gets_its_familys_recipe_and_the_command_line_overrides_it(registry):
    from asrzoo.models.build import BuiltModel
    from asrzoo.workflows import training_hyperparameters

    def chosen(spec, family, pretrained, overrides=None):
        built = BuiltModel(None, None, registry.family(family), spec, pretrained)
        return training_hyperparameters(registry, spec, built, overrides)

    # a Hub id that is no preset: the recipe of the family its config names
    assert chosen("me/my-mms", "mms", True)["learning_rate"] == 1e-3
    assert chosen("me/my-w2v-bert", "wav2vec2-bert", True)["learning_rate"] == 5e-5
    assert chosen("xls-r-300m", "wav2vec2", True) == chosen("me/xls-r", "wav2vec2", True)
    overridden = chosen(
        "xls-r-300m",
        "wav2vec2",
        True,
        {"gradient_checkpointing": False, "gradient_accumulation_steps": 1},
    )
    assert (overridden["gradient_checkpointing"], overridden["gradient_accumulation_steps"],
            overridden["learning_rate"]) == (False, 1, 3e-4)  # fmt: skip
    assert chosen("tiny", "wav2vec2", False)["gradient_checkpointing"] is False


def test_presets_lists_every_family_with_its_checkpoint_and_recipe():
    rows = {row["name"]: row for row in json.loads(run_cli("presets", "--json").stdout)}
    families = {row["family"] for row in rows.values()}
    assert families == {"wav2vec2", "hubert", "wav2vec2-conformer", "wav2vec2-bert", "mms"}
    assert rows["xlsr-53"]["base"] == "facebook/wav2vec2-large-xlsr-53"
    assert rows["mms-1b-all"]["trains"] == "adapters, head"
    assert rows["tiny"]["base"] is None and rows["tiny"]["trains"] == "all"
    assert rows["w2v-bert-2.0"]["hyperparameters"]["learning_rate"] == 5e-5
    table = run_cli("presets").stdout
    assert "xls-r-300m" in table and "random init" in table
