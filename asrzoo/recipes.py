"""How the sources fine-tune each pretrained family: hyperparameters and config changes.

Used for every pretrained checkpoint, whether named by a preset or given as a Hub id or folder:
the family is read from its config. Random-init presets bring their own hyperparameters.

- wav2vec2 / XLSR / XLS-R, HuBERT, wav2vec2-conformer: "Fine-tuning XLS-R for Multi-Lingual
  ASR" (the seed blog): batches of 16 x 2 accumulated, learning rate 3e-4, 500 warm-up steps,
  gradient checkpointing, no dropout or layer drop, SpecAugment time masks at p = 0.05.
- MMS: "Fine-tuning MMS Adapter Models": only adapters and head train, so a much higher rate,
  1e-3, 100 warm-up steps, batches of 32.
- w2v-BERT 2.0: "Fine-Tune W2V2-Bert": rate 5e-5, 500 warm-up steps, 16 x 2 accumulated, no
  SpecAugment (its mel input has its own masking in pre-training).
"""

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

# the XLS-R blog's, for every family that fine-tunes whole; MMS and w2v-BERT change its training
_XLS_R = (_XLS_R_TRAINING, {**_NO_DROPOUT, "mask_time_prob": 0.05})

# family: (hyperparameters, config changes passed to from_pretrained)
FAMILY_RECIPES: dict[str, tuple[dict, dict]] = {
    "wav2vec2": _XLS_R,
    "hubert": _XLS_R,
    "wav2vec2-conformer": _XLS_R,
    "mms": (
        {
            **_XLS_R_TRAINING,
            "learning_rate": 1e-3,
            "warmup_steps": 100,
            "batch_size": 32,
            "gradient_accumulation_steps": 1,
        },
        _NO_DROPOUT,
    ),
    "wav2vec2-bert": (
        {**_XLS_R_TRAINING, "learning_rate": 5e-5},
        {**_NO_DROPOUT, "mask_time_prob": 0.0},
    ),
}


def recipe_hyperparameters(family: str) -> dict:
    """The full set of hyperparameters the sources give a pretrained ``family``."""
    hyperparameters, _ = FAMILY_RECIPES.get(family, ({}, {}))
    return {**DEFAULT_HYPERPARAMETERS, **hyperparameters}


def recipe_config(family: str) -> dict:
    return dict(FAMILY_RECIPES.get(family, ({}, {}))[1])
