"""Build a CTC model and its processor from a preset, a Hub id or a local folder."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from asrzoo import console
from asrzoo.errors import UserError
from asrzoo.plugin.objects import ModelFamily, Vocabulary

# CTC needs a frame per label and a blank between repeated ones; under this many frames per label
# token on average, fast rows are dropped or barely align (w2v-BERT's 40 ms frames on fast speech)
MIN_FRAMES_PER_TOKEN = 1.5


def ctc_frames(model, family: ModelFamily, feature_extractor, sample_lengths):
    """The CTC output frames (a tensor) for inputs of ``sample_lengths`` samples: the family's
    count, else the model's own convolution arithmetic."""
    import torch

    lengths = torch.as_tensor(sample_lengths, dtype=torch.long)
    if family.frames is not None:
        return family.frames(model, feature_extractor, lengths)
    return model._get_feat_extract_output_lengths(lengths)


@dataclass
class BuiltModel:
    model: object  # a transformers *ForCTC model
    processor: object  # a transformers processor: feature extractor + CTC tokenizer
    family: ModelFamily
    base: str  # preset name, Hub id or folder it came from
    pretrained: bool  # pretrained encoders keep their feature encoder frozen

    @property
    def feature_extractor(self):
        return self.processor.feature_extractor

    def ctc_frames(self, sample_lengths):
        """The CTC output frames (a tensor) for inputs of ``sample_lengths`` samples."""
        return ctc_frames(self.model, self.family, self.processor.feature_extractor, sample_lengths)

    def frame_table(self, max_samples: int):
        """The number of CTC output frames for every input length up to ``max_samples``, for
        checks in processes that have no model."""
        import torch

        return self.ctc_frames(torch.arange(max_samples + 1)).numpy().astype("int32")

    @property
    def ms_per_frame(self) -> float:
        """Milliseconds of audio per CTC output frame (20 for wav2vec2, 40 for w2v-BERT with its
        adapter), measured over a minute so that edge effects drop out."""
        minute = 60 * self.processor.feature_extractor.sampling_rate
        frames = self.ctc_frames([minute, 2 * minute])
        return 60_000 / int(frames[1] - frames[0])

    def check_frame_rate(self, train_split) -> str | None:
        """Warn (and return the warning) when the model's frames are too coarse for the labels of
        ``train_split`` (prepared rows: ``seconds``, ``labels``)."""
        import pyarrow.compute as pc

        labels = train_split.with_format("arrow")["labels"]
        tokens = pc.sum(pc.list_value_length(labels)).as_py() or 0
        if not tokens:
            return None
        ms_per_token = 1000 * sum(train_split["seconds"]) / tokens
        frames_per_token = ms_per_token / self.ms_per_frame
        if frames_per_token >= MIN_FRAMES_PER_TOKEN:
            return None
        warning = (
            f"{self.base} gives a CTC frame every {self.ms_per_frame:.0f} ms:"
            f" {frames_per_token:.2f} frames per label of this data ({ms_per_token:.0f} ms of audio"
            f" per label), CTC needs about {MIN_FRAMES_PER_TOKEN} or more; prefer a model with"
            " shorter frames"
        )
        console.stderr.print(f"[yellow]warning:[/] {warning}")
        return warning

    @property
    def num_parameters(self) -> int:
        return sum(p.numel() for p in self.model.parameters())

    def save(self, folder: Path) -> None:
        """The model and processor, and whatever its family keeps beside them."""
        self.model.save_pretrained(folder)
        self.processor.save_pretrained(folder)
        if self.family.save is not None:
            self.family.save(self, Path(folder))


def build_tokenizer(
    vocabulary: Vocabulary, target_lang: str | None = None, languages: dict | None = None
):
    """A CTC tokenizer of ``vocabulary``; with ``target_lang`` (MMS), a nested one: one vocabulary
    per ISO 639-3 code, ``languages`` beside ``target_lang``'s."""
    from transformers import Wav2Vec2CTCTokenizer

    vocab = vocabulary.token_to_id()
    if target_lang:
        vocab = {**(languages or {}), target_lang: vocab}
    with tempfile.TemporaryDirectory() as folder:
        vocab_file = Path(folder) / "vocab.json"
        vocab_file.write_text(json.dumps(vocab, ensure_ascii=False), "utf-8")
        return Wav2Vec2CTCTokenizer(
            str(vocab_file),
            unk_token=vocabulary.unk,
            pad_token=vocabulary.pad,
            word_delimiter_token=vocabulary.word_delimiter,
            bos_token=None,  # otherwise <s> and </s> join the vocabulary and the CTC head
            eos_token=None,
            target_lang=target_lang,
        )


