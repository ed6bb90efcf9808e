"""The direction of imports inside asrzoo: each stage imports only the stages before it, so the
layout shows the flow (README, "Layout"). Imports under ``if TYPE_CHECKING:`` are annotations,
not dependencies, and do not count."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "asrzoo"
# what every stage may use
BASE = {"asrzoo", "asrzoo.errors", "asrzoo.paths", "asrzoo.console", "asrzoo.text"}
# stage: the stages it may import. data and models know nothing of each other.
ALLOWED = {
    "plugin": set(),
    "data": {"plugin"},
    "models": {"plugin"},
    "decoding": {"plugin", "data", "models"},
    "scoring": {"plugin", "data", "models", "decoding"},
    "training": {"plugin", "data", "models", "decoding", "scoring"},
    "zoo": {"plugin", "data", "models", "decoding", "scoring", "training"},
}
# shims of old import paths, the engine's own plugins (which use the API, tested elsewhere) and
# the tools at the top (workflows, cli, testing) may import anything
STAGED = sorted(p for p in PACKAGE.rglob("*.py") if p.parent.name in ALLOWED)


def stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) >= 2 and parts[0] == "asrzoo" and parts[1] in ALLOWED else None


def imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text("utf-8"))
    hidden = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for node in ast.walk(block)
    }
    found = []
    for node in ast.walk(tree):
        if id(node) in hidden:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return [(line, name) for line, name in found if name.split(".")[0] == "asrzoo"]


def test_every_stage_has_modules():
    assert {p.parent.name for p in STAGED} == set(ALLOWED)


@pytest.mark.parametrize("path", STAGED, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_stage_imports_only_the_stages_before_it(path):
    mine = path.parent.name
    wrong = [
        f"line {line}: {module}"
        for line, module in imported_modules(path)
        if module not in BASE and stage(module) not in ALLOWED[mine] | {mine}
    ]
    assert not wrong, f"asrzoo/{mine} may import only {sorted(ALLOWED[mine])}: {wrong}"
