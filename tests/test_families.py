"""Every model family's tiny preset trains and evaluates through the one CTC loop, and counts its
CTC frames right."""

import json

import numpy as np
import pytest
import torch

from asrzoo.testing import SMALL_CORPUS, run_cli


def asrzoo(*args):
    return json.loads(run_cli(*args).stdout)


@pytest.fixture(scope="module")
def registry():
    from asrzoo.plugin.registry import Registry

    return Registry()


def build(preset, registry, language="tr"):
    from transformers import set_seed

    from asrzoo.models.build import build_model

    set_seed(0)
    return build_model(preset, registry.vocabulary(language), registry)


@pytest.mark.parametrize(
    "preset, family",
    [
        ("tiny-hubert", "hubert"),
        ("tiny-wav2vec2-conformer", "wav2vec2-conformer"),
        ("tiny-w2v-bert", "wav2vec2-bert"),
    ],
)
def test_a_tiny_preset_trains_evaluates_and_loads_in_pipeline(preset, family, tmp_path):
    from transformers import pipeline

    out = tmp_path / preset
    record = asrzoo(
        "train", "tr", "--dataset", "synthetic", *SMALL_CORPUS, "--model", preset,
        "--max-steps", "3", "--logging-steps", "1", "--output-dir", str(out), "--json",
    )  # fmt: skip
    assert record["family"] == family and record["training"]["steps"] == 3
    losses = [e["loss"] for e in json.loads((out / "asrzoo.json").read_text())["log_history"]
              if "loss" in e]  # fmt: skip
    assert len(losses) == 3 and all(loss > 0 for loss in losses)
    evaluated = asrzoo("evaluate", str(out), "--dataset", "synthetic", "--json")
    assert evaluated["metrics"]["utterances"] == 20
    assert pipeline("automatic-speech-recognition", model=str(out)).model.config.model_type == (
        family
    )


@pytest.mark.parametrize("preset", ["tiny", "tiny-w2v-bert"])
def test_ctc_frames_are_the_frames_the_model_counts_in_a_padded_batch(preset, registry):
    """The CTC loss the model computes on a padded batch (over the frames its attention mask
    leaves) equals the loss over the frames ctc_frames counts, and not over one frame fewer; and
    inference cuts each utterance there."""
    from asrzoo.decoding.inference import featurize, log_probs

    built = build(preset, registry)
    model, extractor = built.model.eval(), built.processor.feature_extractor
    # odd and even numbers of mel frames, and lengths off the hop
    lengths = [6001, 8000, 12345, 15839, 16161, 23999, 40000]
    rng = np.random.default_rng(0)
    arrays = [(0.1 * rng.standard_normal(n)).astype(np.float32) for n in lengths]
    frames = built.ctc_frames(lengths)
    if preset == "tiny-w2v-bert":  # mel frames: 25 ms window, 10 ms hop; two per input frame
        mel = [extractor._extract_fbank_features(a).shape[0] for a in arrays]
        assert featurize(extractor, arrays)["attention_mask"].sum(-1).tolist() == [
            m // 2 for m in mel
        ]
    targets = [torch.randint(3, 30, (int(f) // 3,)) for f in frames]
    labels = torch.nn.utils.rnn.pad_sequence(targets, batch_first=True, padding_value=-100)
    with torch.no_grad():
        output = model(**featurize(extractor, arrays), labels=labels)
    assert output.logits.shape[1] >= max(frames)
    scores = torch.log_softmax(output.logits, -1).transpose(0, 1)

    def loss(input_lengths):
        return torch.nn.functional.ctc_loss(
            scores, torch.cat(targets), input_lengths, torch.tensor([len(t) for t in targets]),
            blank=model.config.pad_token_id, reduction="mean", zero_infinity=True,
        )  # fmt: skip

    assert torch.allclose(output.loss, loss(frames))
    assert not torch.allclose(output.loss, loss(frames - 1))
    cut = log_probs(built, arrays, torch.device("cpu"))
    assert [len(s) for s in cut] == frames.tolist()
    table = built.frame_table(max(lengths))
    assert table[lengths].tolist() == frames.tolist()


def test_ms_per_frame_and_the_frame_rate_warning(registry, capsys):
    import datasets

    expected = {"tiny": 20, "tiny-hubert": 20, "tiny-wav2vec2-conformer": 20, "tiny-mms": 20,
                "tiny-w2v-bert": 40}  # fmt: skip
    built = {preset: build(preset, registry) for preset in expected}
    assert {preset: b.ms_per_frame for preset, b in built.items()} == expected
    # 50 ms of audio per label: 2.5 frames of 20 ms each, 1.25 of 40 ms
    split = datasets.Dataset.from_dict({"seconds": [2.0, 3.0], "labels": [[3] * 40, [4] * 60]})
    assert built["tiny"].check_frame_rate(split) is None
    assert capsys.readouterr().err == ""
    warning = built["tiny-w2v-bert"].check_frame_rate(split)
    assert "every 40 ms: 1.25 frames per label" in warning
    assert "warning:" in capsys.readouterr().err


def test_a_w2v_bert_encoder_folder_gets_a_ctc_head_and_its_adapter(registry, tmp_path):
    """The path of `--model facebook/w2v-bert-2.0`: an encoder without CTC head, adapter or
    vocabulary, and a SeamlessM4TFeatureExtractor, here in a local folder of the same layout."""
    from safetensors.numpy import load_file
    from transformers import SeamlessM4TFeatureExtractor, Wav2Vec2BertConfig, Wav2Vec2BertModel

    encoder = tmp_path / "w2v-bert"
    config = Wav2Vec2BertConfig(
        hidden_size=64, num_hidden_layers=2, num_attention_heads=2, intermediate_size=128
    )
    Wav2Vec2BertModel(config).save_pretrained(encoder)
    SeamlessM4TFeatureExtractor(stride=2).save_pretrained(encoder)
    built = build(str(encoder), registry)
    assert built.family.name == "wav2vec2-bert" and built.model.config.add_adapter
    assert type(built.processor).__name__ == "Wav2Vec2BertProcessor"
    assert built.model.lm_head.out_features == len(registry.vocabulary("tr").token_to_id())
    assert built.ms_per_frame == 40

    out = tmp_path / "ft"
    record = asrzoo(
        "train", "tr", "--dataset", "synthetic", *SMALL_CORPUS, "--model", str(encoder),
        "--max-steps", "2", "--output-dir", str(out), "--json",
    )  # fmt: skip
    assert record["family"] == "wav2vec2-bert" and record["base_model"] == str(encoder)
    before, after = load_file(encoder / "model.safetensors"), load_file(out / "model.safetensors")
    layer = "encoder.layers.0.self_attn.linear_q.weight"
    assert not (before[layer] == after[f"wav2vec2_bert.{layer}"]).all()  # trained
    again = build(str(out), registry)  # fine-tuned before: keeps its head and processor
    assert type(again.processor).__name__ == "Wav2Vec2BertProcessor"
    assert torch.equal(again.model.lm_head.weight, torch.from_numpy(after["lm_head.weight"]))
