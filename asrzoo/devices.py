"""Which device and precision to run on: decided from the machine, never asked of the user."""

import os

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
    """The CPU computes bf16 natively, and neither ATen nor oneDNN is capped below AVX-512
    (ATEN_CPU_CAPABILITY, ONEDNN_MAX_CPU_ISA: a capped run is an AVX2 machine's)."""
    isa = os.environ.get("ONEDNN_MAX_CPU_ISA", "ALL").upper()
    if not (isa == "ALL" or isa.startswith(("AVX512", "AVX10", "AMX"))):
        return False
    if not torch.backends.cpu.get_cpu_capability().startswith("AVX512"):
        return False
    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")  # in torch.cpu since 2.3
    return any(getattr(torch.cpu, check, lambda: False)() for check in checks)
