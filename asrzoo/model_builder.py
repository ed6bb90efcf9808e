"""Build a CTC model and its processor from a preset, a Hub id or a local folder."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from asrzoo.audio import SAMPLING_RATE
from asrzoo.errors import UserError
from asrzoo.plugin_objects import Vocabulary


@dataclass
class BuiltModel:
    model: object  # a transformers *ForCTC model
    processor: object  # a transformers processor: feature extractor + CTC tokenizer
    family: str
    base: str  # preset name, Hub id or folder it came from
    pretrained: bool  # pretrained encoders keep their feature encoder frozen

    def frame_table(self, max_samples: int) -> np.ndarray:
        """The number of CTC output frames for every input length up to ``max_samples``, for
        checks in processes that have no model."""
        import torch

        lengths = self.model._get_feat_extract_output_lengths(torch.arange(max_samples + 1))
        return lengths.numpy().astype(np.int32)

    @property
    def num_parameters(self) -> int:
        return sum(p.numel() for p in self.model.parameters())


def build_tokenizer(vocabulary: Vocabulary):
    from transformers import Wav2Vec2CTCTokenizer

    with tempfile.TemporaryDirectory() as folder:
        vocab_file = Path(folder) / "vocab.json"
        vocab_file.write_text(json.dumps(vocabulary.token_to_id(), ensure_ascii=False), "utf-8")
        return Wav2Vec2CTCTokenizer(
            str(vocab_file),
            unk_token=vocabulary.unk,
            pad_token=vocabulary.pad,
            word_delimiter_token=vocabulary.word_delimiter,
            bos_token=None,  # otherwise <s> and </s> join the vocabulary and the CTC head
            eos_token=None,
        )


def build_wav2vec2_feature_extractor(layer_norm: bool):
    from transformers import Wav2Vec2FeatureExtractor

    return Wav2Vec2FeatureExtractor(
        feature_size=1,
        sampling_rate=SAMPLING_RATE,
        padding_value=0.0,
        do_normalize=True,
        return_attention_mask=layer_norm,
    )


def ctc_settings(tokenizer) -> dict:
    return {
        "vocab_size": len(tokenizer),
        "pad_token_id": tokenizer.pad_token_id,
        "ctc_loss_reduction": "mean",
        "ctc_zero_infinity": True,
    }


def load_pretrained(source: str, vocabulary: Vocabulary) -> BuiltModel:
    """A Hub id or folder: a pretrained encoder (gets a new CTC head) or a fine-tuned model."""
    from transformers import AutoConfig, AutoFeatureExtractor, AutoModelForCTC, Wav2Vec2Processor

    try:
        config = AutoConfig.from_pretrained(source)
    except OSError as error:
        raise UserError(f"cannot load model {source!r}: {error}".splitlines()[0]) from error
    folder = Path(source)
    # fine-tuned before: keep its head if the vocabulary agrees
    if (folder / "vocab.json").is_file():
        processor = Wav2Vec2Processor.from_pretrained(source)
        if processor.tokenizer.get_vocab() != vocabulary.token_to_id():
            raise UserError(
                f"{source} was trained with another vocabulary than {vocabulary.language}'s"
            )
        model = AutoModelForCTC.from_pretrained(source)
        return BuiltModel(model, processor, config.model_type, source, pretrained=True)
    tokenizer = build_tokenizer(vocabulary)
    try:
        feature_extractor = AutoFeatureExtractor.from_pretrained(source)
    except OSError:  # many encoder-only checkpoints ship no preprocessor_config.json
        layer_norm = getattr(config, "feat_extract_norm", "layer") == "layer"
        feature_extractor = build_wav2vec2_feature_extractor(layer_norm)
    processor = Wav2Vec2Processor(feature_extractor=feature_extractor, tokenizer=tokenizer)
    model = AutoModelForCTC.from_pretrained(
        source, ignore_mismatched_sizes=True, **ctc_settings(tokenizer)
    )
    return BuiltModel(model, processor, config.model_type, source, pretrained=True)


def build_model(spec: str, vocabulary: Vocabulary, registry) -> BuiltModel:
    """``spec`` is a preset name, else a local folder or a Hub id."""
    if spec in registry.model_presets:
        return registry.preset(spec).build(vocabulary)
    if "/" in spec or Path(spec).exists():
        return load_pretrained(spec, vocabulary)
    registry.preset(spec)  # raises with the list of presets
    raise AssertionError("unreachable")
