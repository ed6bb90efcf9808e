"""Training audio perturbed on the fly, as the anchor recipes do: speed perturbation (Kaldi's
and ESPnet's 0.9/1.0/1.1, resampled with soxr: tempo and pitch change together) and white noise
at a random signal-to-noise ratio, the same under --resume and in every process. A clip's speed
is drawn from (seed, clip id), like ESPnet's fixed perturbed copies, so that batches are packed
by the lengths the model will see; its noise from (seed, epoch, clip id), new every epoch."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import soxr

from asrzoo.data.audio import SAMPLING_RATE, from_pcm16

KINDS = ("speed", "noise")


@dataclass(frozen=True)
class Augmenter:
    kinds: tuple[str, ...]
    seed: int
    speed_factors: tuple[float, ...] = (0.9, 1.0, 1.1)
    noise_snr_db: tuple[float, float] = (10.0, 30.0)

    def speed(self, clip_id: str) -> float:
        """The clip's speed factor: 1.0 without speed perturbation."""
        if "speed" not in self.kinds:
            return 1.0
        rng = np.random.default_rng([self.seed, zlib.crc32(clip_id.encode())])
        return float(rng.choice(self.speed_factors))

    def length(self, clip_id: str, samples: int) -> int:
        """How many samples a clip of ``samples`` has once perturbed."""
        return round(samples / self.speed(clip_id))

    def __call__(self, clip_id: str, audio: np.ndarray, epoch: int) -> np.ndarray:
        """``audio`` (16 kHz, 16-bit PCM or float) perturbed, as float32."""
        rng = np.random.default_rng([self.seed, epoch, zlib.crc32(clip_id.encode())])
        wave = from_pcm16(audio) if np.issubdtype(audio.dtype, np.integer) else audio
        wave = np.asarray(wave, np.float32)
        if "speed" in self.kinds:
            factor = self.speed(clip_id)
            if factor != 1.0:  # read as if recorded at factor x the rate: 1.1 is faster
                # "QQ", soxr's quick filter: the training step waits for it, and a perturbed
                # copy needs no mastering-grade band edge
                wave = soxr.resample(wave, SAMPLING_RATE * factor, SAMPLING_RATE, quality="QQ")
        if "noise" in self.kinds and len(wave):
            snr = rng.uniform(*self.noise_snr_db)
            power = float(np.mean(np.square(wave, dtype=np.float64)))
            noise = rng.standard_normal(len(wave), dtype=np.float32)
            wave = wave + np.float32(np.sqrt(power / 10 ** (snr / 10))) * noise
        return np.asarray(wave, np.float32)

    def describe(self) -> dict:
        """What a model records of its augmentation."""
        about: dict = {"kinds": list(self.kinds), "seed": self.seed}
        if "speed" in self.kinds:
            about["speed_factors"] = list(self.speed_factors)
        if "noise" in self.kinds:
            about["noise_snr_db"] = list(self.noise_snr_db)
        return about
