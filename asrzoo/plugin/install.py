"""Installing and removing plugins in the running environment, with pip.

A name is looked up as a folder, then as a plugin folder of this repository (``languages/de``,
``plugins/synthetic``), then as a package on the index (``de`` means ``asrzoo-de``).
"""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from asrzoo.errors import UserError

REPOSITORY = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class PluginSource:
    distribution: str  # the package name pip knows it by
    pip_args: tuple[str, ...]  # what follows ``pip install``


def find_source(name: str) -> PluginSource:
    for folder in (Path(name), REPOSITORY / "languages" / name, REPOSITORY / "plugins" / name):
        if (folder / "pyproject.toml").is_file():
            project = tomllib.loads((folder / "pyproject.toml").read_text("utf-8"))["project"]
            return PluginSource(project["name"], ("-e", str(folder.resolve())))
    if Path(name).exists():
        raise UserError(f"{name} has no pyproject.toml: not a plugin folder")
    if "/" in name or name.startswith((".", "~")):  # a path, not a package name
        raise UserError(f"{name}: no such folder")
    distribution = name if name.startswith("asrzoo") else f"asrzoo-{name}"
    return PluginSource(distribution, (distribution,))


def _pip(*args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args])
    if result.returncode != 0:
        raise UserError(f"pip {args[0]} failed (exit {result.returncode}); its output is above")


def entry_points(distribution: str) -> list[str]:
    """The asrzoo plugin names a distribution declares."""
    dist = importlib.metadata.distribution(distribution)
    return [ep.name for ep in dist.entry_points if ep.group == "asrzoo"]


def plugin_status(names: list[str]) -> dict[str, str]:
    """How each named plugin loads, asked of a fresh process (this one has loaded its plugins)
    in an empty folder (a folder named like a package in the current one would be imported
    instead of it). A check that cannot run says so in each plugin's status."""
    with tempfile.TemporaryDirectory() as neutral:
        listed = subprocess.run(
            [sys.executable, "-m", "asrzoo", "plugins", "--json"],
            capture_output=True, text=True, cwd=neutral,
        )  # fmt: skip
    try:  # exit 1 with a list: some plugin (maybe another one) does not load
        status = {p["name"]: p["status"] for p in json.loads(listed.stdout)}
    except (ValueError, KeyError, TypeError):
        last = (listed.stderr.strip().splitlines() or ["no output"])[-1]
        return {name: f"the check could not run: {last}" for name in names}
    return {name: status.get(name, "not loaded") for name in names}


def install(name: str) -> tuple[PluginSource, dict[str, str]]:
    source = find_source(name)
    _pip("install", *source.pip_args)
    names = entry_points(source.distribution)
    if not names:
        raise UserError(
            f"{source.distribution} declares no asrzoo plugin (entry point group asrzoo)"
        )
    return source, plugin_status(names)


def uninstall(name: str) -> str:
    distribution = find_source(name).distribution
    if distribution == "asrzoo":
        raise UserError("that is asrzoo itself: use pip uninstall asrzoo")
    try:
        importlib.metadata.distribution(distribution)
    except importlib.metadata.PackageNotFoundError:
        raise UserError(f"{distribution} is not installed") from None
    _pip("uninstall", "-y", distribution)
    return distribution
