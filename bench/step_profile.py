"""Where a training step's time goes, and how close it is to the machine's limit.

    python bench/step_profile.py [--model tiny] [--batch-seconds 48] [--steps 6] [--json]

Takes real batches of the synthetic Turkish corpus (duration-packed, as `asrzoo train` makes
them), runs forward, CTC loss, backward and the optimizer step in a plain loop, and reports:
the FLOPs of one step (torch.utils.flop_counter), the step's time, its MFU against this
machine's measured matmul peak (an fp32 or bf16 2048x2048 matmul on all threads), and the
operators that take the time (torch.profiler, self CPU time). Run it with
`ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2` to see what an AVX2-only CPU does.
"""

import argparse
import json
import time


def matmul_peak(dtype, size=2048, repeats=10) -> float:
    import torch

    a, b = torch.randn(size, size, dtype=dtype), torch.randn(size, size, dtype=dtype)
    a @ b
    started = time.perf_counter()
    for _ in range(repeats):
        a @ b
    return 2 * size**3 * repeats / (time.perf_counter() - started)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="tiny")
    parser.add_argument("--batch-seconds", type=float, default=48.0)
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=JSON",
        help="try a variant of the tiny config, e.g. --set 'conv_stride=[20,4,4]'",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    import numpy as np
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    from asrzoo.cli.common import registry as get_registry
    from asrzoo.data.audio import SAMPLING_RATE
    from asrzoo.data.prepare import prepare
    from asrzoo.default_plugins import presets
    from asrzoo.models.build import build_model
    from asrzoo.models.devices import autocast_dtype
    from asrzoo.training.batching import pack_by_duration
    from asrzoo.training.loop import CTCCollator

    for pair in args.set:
        key, _, value = pair.partition("=")
        presets.TINY_WAVEFORM_ENCODER[key] = json.loads(value)
    registry = get_registry()
    torch.manual_seed(0)
    built = build_model(args.model, registry.vocabulary("tr"), registry)
    train = prepare(registry, "tr", "synthetic").splits["train"].with_format("numpy")
    batches = pack_by_duration(np.asarray(train["input_length"]), int(args.batch_seconds * 16000))
    rng = np.random.default_rng(0)
    chosen = [batches[i] for i in rng.choice(len(batches), args.steps + 1, replace=False)]
    collate = CTCCollator(built.processor)
    inputs = [collate([train[i] for i in batch]) for batch in chosen]
    audio = [sum(int(train[i]["input_length"]) for i in b) / SAMPLING_RATE for b in chosen]
    model = built.model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
    dtype = autocast_dtype(torch.device("cpu"))

    def step(batch):
        with torch.autocast("cpu", dtype=dtype, enabled=dtype is not None):
            loss = model(**batch).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

    step(inputs[0])  # warm-up: oneDNN primitives, allocator
    counter = FlopCounterMode(display=False)
    with counter:
        step(inputs[1])
    flops_per_audio_second = counter.get_total_flops() / audio[1]
    started = time.perf_counter()
    for batch in inputs[1:]:
        step(batch)
    seconds = time.perf_counter() - started
    audio_per_second = sum(audio[1:]) / seconds
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as profiler:
        for batch in inputs[1:3]:
            step(batch)
    events = profiler.key_averages()
    total = sum(e.self_cpu_time_total for e in events)
    top = sorted(events, key=lambda e: -e.self_cpu_time_total)[:15]
    peak = matmul_peak(dtype or torch.float32)
    result = {
        "model": args.model,
        "variant": args.set,
        "cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "threads": torch.get_num_threads(),
        "dtype": str(dtype or torch.float32),
        "matmul_peak_gflops": round(peak / 1e9, 1),
        "gflop_per_audio_second": round(flops_per_audio_second / 1e9, 2),
        "audio_seconds_per_second": round(audio_per_second, 1),
        "seconds_per_step": round(seconds / args.steps, 3),
        "mfu": round(flops_per_audio_second * audio_per_second / peak, 3),
        "top_ops": [{"op": e.key, "share": round(e.self_cpu_time_total / total, 3)} for e in top],
    }
    if args.json:
        print(json.dumps(result, indent=1))
        return
    for key, value in result.items():
        if key != "top_ops":
            print(f"{key:26} {value}")
    for op in result["top_ops"]:
        print(f"  {op['share']:6.1%}  {op['op']}")


if __name__ == "__main__":
    main()
