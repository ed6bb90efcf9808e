"""Helpers for the tests of asrzoo and of its plugins."""

from __future__ import annotations

import subprocess
import sys

# a synthetic Turkish corpus small enough to render, prepare and train on in seconds
SMALL_CORPUS = (
    "-O", "sentences=260", "-O", "test=20", "-O", "validation=10", "-O", "renders=1",
)  # fmt: skip


def run_cli(*args: str, check: bool = True, env: dict | None = None):
    """``python -m asrzoo ARGS`` as a user runs it; with ``check``, a failure fails the test
    and shows the end of its stderr."""
    result = subprocess.run(
        [sys.executable, "-m", "asrzoo", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    if check:
        assert result.returncode == 0, result.stderr[-3000:]
    return result
