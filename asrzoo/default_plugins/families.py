"""The model families asrzoo ships: wav2vec2 (XLSR, XLS-R, MMS-300m), HuBERT, wav2vec2-conformer,
MMS with per-language adapters, and w2v-BERT 2.0. Everything that is particular to one of them
lives here; the engine asks the family.

Their fine-tuning recipes come from the sources:

- wav2vec2 / XLSR / XLS-R, HuBERT, wav2vec2-conformer: "Fine-tuning XLS-R for Multi-Lingual
  ASR" (the seed blog): batches of 16 x 2 accumulated, learning rate 3e-4, 500 warm-up steps,
  gradient checkpointing, no dropout or layer drop, SpecAugment time masks at p = 0.05.
- MMS: "Fine-tuning MMS Adapter Models": only adapters and head train, so a much higher rate,
  1e-3, 100 warm-up steps, batches of 32.
- w2v-BERT 2.0: "Fine-Tune W2V2-Bert": rate 5e-5, 500 warm-up steps, 16 x 2 accumulated, no
  SpecAugment (its mel input has its own masking in pre-training).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from asrzoo import (
    BuiltModel,
    Language,
    ModelFamily,
    Vocabulary,
    build_processor,
    build_tokenizer,
    hookimpl,
)

_XLS_R_TRAINING = {
    "learning_rate": 3e-4,
    "warmup_steps": 500,
    "batch_size": 16,
    "gradient_accumulation_steps": 2,
    "gradient_checkpointing": True,
}
_NO_DROPOUT = {
    "attention_dropout": 0.0,
    "hidden_dropout": 0.0,
    "feat_proj_dropout": 0.0,
    "layerdrop": 0.0,
}
_XLS_R_CONFIG = {**_NO_DROPOUT, "mask_time_prob": 0.05}


def _has_adapters(config) -> bool:
    return bool(getattr(config, "adapter_attn_dim", None))


WAV2VEC2 = ModelFamily(
    name="wav2vec2",
    description="wav2vec 2.0, XLSR-53, XLS-R, MMS-300m: convolutions over the raw waveform",
    model_types=("wav2vec2",),
    detect=lambda config: not _has_adapters(config),
    hyperparameters=_XLS_R_TRAINING,
    config=_XLS_R_CONFIG,
)
HUBERT = ModelFamily(
    name="hubert",
    description="HuBERT: wav2vec2's architecture, pre-trained on masked cluster prediction",
    model_types=("hubert",),
    hyperparameters=_XLS_R_TRAINING,
    config=_XLS_R_CONFIG,
)
CONFORMER = ModelFamily(
    name="wav2vec2-conformer",
    description="wav2vec2 with conformer layers (rotary or relative positions)",
    model_types=("wav2vec2-conformer",),
    hyperparameters=_XLS_R_TRAINING,
    config=_XLS_R_CONFIG,
)


# --- MMS: a wav2vec2 with one small attention adapter per layer and language ------------------

# one language's adapter weights and CTC head: transformers' WAV2VEC2_ADAPTER_SAFE_FILE, the file
# Wav2Vec2ForCTC.load_adapter(iso) reads
MMS_ADAPTER_FILE = "adapter.{}.safetensors"


def adapter_training(built: BuiltModel, vocabulary: Vocabulary, language: Language) -> BuiltModel:
    """An MMS model ready to train only ``language``'s attention adapters and CTC head on its
    frozen base. Its nested vocabulary keeps the languages whose adapter files the source folder
    holds, so one folder serves them all; an adapter of this very vocabulary there trains
    further, else a fresh one starts."""
    model, code = built.model, language.iso639_3
    languages = _adapter_languages(built.base) if built.pretrained else {}
    if languages.get(code) == vocabulary.token_to_id():
        model.load_adapter(code)
    else:
        # transformers 5 leaves loaded (or already initialised) weights alone: unmark them
        for parameter in model._get_adapters().values():
            parameter._is_hf_initialized = False
        model.init_adapter_layers()
        model.target_lang = code
    model.freeze_base_model()
    for parameter in model._get_adapters().values():  # the adapters and the CTC head
        parameter.requires_grad = True
    tokenizer = build_tokenizer(vocabulary, code, languages)
    processor = build_processor(built.family, built.processor.feature_extractor, tokenizer)
    return BuiltModel(model, processor, built.family, built.base, built.pretrained)


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


def use_folder_language(built: BuiltModel) -> None:
    """A folder speaks the language it was trained on last, of those it holds."""
    language = getattr(built.processor.tokenizer, "target_lang", None)
    if language:
        use_language(built, language)


def use_language(built: BuiltModel, language: str) -> None:
    """Point an MMS model and its tokenizer at one of the folder's languages (ISO 639-3)."""
    built.model.load_adapter(language)
    built.processor.tokenizer.set_target_lang(language)


