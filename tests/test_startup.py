"""Commands that need no model answer without importing torch, transformers or datasets (the
imports that made them take seconds); their time is measured in the issue notes, not here."""

import subprocess
import sys

import numpy as np
import pytest
import soundfile

PROBE = """
import sys
sys.argv = ["asrzoo", *sys.argv[1:]]
from asrzoo.cli import main
try:
    main()
finally:
    heavy = [m for m in ("torch", "transformers", "datasets") if m in sys.modules]
    print("HEAVY:" + ",".join(heavy), file=sys.stderr)
"""


def heavy_imports(*args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    line = next(x for x in done.stderr.splitlines() if x.startswith("HEAVY:"))
    return [m for m in line.removeprefix("HEAVY:").split(",") if m]


@pytest.mark.parametrize(
    "args",
    [("--help",), ("languages",), ("normalize", "tr", "IŞIK"), ("zoo", "list"), ("presets",)],
    ids=" ".join,
)
def test_light_commands_import_nothing_heavy(args):
    assert heavy_imports(*args) == []


def test_a_cache_hit_prepare_imports_nothing_heavy(tmp_path):
    soundfile.write(tmp_path / "a.wav", 0.1 * np.sin(np.arange(16_000) / 5), 16_000)
    (tmp_path / "m.csv").write_text("audio,text\na.wav,merhaba\n")
    command = ("data", "prepare", "tr", "--dataset", str(tmp_path / "m.csv"))
    heavy_imports(*command)  # prepares
    assert heavy_imports(*command) == []  # finds it
