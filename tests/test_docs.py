import inspect
import re
from pathlib import Path

import pytest

from asrzoo.plugin import hookspecs

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


@pytest.mark.parametrize(
    "name", ["Language", "Normalizer", "Vocabulary", "AudioRow", "DatasetLoader", "ModelPreset",
             "ModelFamily"],
)  # fmt: skip
def test_every_field_of_every_plugin_object_is_documented(name):
    import dataclasses

    import asrzoo

    section = DOCS.split(f"\n### {name}\n", 1)[1].split("\n#", 1)[0]
    documented = re.findall(r"^\| `(\w+)` \|", section, flags=re.M)
    assert documented == [f.name for f in dataclasses.fields(getattr(asrzoo, name))]


def test_the_tutorials_pyproject_builds_a_wheel_that_holds_the_sentences(tmp_path):
    import subprocess
    import sys
    import zipfile

    from asrzoo.testing import run_cli

    tutorial = (Path(__file__).parents[1] / "docs" / "writing_plugins.md").read_text()
    pyproject = re.search(r"```toml\n(.*?)```", tutorial, flags=re.S).group(1)
    folder = tmp_path / "asrzoo-eo"
    run_cli("new-language", "eo", "--output", str(folder))
    (folder / "pyproject.toml").write_text(pyproject)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path / "dist"), str(folder)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = (tmp_path / "dist").glob("asrzoo_eo-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "asrzoo_eo/sentences.txt" in names and "asrzoo_eo/__init__.py" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "eo = asrzoo_eo" in zipfile.ZipFile(wheel).read(entry_points).decode()
