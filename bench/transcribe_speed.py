"""Transcription speed: asrzoo versus transformers.pipeline("automatic-speech-recognition") on the
same model and files, in one run; and the peak memory of transcribing a one-hour file.

    python bench/transcribe_speed.py MODEL [--files 200] [--batch-sizes 1,4,8,16,32]

MODEL is a zoo id or folder. The files are the synthetic test split's clips, written as 16 kHz
WAV. pipeline() gets them already decoded (16 kHz arrays: it cannot resample without
torchaudio), so its time leaves decoding out; asrzoo's includes reading the files. Heavy imports
are inside main(): worker processes re-import this script.
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MEMORY_PROBE = """
import resource, sys
from asrzoo.workflows import transcribe_files
transcribe_files(sys.argv[1], [sys.argv[2]])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
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
    args = parser.parse_args()

    import numpy as np
    import soundfile
    from transformers import pipeline

    from asrzoo.audio import read_audio
    from asrzoo.prepare import prepare
    from asrzoo.registry import Registry
    from asrzoo.workflows import load_trained, training_dataset_options, transcribe_files

    built, metadata = load_trained(args.model)
    options = training_dataset_options(metadata, "synthetic")
    data = prepare(Registry(), metadata["language"], "synthetic", built, dataset_options=options)
    test = data.splits["test"].with_format("numpy").select(range(args.files))
    folder = Path(tempfile.mkdtemp(prefix="asrzoo-bench-"))
    files = []
    for index, row in enumerate(test):
        files.append(str(folder / f"{index:04d}.wav"))
        soundfile.write(files[-1], row["audio"].astype(np.int16), 16_000)
    arrays = [read_audio(f, 16_000) for f in files]
    audio_seconds = sum(len(a) for a in arrays) / 16_000
    print(f"{len(files)} files, {audio_seconds / 60:.1f} audio minutes, model {args.model}")

    def timed(run):
        start = time.perf_counter()
        run()
        return time.perf_counter() - start

    ours = timed(lambda: transcribe_files(args.model, files, batch_size=16))
    print(f"asrzoo transcribe (batch 16):       {audio_seconds / ours:7.0f}x real time")
    asr = pipeline("automatic-speech-recognition", model=metadata["path"])
    best = None
    for batch_size in map(int, args.batch_sizes.split(",")):
        seconds = timed(lambda b=batch_size: asr(arrays, batch_size=b))
        print(
            f"pipeline(), batch {batch_size:2d}:{'':14s}{audio_seconds / seconds:7.0f}x real time"
        )
        if batch_size == 1:
            default = seconds
        best = seconds if best is None else min(best, seconds)
    print(
        f"ratio: {default / ours:.2f}x pipeline's default, {best / ours:.2f}x its best batch size"
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
