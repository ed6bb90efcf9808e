"""Self-supervised pretraining of a wav2vec2-family model on unlabelled audio, on the one loop:
spans of frames are masked, and the model must pick each masked frame's quantized target among
distractors from the same utterance (contrastive loss), while a diversity loss keeps the
codebook in use. transformers' ``run_wav2vec2_pretraining_no_trainer.py`` is the reference for
the per-frame loss and the Gumbel temperature schedule."""

from __future__ import annotations

from collections import defaultdict

import torch
from transformers.models.wav2vec2.modeling_wav2vec2 import (
    _compute_mask_indices,
    _sample_negative_indices,
)

from asrzoo import console
from asrzoo.decoding.inference import featurize
from asrzoo.training.loop import (
    AUDIO_SAMPLES,
    BudgetTrainer,
    batch_generator,
    numpy_drawing_from,
)

# The Gumbel softmax's temperature falls from 2 to 0.5 (the reference's bounds), geometrically
# over the budget: the reference decays it per step over 400k steps; asrzoo budgets are minutes.
MAX_TEMPERATURE, MIN_TEMPERATURE = 2.0, 0.5
# Codebook collapse: the codevectors in use (the perplexity of their average distribution)
# fall to a handful. Under this share of the codebook, after warm-up, training says so.
COLLAPSE_SHARE = 0.05


class PretrainingCollator:
    """Featurized audio, the masked frames (spans at the model's mask settings, within each
    clip's real frames) and each masked frame's distractors."""

    def __init__(self, model, feature_extractor, seed: int, epoch=lambda: 0):
        self.model, self.feature_extractor = model, feature_extractor
        self.seed, self.epoch = seed, epoch

    def __call__(self, rows: list[dict]) -> dict:
        audio = [row["audio"] for row in rows]
        batch = featurize(self.feature_extractor, audio)
        config = self.model.config
        frames = int(self.model._get_feat_extract_output_lengths(batch["input_values"].shape[-1]))
        lengths = self.model._get_feat_extract_output_lengths(torch.tensor([len(a) for a in audio]))
        real_frames = (torch.arange(frames)[None, :] < lengths[:, None]).long()
        shape = (len(rows), frames)
        with numpy_drawing_from(batch_generator(self.seed, self.epoch(), rows)):
            masked = _compute_mask_indices(
                shape, config.mask_time_prob, config.mask_time_length, real_frames, min_masks=2
            )
            negatives = _sample_negative_indices(shape, config.num_negatives, masked)
        batch["mask_time_indices"] = torch.from_numpy(masked)
        batch["sampled_negative_indices"] = torch.from_numpy(negatives)
        batch[AUDIO_SAMPLES] = torch.tensor(sum(len(a) for a in audio))
        return batch


class CollapseGuard:
    """Reports, once, when the codebook perplexity falls under COLLAPSE_SHARE of its codes after
    the warm-up steps; ``found`` keeps the step and perplexity for the record."""

    def __init__(self, codes: int, warmup_steps: int):
        self.codes, self.warmup_steps = codes, warmup_steps
        self.found: dict | None = None

    def check(self, step: int, perplexity: float) -> bool:
        if self.found or step <= self.warmup_steps or perplexity >= COLLAPSE_SHARE * self.codes:
            return False
        self.found = {"step": step, "perplexity": round(perplexity, 2), "codes": self.codes}
        console.stderr.print(
            f"[yellow]warning:[/] codebook collapse at step {step}: the quantizer uses"
            f" {perplexity:.1f} of its {self.codes} codes (perplexity); the targets no longer"
            " carry information. Lower --learning-rate, or restart from an earlier checkpoint"
        )
        return True


class PretrainingTrainer(BudgetTrainer):
    """The loss per masked frame; contrastive loss, diversity loss, codevector perplexity and
    temperature averaged into every log entry; the temperature schedule; the collapse guard."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        config = self.model.config
        codes = config.num_codevector_groups * config.num_codevectors_per_group
        self.guard = CollapseGuard(codes, self.args.warmup_steps)
        self.sums: dict[str, float] = defaultdict(float)
        self.counted = 0

    def notes(self) -> dict:
        return {"codebook_collapse": self.guard.found}

    def temperature(self) -> float:
        done = self.budget.progress(self.state.global_step)
        return max(MAX_TEMPERATURE * (MIN_TEMPERATURE / MAX_TEMPERATURE) ** done, MIN_TEMPERATURE)

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        temperature = self.temperature()
        self.accelerator.unwrap_model(model).set_gumbel_temperature(temperature)
        outputs = model(**inputs)
        masked = inputs["mask_time_indices"].sum().clamp(min=1)
        loss = outputs.loss / masked
        if model.training:
            self.sums["contrastive_loss"] += (outputs.contrastive_loss / masked).item()
            self.sums["diversity_loss"] += (outputs.diversity_loss / masked).item()
            self.sums["codevector_perplexity"] += outputs.codevector_perplexity.item()
            self.sums["gumbel_temperature"] += temperature
            self.counted += 1
        return (loss, outputs) if return_outputs else loss

    def log(self, logs: dict, *args, **kwargs):
        if "loss" in logs and self.counted:
            logs.update({k: round(v / self.counted, 4) for k, v in self.sums.items()})
            self.guard.check(self.state.global_step, logs["codevector_perplexity"])
            self.sums.clear()
            self.counted = 0
        super().log(logs, *args, **kwargs)
