"""MMS adapter training: only a language's attention adapters and CTC head train on the frozen
base, and one folder holds the adapters of several languages and switches between them."""

import json

import numpy as np
import pytest
import torch

from asrzoo.testing import SMALL_CORPUS, run_cli

OPTIONS = dict(option.split("=") for option in SMALL_CORPUS[1::2])  # as the CLI passes them


@pytest.fixture(scope="module")
def registry():
    from asrzoo.plugin.registry import Registry

    return Registry()


def train_cli(language, model, out, steps):
    run_cli("train", language, "--dataset", "synthetic", *SMALL_CORPUS, "--model", model,
            "--max-steps", str(steps), "--output-dir", str(out), "--json")  # fmt: skip
    return out


@pytest.fixture(scope="module")
def turkish(tmp_path_factory):
    return train_cli("tr", "tiny-mms", tmp_path_factory.mktemp("mms") / "tr", 24)


@pytest.fixture(scope="module")
def turkish_then_german(turkish):
    """German adapters trained from the Turkish folder: the new folder holds both."""
    return train_cli("de", str(turkish), turkish.parent / "tr-de", 8)


def prepared(registry, language, built, split="validation"):
    from asrzoo.data.prepare import PrepareOptions, for_model, prepare

    data = prepare(registry, language, "synthetic", PrepareOptions(), OPTIONS)
    return for_model(data, built).splits[split]


def predictions(built, rows) -> list[str]:
    from asrzoo.scoring.evaluation import evaluate_split

    return [p["prediction"] for p in evaluate_split(built, rows)["predictions"]]


def saved_predictions(folder) -> list[str]:
    lines = (folder / "predictions-validation.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line)["prediction"] for line in lines]


def test_only_the_adapters_and_the_head_train(registry, tmp_path):
    from transformers import set_seed
    from transformers.models.wav2vec2.modeling_wav2vec2 import WAV2VEC2_ADAPTER_SAFE_FILE

    from asrzoo.default_plugins.families import MMS_ADAPTER_FILE
    from asrzoo.default_plugins.presets import TINY_HYPERPARAMETERS
    from asrzoo.models.build import build_model
    from asrzoo.training.loop import TrainSettings, train

    set_seed(0)
    built = build_model("tiny-mms", registry.vocabulary("tr"), registry)
    model, config = built.model, built.model.config
    trainable = {name: p for name, p in model.named_parameters() if p.requires_grad}
    adapters = model._get_adapters()  # every layer's adapter, and the CTC head
    assert set(trainable) == set(adapters) and "lm_head.weight" in adapters
    width, bottleneck, vocab = config.hidden_size, config.adapter_attn_dim, config.vocab_size
    # per layer: layer norm, down- and up-projection with biases; then the head
    adapter = 2 * width + (width * bottleneck + bottleneck) + (bottleneck * width + width)
    head = vocab * width + vocab
    count = sum(p.numel() for p in trainable.values())
    assert count == config.num_hidden_layers * adapter + head == 33_313
    assert count < 0.02 * built.num_parameters
    assert MMS_ADAPTER_FILE == WAV2VEC2_ADAPTER_SAFE_FILE  # the name load_adapter reads

    before = {name: tensor.clone() for name, tensor in model.state_dict().items()}
    train(
        built,
        prepared(registry, "tr", built, "train").select(range(16)),
        TrainSettings(output_dir=tmp_path, max_steps=3),
        {**TINY_HYPERPARAMETERS, "warmup_steps": 0},
    )
    after = model.state_dict()
    assert {name for name in before if not torch.equal(before[name], after[name])} == set(adapters)


def test_one_folder_serves_both_languages(registry, turkish, turkish_then_german):
    from safetensors.torch import load_file

    from asrzoo.workflows import load_trained

    folder = turkish_then_german
    assert (folder / "adapter.tur.safetensors").read_bytes() == (
        turkish / "adapter.tur.safetensors"
    ).read_bytes()
    vocab = json.loads((folder / "vocab.json").read_text("utf-8"))
    assert vocab == {
        "tur": registry.vocabulary("tr").token_to_id(),
        "deu": registry.vocabulary("de").token_to_id(),
    }
    first, second = (
        load_file(turkish / "model.safetensors"),
        load_file(folder / "model.safetensors"),
    )
    base = [name for name in first if "adapter_layer" not in name and "lm_head" not in name]
    assert all(torch.equal(first[name], second[name]) for name in base)  # frozen

    built, metadata = load_trained(str(folder))  # the folder's own language: German
    assert metadata["language"] == "de" and built.processor.tokenizer.target_lang == "deu"
    turkish_rows, german_rows = (prepared(registry, c, built) for c in ("tr", "de"))
    german = predictions(built, german_rows)
    assert german == saved_predictions(folder)

    built.model.load_adapter("tur")
    built.processor.tokenizer.set_target_lang("tur")
    turkish_output = predictions(built, turkish_rows)
    assert turkish_output == saved_predictions(turkish)  # exactly what the Turkish model wrote

    built.model.load_adapter("deu")
    built.processor.tokenizer.set_target_lang("deu")
    assert predictions(built, german_rows) == german
    assert predictions(built, turkish_rows) != turkish_output


def test_pipeline_reads_the_folder_in_either_language(registry, turkish_then_german):
    """By default in the language trained last (German); in Turkish the way MMS documents it."""
    from transformers import AutoTokenizer, pipeline

    from asrzoo.data.audio import from_pcm16
    from asrzoo.decoding.inference import featurize
    from asrzoo.workflows import load_trained

    folder = str(turkish_then_german)
    built, _ = load_trained(folder)
    audio = from_pcm16(np.asarray(prepared(registry, "tr", built)[0]["audio"], np.int16))
    turkish = {
        "tokenizer": AutoTokenizer.from_pretrained(folder, target_lang="tur"),
        "model_kwargs": {"target_lang": "tur", "ignore_mismatched_sizes": True},
    }
    for language, options in (("deu", {}), ("tur", turkish)):
        built.model.load_adapter(language)
        built.processor.tokenizer.set_target_lang(language)
        with torch.no_grad():  # in float32, as the pipeline runs
            logits = built.model(**featurize(built.processor.feature_extractor, [audio])).logits
        expected = built.processor.tokenizer.decode(logits[0].argmax(-1))
        recognize = pipeline("automatic-speech-recognition", model=folder, **options)
        assert recognize(audio)["text"] == expected, language
