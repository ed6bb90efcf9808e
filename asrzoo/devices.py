"""Which device and precision to run on: decided from the machine, never asked of the user."""

import torch


def best_device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def autocast_dtype(device: torch.device) -> torch.dtype | None:
    """bf16 where the hardware does it natively (~2x fp32 on AVX-512 BF16 and AMX CPUs), else
    fp16 on older GPUs, else full precision. oneDNN also runs bf16 on plain AVX-512, emulated:
    1.6x *slower* than fp32 for the tiny model (measured on a 2-core AVX-512 CPU without BF16)."""
    if device.type == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    if native_cpu_bf16():
        return torch.bfloat16
    return None


def native_cpu_bf16() -> bool:
    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")  # in torch.cpu since 2.3
    return any(getattr(torch.cpu, check, lambda: False)() for check in checks)
