"""Transcription speed: asrzoo versus transformers.pipeline("automatic-speech-recognition") on the
same model and files, in one run; and the peak memory of transcribing a one-hour file.

    python bench/transcribe_speed.py MODEL [--files 200] [--batch-sizes 1,4,8,16,32]

MODEL is a zoo id or folder. The files are the synthetic test split's clips, written as 16 kHz
WAV. pipeline() gets them already decoded (16 kHz arrays: it cannot resample without
torchaudio), so its time leaves decoding out; asrzoo's includes reading the files. Both decode
greedily, also where the model has a tuned LM; the one-hour file is transcribed as `asrzoo
transcribe` would, with the LM where there is one. Heavy imports are inside main(): worker
processes re-import this script.
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# VmHWM, not ru_maxrss: a child's ru_maxrss keeps the peak of the parent it was forked from
MEMORY_PROBE = """
import re, sys
from asrzoo.workflows import transcribe_files
transcribe_files(sys.argv[1], [sys.argv[2]])
status = open("/proc/self/status").read()
print(int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1)) // 1024)
"""


def peak_memory_mib(model: str, path: Path) -> int:
    """Peak resident memory of a fresh process that transcribes ``path``."""
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, model, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout.split()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--batch-sizes", default="1,4,8,16,32")
    parser.add_argument("--batch-size", type=int, default=8, help="asrzoo's batch size")
    args = parser.parse_args()

    import numpy as np
    import soundfile
    import torch
    from step_profile import matmul_peak
    from transformers import pipeline

    from asrzoo.data.audio import read_audio
    from asrzoo.data.prepare import prepare
    from asrzoo.plugin.registry import Registry
    from asrzoo.scoring.metrics import error_rates
    from asrzoo.workflows import (
        export_onnx,
        load_trained,
        training_dataset_options,
        transcribe_with,
    )

    built, metadata = load_trained(args.model)
    options = training_dataset_options(metadata, "synthetic")
    data = prepare(Registry(), metadata["language"], "synthetic", dataset_options=options)
    test = data.splits["test"].with_format("numpy").select(range(args.files))
    folder = Path(tempfile.mkdtemp(prefix="asrzoo-bench-"))
    files, references = [], []
    for index, row in enumerate(test):
        files.append(str(folder / f"{index:04d}.wav"))
        references.append(str(row["text"]))
        soundfile.write(files[-1], row["audio"].astype(np.int16), 16_000)
    arrays = [read_audio(f, 16_000) for f in files]
    audio_seconds = sum(len(a) for a in arrays) / 16_000
    print(
        f"{len(files)} files, {audio_seconds / 60:.1f} audio minutes, model {args.model},"
        f" {torch.get_num_threads()} threads, fp32 matmul peak"
        f" {matmul_peak(torch.float32) / 1e9:.0f} GFLOP/s"
    )

    def timed(run):
        start = time.perf_counter()
        result = run()
        return time.perf_counter() - start, result

    def wer(texts):
        return error_rates(references, texts)["wer"]

    export_onnx(args.model, str(folder / "onnx"), quantize="int8")
    ours = {}
    greedy = {"lm_dir": None, "use_lm": False}
    for backend in ("torch", "onnx", "onnx-int8"):
        loaded = built if backend == "torch" else load_trained(str(folder / "onnx"), backend)[0]
        transcribe_with(loaded, metadata, files[:8], args.batch_size, **greedy)  # warm-up
        seconds, results = timed(
            lambda m=loaded: transcribe_with(m, metadata, files, args.batch_size, **greedy)
        )
        ours[backend] = seconds
        texts = [r["text"] for r in results]
        print(
            f"asrzoo, {backend:9s} (batch {args.batch_size}):"
            f" {audio_seconds / seconds:7.0f}x real time, WER {wer(texts):.4f}"
        )
    # the loaded model, so that pipeline() too decodes greedily where the folder has an LM
    processor = built.processor
    asr = pipeline(
        "automatic-speech-recognition",
        model=built.model,
        tokenizer=processor.tokenizer,
        feature_extractor=processor.feature_extractor,
    )
    asr(arrays[:8])  # warm-up
    best = None
    for batch_size in map(int, args.batch_sizes.split(",")):
        seconds, outputs = timed(lambda b=batch_size: asr(arrays, batch_size=b))
        print(
            f"pipeline(), batch {batch_size:2d}:{'':12s}{audio_seconds / seconds:7.0f}x real time,"
            f" WER {wer([o['text'] for o in outputs]):.4f}"
        )
        if batch_size == 1:
            default = seconds
        best = seconds if best is None else min(best, seconds)
    for backend, seconds in ours.items():
        print(
            f"ratio, {backend:9s}: {default / seconds:.2f}x pipeline's default,"
            f" {best / seconds:.2f}x its best batch size"
        )

    hour = folder / "hour.wav"
    with soundfile.SoundFile(hour, "w", 16_000, 1, "PCM_16") as out:
        while out.frames < 3600 * 16_000:
            for array in arrays:
                out.write(array)
    minute = folder / "minute.wav"
    soundfile.write(minute, np.concatenate(arrays)[: 60 * 16_000], 16_000)
    print(
        f"peak memory, transcribing 1 minute: {peak_memory_mib(args.model, minute)} MiB;"
        f" 1 hour: {peak_memory_mib(args.model, hour)} MiB"
        f" (the hour's audio alone: {3600 * 16_000 * 4 / 2**20:.0f} MiB as float32)"
    )


if __name__ == "__main__":
    main()
