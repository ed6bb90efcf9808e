"""Which device and precision to run on: decided from the machine, never asked of the user."""

import torch


def best_device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def autocast_dtype(device: torch.device) -> torch.dtype | None:
    """bf16 on GPUs that have it, else fp16; full precision on a CPU. bf16 autocast on a CPU,
    even one with AVX-512 BF16 and AMX, made the `tiny` step slower (77 against 85 audio s/s,
    bench/step_profile.py) and its training stalled on the blank plateau, then diverged; on
    CPUs without native bf16 it is emulated and slower still."""
    if device.type == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return None
