"""A tiny model per language on its synthetic speech, for the same time: loss and test CER/WER.

    python bench/train_languages.py [--languages de,ar,hi,zh] [--minutes 5] [--json | --markdown]

Runs what a user runs, one language after the other in a fresh asrzoo home:
`asrzoo train LANG --dataset synthetic --model tiny --max-minutes M`, then
`asrzoo evaluate MODEL --dataset synthetic --split test`. The loss is averaged over the first
25 steps and over the last 25 steps logged (the Trainer logs the mean since its last log). CER
is the primary metric of languages written without spaces (zh, ja), whose words spaces do not
mark.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path


def asrzoo(*args: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "asrzoo", *args, "--json"], stdout=subprocess.PIPE, check=True
    )
    return json.loads(result.stdout)


def train_and_test(language: str, minutes: float, home: Path) -> dict:
    out = home / f"{language}-tiny"
    record = asrzoo("train", language, "--dataset", "synthetic", "--model", "tiny",
                    "--max-minutes", str(minutes), "--output-dir", str(out))  # fmt: skip
    history = json.loads((out / "asrzoo.json").read_text("utf-8"))["log_history"]
    losses = [entry["loss"] for entry in history if "loss" in entry]
    test = asrzoo("evaluate", str(out), "--dataset", "synthetic", "--split", "test")["metrics"]
    training = record["training"]
    return {
        "language": language,
        "train_rows": training["train_rows"],
        "steps": training["steps"],
        "audio_hours_seen": training["audio_hours_seen"],
        "first_loss": losses[0],
        "last_loss": losses[-1],
        "validation": record["metrics"]["validation"],
        "test": test,
    }


def markdown(results: list[dict]) -> str:
    lines = [
        "| language | training clips | steps | audio hours seen | loss first → last"
        " | validation CER / WER | test CER / WER |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        v, t = r["validation"], r["test"]
        lines.append(
            f"| {r['language']} | {r['train_rows']:,} | {r['steps']:,}"
            f" | {r['audio_hours_seen']:.1f}"
            f" | {r['first_loss']:.2f} → {r['last_loss']:.2f}"
            f" | {v['cer']:.3f} / {v['wer']:.3f} | **{t['cer']:.3f}** / {t['wer']:.3f} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--languages", default="de,ar,hi,zh")
    parser.add_argument("--minutes", type=float, default=5)
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print one JSON document")
    output.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="asrzoo-languages-") as folder:
        os.environ["ASRZOO_HOME"] = folder
        results = [
            train_and_test(language, args.minutes, Path(folder))
            for language in args.languages.split(",")
        ]
    if args.json:
        print(json.dumps({"minutes": args.minutes, "results": results}, indent=1))
    elif args.markdown:
        print(markdown(results))
    else:
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(markdown(results)))


if __name__ == "__main__":
    main()
