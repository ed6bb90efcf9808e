"""Training and decoding defaults that hold for every model; each family's own recipe is in its
ModelFamily (asrzoo/default_plugins/families.py for the built-in ones)."""

from __future__ import annotations

# utterances per forward pass when transcribing or scoring: on 2 CPU cores 8 ran the tiny
# model 1.2x faster than 16 (bench/transcribe_speed.py); a GPU wants more (--batch-size)
DECODE_BATCH_SIZE = 8

# what a key of these dicts means when a recipe leaves it out
DEFAULT_HYPERPARAMETERS = {
    "learning_rate": 3e-4,
    "warmup_steps": 500,
    "batch_size": 16,
    "gradient_accumulation_steps": 1,
    "weight_decay": 0.0,
    "adam_beta2": 0.999,
    # recomputes activations in the backward pass: ~30 % slower, a fraction of the memory; the
    # large checkpoints need it on most GPUs, the tiny presets do not
    "gradient_checkpointing": False,
}


def resolve_hyperparameters(*layers) -> dict:
    """The defaults, overridden by each of ``layers`` in turn (a family's recipe, a preset's
    own, the command line's)."""
    merged = dict(DEFAULT_HYPERPARAMETERS)
    for layer in layers:
        merged.update(layer or {})
    return merged
