"""Build a CTC model and its processor from a preset, a Hub id or a local folder."""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from asrzoo import console
from asrzoo.audio import SAMPLING_RATE
from asrzoo.errors import UserError
from asrzoo.plugin_objects import Vocabulary
from asrzoo.recipes import recipe_config

# SeamlessM4TFeatureExtractor (w2v-BERT) computes mel frames with a fixed 25 ms window and 10 ms
# hop at 16 kHz, then stacks `stride` of them into one model input frame.
MEL_WINDOW, MEL_HOP = 400, 160
# CTC needs a frame per label and a blank between repeated ones; under this many frames per label
# token on average, fast rows are dropped or barely align (w2v-BERT's 40 ms frames on fast speech)
MIN_FRAMES_PER_TOKEN = 1.5
# one language's adapter weights and CTC head: transformers' WAV2VEC2_ADAPTER_SAFE_FILE, the file
# Wav2Vec2ForCTC.load_adapter(iso) reads (copied: this module imports without torch)
MMS_ADAPTER_FILE = "adapter.{}.safetensors"


def ctc_frames(model, feature_extractor, sample_lengths):
    """The CTC output frames (a tensor) for inputs of ``sample_lengths`` samples, in every family:
    wav2vec2-style models count their convolutions over samples; w2v-BERT counts mel frames, the
    feature extractor's stacking, then its adapter's reduction."""
    import torch

    lengths = torch.as_tensor(sample_lengths, dtype=torch.long)
    if "input_features" in feature_extractor.model_input_names:
        mel = torch.clamp((lengths - MEL_WINDOW) // MEL_HOP + 1, min=0)
        lengths = mel // feature_extractor.stride
    return model._get_feat_extract_output_lengths(lengths)


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

        lengths = ctc_frames(
            self.model, self.processor.feature_extractor, torch.arange(max_samples + 1)
        )
        return lengths.numpy().astype(np.int32)

    @property
    def ms_per_frame(self) -> float:
        """Milliseconds of audio per CTC output frame (20 for wav2vec2, 40 for w2v-BERT with its
        adapter), measured over a minute so that edge effects drop out."""
        minute = 60 * SAMPLING_RATE
        frames = ctc_frames(self.model, self.processor.feature_extractor, [minute, 2 * minute])
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
        """The model and processor; an MMS model also its language's adapter file, beside those
        of the languages it was trained from (its nested vocabulary names them)."""
        self.model.save_pretrained(folder)
        self.processor.save_pretrained(folder)
        if self.family != "mms":
            return
        from safetensors.torch import save_file

        language = self.model.target_lang
        adapters = {k: v.detach().cpu().contiguous() for k, v in self.model._get_adapters().items()}
        save_file(adapters, Path(folder) / MMS_ADAPTER_FILE.format(language), {"format": "pt"})
        for other in self.processor.tokenizer.vocab:
            source = Path(self.base) / MMS_ADAPTER_FILE.format(other)
            target = Path(folder) / source.name
            if other != language and not target.exists():
                shutil.copy2(source, target)


def family_of(config) -> str:
    """MMS is a wav2vec2 with per-language attention adapters."""
    return "mms" if getattr(config, "adapter_attn_dim", None) else config.model_type


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


def build_wav2vec2_feature_extractor(layer_norm: bool):
    from transformers import Wav2Vec2FeatureExtractor

    return Wav2Vec2FeatureExtractor(
        feature_size=1,
        sampling_rate=SAMPLING_RATE,
        padding_value=0.0,
        do_normalize=True,
        return_attention_mask=layer_norm,
    )


def build_mel_feature_extractor():
    """w2v-BERT's: 80 log-mel bins, two frames stacked per model input frame (20 ms)."""
    from transformers import SeamlessM4TFeatureExtractor

    return SeamlessM4TFeatureExtractor(
        feature_size=80, num_mel_bins=80, stride=2, sampling_rate=SAMPLING_RATE
    )


def build_processor(feature_extractor, tokenizer):
    from transformers import Wav2Vec2BertProcessor, Wav2Vec2Processor

    mel = "input_features" in feature_extractor.model_input_names
    processor_class = Wav2Vec2BertProcessor if mel else Wav2Vec2Processor
    return processor_class(feature_extractor=feature_extractor, tokenizer=tokenizer)


def ctc_settings(tokenizer) -> dict:
    return {
        "vocab_size": len(tokenizer),
        "pad_token_id": tokenizer.pad_token_id,
        "ctc_loss_reduction": "mean",
        "ctc_zero_infinity": True,
    }


def default_feature_extractor(config):
    """For checkpoints that ship no preprocessor_config.json (many encoder-only ones)."""
    if config.model_type == "wav2vec2-bert":
        return build_mel_feature_extractor()
    return build_wav2vec2_feature_extractor(
        getattr(config, "feat_extract_norm", "layer") == "layer"
    )


def load_pretrained(source: str, vocabulary: Vocabulary) -> BuiltModel:
    """A Hub id or folder: a pretrained encoder (gets a new CTC head) or a fine-tuned model, with
    its family's recipe (dropouts, SpecAugment). An MMS model comes back with its base;
    build_model readies its adapters."""
    from transformers import AutoConfig, AutoFeatureExtractor, AutoModelForCTC, Wav2Vec2CTCTokenizer

    try:
        config = AutoConfig.from_pretrained(source)
    except OSError as error:
        raise UserError(f"cannot load model {source!r}: {error}".splitlines()[0]) from error
    family = family_of(config)
    try:
        feature_extractor = AutoFeatureExtractor.from_pretrained(source)
    except OSError:
        feature_extractor = default_feature_extractor(config)
    # fine-tuned before: keep its head if the vocabulary agrees (MMS: one head per language)
    if family != "mms" and (Path(source) / "vocab.json").is_file():
        tokenizer = Wav2Vec2CTCTokenizer.from_pretrained(source)
        if tokenizer.get_vocab() != vocabulary.token_to_id():
            raise UserError(
                f"{source} was trained with another vocabulary than {vocabulary.language}'s"
            )
        model = AutoModelForCTC.from_pretrained(source, **recipe_config(family))
        processor = build_processor(feature_extractor, tokenizer)
        return BuiltModel(model, processor, family, source, pretrained=True)
    tokenizer = build_tokenizer(vocabulary)
    # the w2v-BERT fine-tuning guide's choice: a convolutional adapter on top of the encoder that
    # halves its frame rate (40 ms frames)
    extra = {"add_adapter": True} if family == "wav2vec2-bert" else {}
    model = AutoModelForCTC.from_pretrained(
        source,
        ignore_mismatched_sizes=True,
        **extra,
        **recipe_config(family),
        **ctc_settings(tokenizer),
    )
    processor = build_processor(feature_extractor, tokenizer)
    return BuiltModel(model, processor, family, source, pretrained=True)


def adapter_training(built: BuiltModel, vocabulary: Vocabulary, language: str) -> BuiltModel:
    """An MMS model ready to train only ``language``'s (ISO 639-3) attention adapters and CTC head
    on its frozen base. Its nested vocabulary keeps the languages whose adapter files the source
    folder holds, so one folder serves them all; an adapter of this very vocabulary there trains
    further, else a fresh one starts."""
    model = built.model
    languages = _adapter_languages(built.base) if built.pretrained else {}
    if languages.get(language) == vocabulary.token_to_id():
        model.load_adapter(language)
    else:
        # transformers 5 leaves loaded (or already initialised) weights alone: unmark them
        for parameter in model._get_adapters().values():
            parameter._is_hf_initialized = False
        model.init_adapter_layers()
        model.target_lang = language
    model.freeze_base_model()
    for parameter in model._get_adapters().values():  # the adapters and the CTC head
        parameter.requires_grad = True
    tokenizer = build_tokenizer(vocabulary, language, languages)
    processor = build_processor(built.processor.feature_extractor, tokenizer)
    return BuiltModel(model, processor, "mms", built.base, built.pretrained)


def _adapter_languages(source: str) -> dict[str, dict]:
    """The vocabularies of an MMS folder's languages whose adapter file is there too (a Hub id's
    hundreds of adapters are not carried along)."""
    folder = Path(source)
    vocab_file = folder / "vocab.json"
    if not vocab_file.is_file():
        return {}
    vocab = json.loads(vocab_file.read_text("utf-8"))
    return {
        language: tokens
        for language, tokens in vocab.items()
        if isinstance(tokens, dict) and (folder / MMS_ADAPTER_FILE.format(language)).is_file()
    }


def use_language(built: BuiltModel, language: str) -> None:
    """Point an MMS model and its tokenizer at one of the folder's languages (ISO 639-3)."""
    built.model.load_adapter(language)
    built.processor.tokenizer.set_target_lang(language)


def build_model(spec: str, vocabulary: Vocabulary, registry) -> BuiltModel:
    """``spec`` is a preset name, else a local folder or a Hub id."""
    if spec in registry.model_presets:
        built = registry.preset(spec).build(vocabulary)
    elif "/" in spec or Path(spec).exists():
        built = load_pretrained(spec, vocabulary)
    else:
        registry.preset(spec)  # raises with the list of presets
        raise AssertionError("unreachable")
    if built.family == "mms":
        built = adapter_training(built, vocabulary, registry.language(vocabulary.language).iso639_3)
    return built
