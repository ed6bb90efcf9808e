"""Which device and precision to run on: decided from the machine, never asked of the user."""

import torch


def best_device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def autocast_dtype(device: torch.device) -> torch.dtype | None:
    """bf16 where the hardware does it natively (~2x fp32 on AVX-512 BF16 CPUs), else fp16 on
    older GPUs, else full precision."""
    if device.type == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    if torch.ops.mkldnn._is_mkldnn_bf16_supported():
        return torch.bfloat16
    return None