def waveform_feature_extractor(config=None):
    """The normalized 16 kHz waveform that wav2vec2-style models read, with an attention mask
    unless ``config`` has a group-norm feature encoder (those were trained without one)."""
    from transformers import Wav2Vec2FeatureExtractor

    layer_norm = getattr(config, "feat_extract_norm", "layer") == "layer"
    return Wav2Vec2FeatureExtractor(
        feature_size=1,
        sampling_rate=16_000,  # what every model of the wav2vec2 family hears
        padding_value=0.0,
        do_normalize=True,
        return_attention_mask=layer_norm,
    )


def feature_extractor_for(family: ModelFamily, config):
    """What a checkpoint that ships no preprocessor_config.json (many encoder-only ones) reads."""
    return (family.feature_extractor or waveform_feature_extractor)(config)


def build_processor(family: ModelFamily, feature_extractor, tokenizer):
    import transformers

    processor_class = getattr(transformers, family.processor_class)
    return processor_class(feature_extractor=feature_extractor, tokenizer=tokenizer)


def ctc_settings(tokenizer) -> dict:
    """The config of a new CTC head for ``tokenizer``'s vocabulary."""
    return {
        "vocab_size": len(tokenizer),
        "pad_token_id": tokenizer.pad_token_id,
        "ctc_loss_reduction": "mean",
        "ctc_zero_infinity": True,
    }


def load_pretrained(
    source: str, vocabulary: Vocabulary, registry=None, family: ModelFamily | None = None
) -> BuiltModel:
    """A Hub id or folder: a pretrained encoder (gets a new CTC head) or a fine-tuned model, with
    its family's recipe (dropouts, SpecAugment); build_model then lets the family ready it. The
    family is ``family``, else the one ``registry`` finds for the checkpoint's config."""
    from transformers import AutoConfig, AutoFeatureExtractor, AutoModelForCTC, Wav2Vec2CTCTokenizer

    try:
        config = AutoConfig.from_pretrained(source)
    except OSError as error:
        raise UserError(f"cannot load model {source!r}: {error}".splitlines()[0]) from error
    family = family or registry.family_for(config)
    try:
        feature_extractor = AutoFeatureExtractor.from_pretrained(source)
    except OSError:
        feature_extractor = feature_extractor_for(family, config)
    # fine-tuned before: keep its head if the vocabulary agrees
    if family.keeps_head and (Path(source) / "vocab.json").is_file():
        tokenizer = Wav2Vec2CTCTokenizer.from_pretrained(source)
        if tokenizer.get_vocab() != vocabulary.token_to_id():
            raise UserError(
                f"{source} was trained with another vocabulary than {vocabulary.language}'s"
            )
        model = AutoModelForCTC.from_pretrained(source, **family.config)
        processor = build_processor(family, feature_extractor, tokenizer)
        return BuiltModel(model, processor, family, source, pretrained=True)
    tokenizer = build_tokenizer(vocabulary)
    model = AutoModelForCTC.from_pretrained(
        source,
        ignore_mismatched_sizes=True,
        **family.new_head_config,
        **family.config,
        **ctc_settings(tokenizer),
    )
    processor = build_processor(family, feature_extractor, tokenizer)
    return BuiltModel(model, processor, family, source, pretrained=True)


def build_model(spec: str, vocabulary: Vocabulary, registry) -> BuiltModel:
    """``spec`` is a preset name, else a local folder or a Hub id."""
    if spec in registry.model_presets:
        built = registry.preset(spec).build(vocabulary)
    elif "/" in spec or Path(spec).exists():
        built = load_pretrained(spec, vocabulary, registry)
    else:
        registry.preset(spec)  # raises with the list of presets
        raise AssertionError("unreachable")
    if built.family.ready is not None:
        language = registry.language(vocabulary.language)
        built = built.family.ready(built, vocabulary, language)
    return built
