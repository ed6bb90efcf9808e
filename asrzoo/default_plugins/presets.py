"""Built-in model presets."""

from asrzoo.hookspecs import hookimpl
from asrzoo.model_builder import (
    BuiltModel,
    build_tokenizer,
    build_wav2vec2_feature_extractor,
    ctc_settings,
)
from asrzoo.plugin_objects import ModelPreset

# Tuned on 2 CPU cores (see docs/training.md): in a 10-minute budget the number of updates
# matters more than the size, so 4 layers and small batches.
TINY_HYPERPARAMETERS = {
    "learning_rate": 1.5e-3,
    "warmup_steps": 300,
    "batch_size": 8,
    "weight_decay": 0.01,
    "adam_beta2": 0.98,
}


# The architectures that share wav2vec2's feature encoder and CTC head: (config, model) classes
# in transformers, and what a family adds to the shared tiny configuration.
TINY_FAMILIES = {
    "wav2vec2": ("Wav2Vec2Config", "Wav2Vec2ForCTC", {}),
    "hubert": ("HubertConfig", "HubertForCTC", {}),
    "wav2vec2-conformer": (
        "Wav2Vec2ConformerConfig",
        "Wav2Vec2ConformerForCTC",
        {"position_embeddings_type": "rotary", "conv_depthwise_kernel_size": 15},
    ),
}


def tiny_builder(family: str, preset: str):
    """A ~4 M-parameter model of ``family`` from random initialisation that learns on a CPU in
    minutes."""
    config_class, model_class, extra = TINY_FAMILIES[family]

    def build(vocabulary) -> BuiltModel:
        import transformers

        tokenizer = build_tokenizer(vocabulary)
        config = getattr(transformers, config_class)(
            hidden_size=256,
            num_hidden_layers=4,
            num_attention_heads=4,
            intermediate_size=1024,
            # three convolutions instead of seven: still 320x downsampling (50 frames/s), 2x faster
            conv_dim=(128, 128, 128),
            conv_kernel=(20, 8, 8),
            conv_stride=(10, 4, 8),
            conv_bias=True,
            feat_extract_norm="layer",
            do_stable_layer_norm=True,
            num_conv_pos_embeddings=64,
            num_conv_pos_embedding_groups=16,
            # No dropout: in a budget of minutes the model underfits, and dropout's random masks
            # cost a quarter of a CPU training step. SpecAugment (mask_time_prob) stays.
            hidden_dropout=0.0,
            attention_dropout=0.0,
            activation_dropout=0.0,
            feat_proj_dropout=0.0,
            final_dropout=0.0,
            layerdrop=0.0,
            mask_time_prob=0.05,
            **extra,
            **ctc_settings(tokenizer),
        )
        processor = transformers.Wav2Vec2Processor(
            feature_extractor=build_wav2vec2_feature_extractor(layer_norm=True),
            tokenizer=tokenizer,
        )
        model = getattr(transformers, model_class)(config)
        return BuiltModel(model, processor, config.model_type, preset, pretrained=False)

    return build


@hookimpl
def register_model_presets(register):
    register(
        ModelPreset(
            name="tiny",
            description="4-layer wav2vec2 (4 M parameters), random init; trains on CPU",
            family="wav2vec2",
            build=tiny_builder("wav2vec2", "tiny"),
            hyperparameters=TINY_HYPERPARAMETERS,
        )
    )
    for family in ("hubert", "wav2vec2-conformer"):
        register(
            ModelPreset(
                name=f"tiny-{family}",
                description=f"4-layer {family}, random init; trains on CPU",
                family=family,
                build=tiny_builder(family, f"tiny-{family}"),
                hyperparameters=TINY_HYPERPARAMETERS,
            )
        )
