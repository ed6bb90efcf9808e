"""Built-in model presets: a tiny random-init model of each family for CPUs, and the pretrained
checkpoints of the Hub."""

from asrzoo import (
    BuiltModel,
    ModelPreset,
    build_processor,
    build_tokenizer,
    ctc_settings,
    current_registry,
    feature_extractor_for,
    hookimpl,
    load_pretrained,
)

# the built-in families' names (asrzoo/default_plugins/families.py)
WAV2VEC2, HUBERT, CONFORMER = "wav2vec2", "hubert", "wav2vec2-conformer"
MMS, W2V_BERT = "mms", "wav2vec2-bert"

# Tuned on 2 CPU cores without AVX-512 (see docs/training.md): in a 10-minute budget the number
# of updates matters more than the size, so 4 layers and small batches: 16 s of audio each
# (more updates than 24 s, less overhead than 10 s), shortest first in the first epoch
# (SortaGrad), and a short warm-up, so that a slow CPU leaves the blank plateau early too.
TINY_HYPERPARAMETERS = {
    "learning_rate": 2e-3,
    "warmup_steps": 100,
    "max_batch_seconds": 16,
    "sorta_grad": True,
    "batch_size": 8,  # with --batch-size: rows instead of seconds
    "weight_decay": 0.01,
    "adam_beta2": 0.98,
}

# What every tiny model shares: a 4-layer transformer of width 192. (Width 256 trained 1.36x
# less audio per second on a 2-core AVX2 CPU and ended a 3-minute run at test WER 0.78 where
# 192 reached 0.65: in minutes, updates count more than width.)
TINY_ENCODER = {
    "hidden_size": 192,
    "num_hidden_layers": 4,
    "num_attention_heads": 4,
    "intermediate_size": 768,
    # No dropout: in a budget of minutes the model underfits, and dropout's random masks cost a
    # quarter of a CPU training step. SpecAugment (mask_time_prob) stays.
    "hidden_dropout": 0.0,
    "attention_dropout": 0.0,
    "activation_dropout": 0.0,
    "feat_proj_dropout": 0.0,
    "final_dropout": 0.0,
    "layerdrop": 0.0,
    "mask_time_prob": 0.05,
}

# The convolutional feature encoder over raw samples of wav2vec2 and the families built on it.
TINY_WAVEFORM_ENCODER = {
    # Three convolutions instead of seven, still 320x downsampling (50 frames/s). The first
    # hops 1.25 ms and is half as wide: the convolutions' backward over 1,600 frames a second
    # was half a CPU step; this stack trains 1.9x more audio per second (bench/step_profile.py).
    "conv_dim": (64, 128, 128),
    "conv_kernel": (40, 8, 4),
    "conv_stride": (20, 4, 4),
    "conv_bias": True,
    "feat_extract_norm": "layer",
    "do_stable_layer_norm": True,
    "num_conv_pos_embeddings": 64,
    "num_conv_pos_embedding_groups": 16,
}

# (config, model) classes in transformers per family, and what it changes in the tiny encoder.
TINY_FAMILIES = {
    WAV2VEC2: ("Wav2Vec2Config", "Wav2Vec2ForCTC", TINY_WAVEFORM_ENCODER),
    HUBERT: ("HubertConfig", "HubertForCTC", TINY_WAVEFORM_ENCODER),
    CONFORMER: (
        "Wav2Vec2ConformerConfig",
        "Wav2Vec2ConformerForCTC",
        {
            **TINY_WAVEFORM_ENCODER,
            "position_embeddings_type": "rotary",
            "conv_depthwise_kernel_size": 15,
        },
    ),
    # w2v-BERT 2.0 reads 80-bin log-mel frames, two stacked (20 ms), and its convolutional adapter
    # on top of the encoder halves that rate (40 ms frames), as its fine-tuning guide recommends.
    # Its conformer layers hold two feed-forward blocks: half as wide keeps it near the others.
    W2V_BERT: (
        "Wav2Vec2BertConfig",
        "Wav2Vec2BertForCTC",
        {
            "intermediate_size": 384,
            "conv_depthwise_kernel_size": 15,
            "conformer_conv_dropout": 0.0,
            "add_adapter": True,
        },
    ),
    # MMS: wav2vec2 with a small attention adapter in every layer; only the adapters and the CTC
    # head train (build_model freezes the rest). Here the frozen base is random, so tiny-mms shows
    # the mechanics, not accuracy; real runs start from facebook/mms-1b-all's pretrained base.
    MMS: ("Wav2Vec2Config", "Wav2Vec2ForCTC", {**TINY_WAVEFORM_ENCODER, "adapter_attn_dim": 16}),
}


