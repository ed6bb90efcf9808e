"""Shared by every test folder: offline, and asrzoo state in a temporary home."""

import os

import pytest

# Tests never reach the network: a Hub lookup must fail at once, not after a timeout.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["TRANSFORMERS_VERBOSITY"] = "error"


@pytest.fixture(scope="session", autouse=True)
def asrzoo_home(tmp_path_factory):
    """One home per test session, so a synthetic corpus is rendered once for all tests."""
    home = tmp_path_factory.mktemp("asrzoo-home")
    os.environ["ASRZOO_HOME"] = str(home)
    return home


@pytest.fixture
def registry():
    from asrzoo.registry import Registry

    return Registry()
