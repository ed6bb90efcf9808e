"""Training audio perturbed on the fly, as the anchor recipes do: speed perturbation (Kaldi's
and ESPnet's 0.9/1.0/1.1, resampled with soxr: tempo and pitch change together), reverberation
of a simulated room and white noise at a random signal-to-noise ratio, the same under --resume
and in every process. A clip's speed is drawn from (seed, clip id), like ESPnet's fixed
perturbed copies, so that batches are packed by the lengths the model will see; its room and
noise from (seed, epoch, clip id), new every epoch."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import soxr
import torch

from asrzoo.data.audio import SAMPLING_RATE, from_pcm16


@dataclass(frozen=True)
class Augmenter:
    kinds: tuple[str, ...]
    seed: int
    speed_factors: tuple[float, ...] = (0.9, 1.0, 1.1)
    noise_snr_db: tuple[float, float] = (10.0, 30.0)
    reverb_rt60: tuple[float, float] = (0.2, 0.8)  # seconds: a small office to a classroom

    def speed(self, clip_id: str) -> float:
        """The clip's speed factor: 1.0 without speed perturbation."""
        if "speed" not in self.kinds:
            return 1.0
        rng = np.random.default_rng([self.seed, zlib.crc32(clip_id.encode())])
        return float(rng.choice(self.speed_factors))

    def length(self, clip_id: str, samples: int) -> int:
        """How many samples a clip of ``samples`` has once perturbed."""
        return round(samples / self.speed(clip_id))

    def __call__(self, clip_ids: list[str], audio: list[np.ndarray], epoch: int) -> list:
        """A batch of clips (16 kHz, 16-bit PCM or float) perturbed, as float32 arrays. Each
        clip's perturbation depends on (seed, epoch, clip id) only, not on its batch."""
        rngs = [np.random.default_rng([self.seed, epoch, zlib.crc32(i.encode())]) for i in clip_ids]
        waves = [self._speed(i, a) for i, a in zip(clip_ids, audio, strict=True)]
        if "reverb" in self.kinds:
            waves = reverberate(waves, [room_impulse_response(self.reverb_rt60, r) for r in rngs])
        if "noise" in self.kinds:
            waves = [self._noise(wave, rng) for wave, rng in zip(waves, rngs, strict=True)]
        return waves

    def _speed(self, clip_id: str, audio: np.ndarray) -> np.ndarray:
        wave = from_pcm16(audio) if np.issubdtype(audio.dtype, np.integer) else audio
        wave = np.asarray(wave, np.float32)
        factor = self.speed(clip_id)
        if factor == 1.0:
            return wave
        # read as if recorded at factor x the rate (1.1 is faster); "QQ", soxr's quick filter:
        # the training step waits for it, and a perturbed copy needs no mastering-grade band edge
        return soxr.resample(wave, SAMPLING_RATE * factor, SAMPLING_RATE, quality="QQ")

    def _noise(self, wave: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        snr = rng.uniform(*self.noise_snr_db)
        power = _power(wave)
        noise = rng.standard_normal(len(wave), dtype=np.float32)
        return wave + np.float32(np.sqrt(power / 10 ** (snr / 10))) * noise

    def describe(self) -> dict:
        """What a model records of its augmentation."""
        about: dict = {"kinds": list(self.kinds), "seed": self.seed}
        if "speed" in self.kinds:
            about["speed_factors"] = list(self.speed_factors)
        if "noise" in self.kinds:
            about["noise_snr_db"] = list(self.noise_snr_db)
        if "reverb" in self.kinds:
            about["reverb_rt60"] = list(self.reverb_rt60)
        return about


def room_impulse_response(rt60_range: tuple[float, float], rng: np.random.Generator):
    """A room's response in the statistical (Polack) model: the direct sound, then Gaussian
    noise whose energy decays by 60 dB in an RT60 drawn from ``rt60_range`` seconds, 0-10 dB
    below the direct sound's (a speaker one to a few metres away). No recorded responses ship
    with asrzoo (their licences vary); simulated rooms are what reverberation recipes fall back
    on without them."""
    rt60 = rng.uniform(*rt60_range)
    t = np.arange(1, max(int(rt60 * SAMPLING_RATE), 2)) / SAMPLING_RATE
    tail = rng.standard_normal(len(t)) * np.exp(-3 * np.log(10) * t / rt60)
    direct_to_reverberant_db = rng.uniform(0, 10)
    tail *= np.sqrt(10 ** (-direct_to_reverberant_db / 10) / np.sum(tail**2))
    return np.concatenate([[1.0], tail]).astype(np.float32)


def reverberate(waves: list[np.ndarray], responses: list[np.ndarray]) -> list[np.ndarray]:
    """Each wave heard through its room, cut to its own length, at its own loudness. One
    batched FFT convolution in torch: 3-4x cheaper here than numpy's clip by clip."""
    longest = max(len(w) + len(r) - 1 for w, r in zip(waves, responses, strict=True))
    size = 1 << (longest - 1).bit_length()  # a power of two: FFTs are fast
    spectra = torch.fft.rfft(_padded(waves, size)) * torch.fft.rfft(_padded(responses, size))
    heard = torch.fft.irfft(spectra, size).numpy()
    out = []
    for wave, signal in zip(waves, heard, strict=True):
        signal = signal[: len(wave)]
        gain = np.sqrt(_power(wave) / max(_power(signal), 1e-12))
        out.append((signal * gain).astype(np.float32))
    return out


def _power(wave: np.ndarray) -> float:
    """Mean square, in float64 (a float32 sum drifts over a long clip); 0 for no samples."""
    return float(np.mean(np.square(wave, dtype=np.float64))) if len(wave) else 0.0


def _padded(arrays: list[np.ndarray], size: int) -> torch.Tensor:
    batch = torch.zeros(len(arrays), size)
    for row, array in zip(batch, arrays, strict=True):
        row[: len(array)] = torch.from_numpy(array)
    return batch
