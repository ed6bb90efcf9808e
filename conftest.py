"""Shared by every test folder: offline, and asrzoo state in a temporary home."""

import os

import pytest

# Tests never reach the network: a Hub lookup must fail at once, not after a timeout.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["TRANSFORMERS_VERBOSITY"] = "error"


@pytest.fixture(scope="session", autouse=True)
def asrzoo_home(asrzoo_test_home):
    """One home per test session (asrzoo.testing's), so a synthetic corpus is rendered once for
    all tests."""
    os.environ["HF_DATASETS_CACHE"] = str(asrzoo_test_home / "hf-datasets")  # not the user's
    return asrzoo_test_home


@pytest.fixture
def registry():
    from asrzoo.plugin.registry import Registry

    return Registry()


def tone(seconds: float, rate: int = 16_000, channels: int = 1):
    """A voiced-sounding test signal: a 220 Hz tone with a little noise."""
    import numpy as np

    t = np.arange(int(seconds * rate)) / rate
    wave = 0.3 * np.sin(2 * np.pi * 220 * t) + 0.01 * np.random.default_rng(0).normal(size=t.size)
    return np.repeat(wave[:, None], channels, axis=1) if channels > 1 else wave


@pytest.fixture
def write_audio():
    """write_audio(path, seconds, rate=16_000, channels=1): a tone in the format of the suffix."""
    import soundfile

    def write(path, seconds, rate=16_000, channels=1):
        path.parent.mkdir(parents=True, exist_ok=True)
        soundfile.write(path, tone(seconds, rate, channels), rate)
        return path

    return write
