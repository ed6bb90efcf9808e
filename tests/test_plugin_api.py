"""The plugin API is ``asrzoo`` itself: every plugin of this repository (and the engine's own
default plugins) imports nothing else from asrzoo, so what an outside author can do, they do."""

import ast
from pathlib import Path

import pytest

import asrzoo

ROOT = Path(__file__).parents[1]
PLUGIN_FILES = sorted(
    path
    for folder in ("languages", "plugins", "asrzoo/default_plugins")
    for path in (ROOT / folder).rglob("*.py")
    if "tests" not in path.relative_to(ROOT).parts
)


def asrzoo_imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return [(line, name) for line, name in found if name.split(".")[0] == "asrzoo"]


def test_there_are_plugins_to_check():
    assert any("asrzoo_tr" in str(p) for p in PLUGIN_FILES)
    assert any(p.name == "families.py" for p in PLUGIN_FILES)


@pytest.mark.parametrize("path", PLUGIN_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_plugins_import_only_from_asrzoo_itself(path):
    beyond = [f"line {line}: {name}" for line, name in asrzoo_imports(path) if name != "asrzoo"]
    assert not beyond, f"{path.relative_to(ROOT)} imports asrzoo internals: {beyond}"


def test_every_name_of_the_api_resolves():
    for name in asrzoo.__all__:
        assert getattr(asrzoo, name) is not None, name


def test_the_old_import_paths_still_work():
    from asrzoo.plugin.hookspecs import hookimpl
    from asrzoo.testing import LanguagePluginTests

    assert hookimpl is asrzoo.hookimpl and LanguagePluginTests