def save_adapters(built: BuiltModel, folder: Path) -> None:
    """The trained language's adapter file, beside those of the languages it was trained from
    (its nested vocabulary names them)."""
    from safetensors.torch import save_file

    language = built.model.target_lang
    adapters = {k: v.detach().cpu().contiguous() for k, v in built.model._get_adapters().items()}
    save_file(adapters, folder / MMS_ADAPTER_FILE.format(language), {"format": "pt"})
    for other in built.processor.tokenizer.vocab:
        source = Path(built.base) / MMS_ADAPTER_FILE.format(other)
        target = folder / source.name
        if other != language and not target.exists():
            shutil.copy2(source, target)


MMS = ModelFamily(
    name="mms",
    description="MMS: a frozen wav2vec2 base with per-language attention adapters and heads",
    model_types=("wav2vec2",),
    detect=_has_adapters,
    hyperparameters={
        **_XLS_R_TRAINING,
        "learning_rate": 1e-3,
        "warmup_steps": 100,
        "batch_size": 32,
        "gradient_accumulation_steps": 1,
    },
    config=_NO_DROPOUT,
    keeps_head=False,  # one head per language, in the adapter files
    ready=adapter_training,
    loaded=use_folder_language,
    save=save_adapters,
    trains="adapters, head",
)


# --- w2v-BERT 2.0: log-mel frames in, a convolutional adapter on top -------------------------

# SeamlessM4TFeatureExtractor computes mel frames with a fixed 25 ms window and 10 ms hop at
# 16 kHz, then stacks `stride` of them into one model input frame.
MEL_WINDOW, MEL_HOP = 400, 160


def mel_feature_extractor(config=None):
    """w2v-BERT's: 80 log-mel bins, two frames stacked per model input frame (20 ms)."""
    from transformers import SeamlessM4TFeatureExtractor

    return SeamlessM4TFeatureExtractor(
        feature_size=80, num_mel_bins=80, stride=2, sampling_rate=16_000
    )


def mel_frames(model, feature_extractor, lengths):
    """Mel frames, the feature extractor's stacking, then the model's adapter's reduction."""
    import torch

    mel = torch.clamp((lengths - MEL_WINDOW) // MEL_HOP + 1, min=0)
    return model._get_feat_extract_output_lengths(mel // feature_extractor.stride)


W2V_BERT = ModelFamily(
    name="wav2vec2-bert",
    description="w2v-BERT 2.0: conformer layers over log-mel frames",
    model_types=("wav2vec2-bert",),
    feature_extractor=mel_feature_extractor,
    processor_class="Wav2Vec2BertProcessor",
    frames=mel_frames,
    hyperparameters={**_XLS_R_TRAINING, "learning_rate": 5e-5},
    config={**_NO_DROPOUT, "mask_time_prob": 0.0},
    # the w2v-BERT fine-tuning guide's choice: a convolutional adapter on top of the encoder
    # that halves its frame rate (40 ms frames)
    new_head_config={"add_adapter": True},
)

FAMILIES = (WAV2VEC2, HUBERT, CONFORMER, MMS, W2V_BERT)


@hookimpl
def register_model_families(register):
    for family in FAMILIES:
        register(family)
