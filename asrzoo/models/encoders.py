"""Models of the wav2vec2 family without a CTC head: a language classifier
(``*ForSequenceClassification``) and the self-supervised pretraining model
(``*ForPreTraining``: contrastive loss over quantized targets). Both start from a preset's
architecture (random init) or from a checkpoint (a Hub id or folder)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from asrzoo.errors import UserError
from asrzoo.models.build import feature_extractor_for
from asrzoo.plugin.objects import ModelFamily, Vocabulary

# the classifier of `asrzoo lid train --model tiny-lid`: the `tiny` preset's encoder
LID_PRESETS = {"tiny-lid": "tiny"}
# What pretraining masks (wav2vec 2.0's and transformers' pretraining example: 65 % of the frames
# start a span of 10) and how many distractors each masked frame is contrasted with.
PRETRAINING_CONFIG = {"mask_time_prob": 0.65, "mask_time_length": 10, "num_negatives": 100}


@dataclass
class EncoderModel:
    """A model of the family and the feature extractor that feeds it; what the training loop
    needs of a BuiltModel."""

    model: object
    feature_extractor: object
    family: ModelFamily
    base: str  # preset, Hub id or folder it came from
    pretrained: bool  # from a checkpoint: its feature encoder stays frozen in LID training

    @property
    def num_parameters(self) -> int:
        return sum(p.numel() for p in self.model.parameters())

    def save(self, folder: Path) -> None:
        self.model.save_pretrained(folder)
        self.feature_extractor.save_pretrained(folder)


def _source(spec: str, vocabulary: Vocabulary, registry):
    """(config, checkpoint or None, family) of a preset (its architecture, or its Hub
    checkpoint), a folder or a Hub id."""
    from transformers import AutoConfig

    if spec in registry.model_presets:
        preset = registry.preset(spec)
        if not preset.base:  # random init: the preset's own architecture
            built = preset.build(vocabulary)
            return built.model.config, None, built.family
        spec = preset.base
    elif not ("/" in spec or Path(spec).exists()):
        registry.preset(spec)  # raises with the list of presets
    try:
        config = AutoConfig.from_pretrained(spec)
    except OSError as error:
        raise UserError(f"cannot load model {spec!r}: {error}".splitlines()[0]) from error
    return config, spec, registry.family_for(config)


def _feature_extractor(checkpoint: str | None, family: ModelFamily, config):
    from transformers import AutoFeatureExtractor

    if checkpoint:
        try:
            return AutoFeatureExtractor.from_pretrained(checkpoint)
        except OSError:
            pass  # encoder-only checkpoints often ship none
    return feature_extractor_for(family, config)


def build_lid_model(
    spec: str, languages: list[str], vocabulary: Vocabulary, registry
) -> EncoderModel:
    """A language classifier over ``languages`` (their codes are its labels): from a preset's
    architecture, or a checkpoint with a new classification head (a Hub LID model such as
    facebook/mms-lid-126 included: its head is replaced by one for these languages)."""
    from transformers import AutoModelForAudioClassification

    config, checkpoint, family = _source(LID_PRESETS.get(spec, spec), vocabulary, registry)
    labels = {
        "num_labels": len(languages),
        "id2label": dict(enumerate(languages)),
        "label2id": {code: i for i, code in enumerate(languages)},
    }
    try:
        if checkpoint is None:
            config.update(labels)
            model = AutoModelForAudioClassification.from_config(config)
        else:
            # the family's fine-tuning settings (SpecAugment, dropouts) over the checkpoint's:
            # a folder from `asrzoo pretrain` masks 65 % of its frames
            model = AutoModelForAudioClassification.from_pretrained(
                checkpoint, ignore_mismatched_sizes=True, **labels, **family.config
            )
    except ValueError as error:  # a model type without a classification model
        raise UserError(f"{spec} cannot classify audio: {error}".splitlines()[0]) from error
    extractor = _feature_extractor(checkpoint, family, config)
    return EncoderModel(model, extractor, family, spec, pretrained=checkpoint is not None)


def build_pretraining_model(spec: str, vocabulary: Vocabulary, registry) -> EncoderModel:
    """A ``*ForPreTraining`` model: a preset's architecture from random initialisation, or a
    checkpoint to pretrain further (its quantizer too, where it has one: a checkpoint that was
    fine-tuned has none, and gets a new one)."""
    from transformers import AutoModelForPreTraining

    config, checkpoint, family = _source(spec, vocabulary, registry)
    try:
        if checkpoint is None:
            # codevectors a third of the width, as wav2vec 2.0 base's (768 -> 256): the
            # contrastive loss's similarities over 100 distractors per frame scale with them,
            # and the default 256 made a tiny model's step 3.3x slower
            width = max(config.hidden_size // 3, 32)
            config.update(
                {**PRETRAINING_CONFIG, "codevector_dim": width, "proj_codevector_dim": width}
            )
            model = AutoModelForPreTraining.from_config(config)
        else:
            model = AutoModelForPreTraining.from_pretrained(checkpoint, **PRETRAINING_CONFIG)
    except ValueError as error:
        raise UserError(
            f"{spec} ({config.model_type}) has no self-supervised pretraining model in"
            " transformers: wav2vec2 and wav2vec2-conformer models have one"
        ) from error
    extractor = _feature_extractor(checkpoint, family, config)
    return EncoderModel(model, extractor, family, spec, pretrained=False)
