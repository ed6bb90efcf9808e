"""Data preparation speed: asrzoo versus the seed blog's way, on the same files, in one run.

    python bench/prepare_speed.py [--language tr] [--renders 1] [--num-proc N] [--repeats 3]

The files are a synthetic corpus (espeak-ng WAV at 22,050 Hz). The seed blog's way
(blog-fine-tune-xlsr-wav2vec2.md): `datasets.map(prepare_dataset, num_proc=4)`, one row at a time,
each row decoded, resampled and passed through the model's processor for its input values and
labels. Its resampling is done in the map with the same resampler as asrzoo's (soxr, HQ), and
its text goes through the same normalizer, so the two do the same work. Prints hours of audio
prepared per minute for both, and the ratio.

Heavy imports are inside main(): worker processes re-import this script.
"""

import argparse
import resource
import shutil
import tempfile
import time


def seed_blog_way(rows, processor, normalizer, num_proc):
    """The blog's preparation: one datasets.map over rows of (audio path, sentence)."""
    import datasets
    import soundfile
    import soxr

    def prepare_dataset(batch):
        samples, rate = soundfile.read(batch["path"], dtype="float32")
        audio = soxr.resample(samples, rate, 16_000, quality="HQ")
        batch["input_values"] = processor(audio, sampling_rate=16_000).input_values[0]
        batch["input_length"] = len(batch["input_values"])
        batch["labels"] = processor(text=normalizer(batch["sentence"])).input_ids
        return batch

    table = datasets.Dataset.from_dict(
        {"path": [str(row.audio) for row in rows], "sentence": [row.text for row in rows]}
    )
    with tempfile.TemporaryDirectory() as folder:
        prepared = table.map(
            prepare_dataset,
            remove_columns=table.column_names,
            num_proc=num_proc,
            cache_file_name=f"{folder}/prepared.arrow",
        )
        return sum(prepared["input_length"]) / 16_000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", default="tr")
    parser.add_argument("--renders", default="1", help="synthetic renders of each sentence")
    parser.add_argument("--num-proc", type=int, help="asrzoo's workers [default: one per CPU]")
    parser.add_argument("--blog-num-proc", type=int, default=4, help="as in the blog")
    parser.add_argument("--repeats", type=int, default=3, help="best of N runs of each")
    args = parser.parse_args()

    import os

    import datasets

    # a fresh home: the corpus is synthesized (untimed) and asrzoo's cache is empty
    os.environ["ASRZOO_HOME"] = tempfile.mkdtemp(prefix="asrzoo-bench-")
    from asrzoo.data.prepare import PrepareOptions, prepare
    from asrzoo.models.build import build_model
    from asrzoo.plugin.registry import Registry

    datasets.disable_progress_bars()
    registry = Registry()
    built = build_model("tiny", registry.vocabulary(args.language), registry)
    options = {"renders": args.renders}
    language = registry.language(args.language)
    loader, _ = registry.loader(args.language, "synthetic")
    rows = [row for split in loader.load(language, options).values() for row in split]
    print(f"{len(rows)} files")

    prep = PrepareOptions(num_proc=args.num_proc)
    normalizer = registry.normalizer(args.language)
    ours, blog = [], []
    for _ in range(args.repeats):  # interleaved, so a slow spell of the machine hits both
        start = time.perf_counter()
        data = prepare(registry, args.language, "synthetic", prep, options)
        ours.append(time.perf_counter() - start)
        if len(ours) < args.repeats:
            shutil.rmtree(data.folder)  # the next repeat prepares everything again
        start = time.perf_counter()
        blog_seconds = seed_blog_way(rows, built.processor, normalizer, args.blog_num_proc)
        blog.append(time.perf_counter() - start)
    hours = sum(sum(split["seconds"]) for split in data.splits.values()) / 3600
    stored = sum(p.stat().st_size for p in data.folder.glob("*.arrow")) / 2**20
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    print(f"best of {args.repeats} runs each")
    for name, times, prepared in (
        ("asrzoo", ours, hours),
        ("seed blog", blog, blog_seconds / 3600),
    ):
        best = min(times)
        print(f"{name:9s}: {prepared:.2f} h in {best:5.1f} s = {hours / best * 60:6.1f} h/min")
    print(f"ratio: {min(blog) / min(ours):.2f}x")
    print(
        f"peak memory of this process: {peak:.0f} MiB (model and libraries included);"
        f" prepared data: {stored:.0f} MiB on disk"
    )


if __name__ == "__main__":
    main()
