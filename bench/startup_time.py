"""How long the commands that need no model take, start to exit: the best of N runs each.

    python bench/startup_time.py [--runs 5]

The cache-hit `data prepare` prepares the synthetic Turkish corpus first if it is not there.
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

ASRZOO = str(Path(sys.executable).with_name("asrzoo"))
COMMANDS = [
    ["--help"],
    ["languages"],
    ["languages", "--json"],
    ["normalize", "tr", "İSTANBUL'DA IŞIK YANDI."],
    ["zoo", "list"],
    ["presets"],
    ["data", "prepare", "tr", "--dataset", "synthetic"],
]


def best_of(runs: int, args: list[str]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([ASRZOO, *args], capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    subprocess.run([ASRZOO, *COMMANDS[-1]], capture_output=True, check=True)  # the cache
    for command in COMMANDS:
        print(f"{best_of(args.runs, command):6.3f} s  asrzoo {' '.join(command)}")


if __name__ == "__main__":
    main()
