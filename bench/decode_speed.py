"""Greedy decoding speed (times real time) and WER at several batch sizes, on one split.

    python bench/decode_speed.py MODEL --dataset synthetic [--split test] [--batch-sizes 1,16]

MODEL is a zoo id or folder. The WER must not change with the batch size: padded frames are
blanked before decoding.
"""

import argparse
import time

from asrzoo.data.prepare import prepare
from asrzoo.plugin.registry import Registry
from asrzoo.scoring.evaluation import evaluate_split
from asrzoo.workflows import load_trained, training_dataset_options


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--split", default="test")
    parser.add_argument("--batch-sizes", default="1,16")
    args = parser.parse_args()

    built, metadata = load_trained(args.model)
    options = training_dataset_options(metadata, args.dataset)
    data = prepare(Registry(), metadata["language"], args.dataset, dataset_options=options)
    split = data.splits[args.split]
    audio_seconds = sum(split["seconds"])
    print(f"{len(split)} utterances, {audio_seconds / 60:.1f} audio minutes")
    for batch_size in map(int, args.batch_sizes.split(",")):
        start = time.perf_counter()
        metrics = evaluate_split(built, split, batch_size)["metrics"]
        speed = audio_seconds / (time.perf_counter() - start)
        print(
            f"batch {batch_size:3d}: {speed:6.0f}x real time  "
            f"WER {metrics['wer']:.4f}  CER {metrics['cer']:.4f}"
        )


if __name__ == "__main__":
    main()
