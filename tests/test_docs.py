import inspect
import re
from pathlib import Path

import pytest

from asrzoo import hookspecs

DOCS = (Path(__file__).parents[1] / "docs" / "plugin_hooks.md").read_text()
HOOKS = [name for name, f in vars(hookspecs).items() if hasattr(f, "asrzoo_spec")]


def test_there_are_hooks():
    assert "register_languages" in HOOKS and "register_commands" in HOOKS


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_documented_with_its_exact_signature(hook):
    signature = f"{hook}{inspect.signature(getattr(hookspecs, hook))}"
    assert f"## {signature}\n" in DOCS, f"docs/plugin_hooks.md lacks a '## {signature}' section"
    section = DOCS.split(f"## {signature}\n", 1)[1].split("\n## ", 1)[0]
    assert re.search(rf"@hookimpl\ndef {hook}\(", section), f"{hook}'s section has no example"


def test_no_documented_hook_is_missing_from_the_specs():
    documented = re.findall(r"^## (\w+)\(", DOCS, flags=re.M)
    assert sorted(documented) == sorted(HOOKS)