def tiny_builder(family_name: str, preset: str):
    """A ~2 M-parameter model of the family from random initialisation that learns on a CPU in
    minutes."""
    config_class, model_class, extra = TINY_FAMILIES[family_name]

    def build(vocabulary) -> BuiltModel:
        import transformers

        family = current_registry().family(family_name)
        tokenizer = build_tokenizer(vocabulary)
        config = getattr(transformers, config_class)(
            **{**TINY_ENCODER, **extra}, **ctc_settings(tokenizer)
        )
        feature_extractor = feature_extractor_for(family, config)
        processor = build_processor(family, feature_extractor, tokenizer)
        model = getattr(transformers, model_class)(config)
        return BuiltModel(model, processor, family, preset, pretrained=False)

    return build


# family: (preset name, description)
TINY_PRESETS = {
    HUBERT: ("tiny-hubert", "4-layer hubert, random init; trains on CPU"),
    CONFORMER: (
        "tiny-wav2vec2-conformer",
        "4-layer wav2vec2-conformer, random init; trains on CPU",
    ),
    W2V_BERT: (
        "tiny-w2v-bert",
        "4-layer w2v-BERT 2.0 (mel features, adapter: 40 ms frames), random init; trains on CPU",
    ),
    MMS: ("tiny-mms", "4-layer wav2vec2 with MMS language adapters; trains adapters and head"),
}


# name: (Hub id, family, description). Each trains with its family's recipe.
PRETRAINED_PRESETS = {
    "wav2vec2-base": (
        "facebook/wav2vec2-base",
        WAV2VEC2,
        "95 M, English LibriSpeech pre-training; group-norm feature encoder (no attention mask)",
    ),
    "wav2vec2-large": ("facebook/wav2vec2-large-lv60", WAV2VEC2, "317 M, English Libri-Light"),
    "xlsr-53": ("facebook/wav2vec2-large-xlsr-53", WAV2VEC2, "315 M, 53 languages"),
    "xls-r-300m": ("facebook/wav2vec2-xls-r-300m", WAV2VEC2, "300 M, 128 languages"),
    "xls-r-1b": ("facebook/wav2vec2-xls-r-1b", WAV2VEC2, "1 B, 128 languages"),
    "xls-r-2b": ("facebook/wav2vec2-xls-r-2b", WAV2VEC2, "2 B, 128 languages"),
    # mms-300m is pre-trained only (no adapters, no CTC head): fully fine-tuned like XLS-R
    "mms-300m": ("facebook/mms-300m", WAV2VEC2, "300 M, 1,400 languages; full fine-tuning"),
    "mms-1b-all": (
        "facebook/mms-1b-all",
        MMS,
        "1 B, 1,162 languages' adapters: trains one language's adapters and head",
    ),
    "w2v-bert-2.0": (
        "facebook/w2v-bert-2.0",
        W2V_BERT,
        "580 M, 143 languages, mel input; with the adapter (40 ms frames)",
    ),
    "hubert-large": ("facebook/hubert-large-ll60k", HUBERT, "316 M, English Libri-Light"),
    "wav2vec2-conformer-large": (
        "facebook/wav2vec2-conformer-rope-large",
        CONFORMER,
        "600 M, rotary positions, English Libri-Light",
    ),
}


@hookimpl
def register_model_presets(register):
    register(
        ModelPreset(
            name="tiny",
            description="4-layer wav2vec2 (2 M parameters), random init; trains on CPU",
            family=WAV2VEC2,
            build=tiny_builder(WAV2VEC2, "tiny"),
            hyperparameters=TINY_HYPERPARAMETERS,
        )
    )
    for family, (name, description) in TINY_PRESETS.items():
        register(
            ModelPreset(
                name=name,
                description=description,
                family=family,
                build=tiny_builder(family, name),
                hyperparameters=TINY_HYPERPARAMETERS,
            )
        )
    for name, (hub_id, family, description) in PRETRAINED_PRESETS.items():
        register(
            ModelPreset(
                name=name,
                description=f"{hub_id}: {description}",
                family=family,
                build=lambda vocabulary, hub_id=hub_id: load_pretrained(
                    hub_id, vocabulary, current_registry()
                ),
                base=hub_id,  # trains with its family's recipe
            )
        )
