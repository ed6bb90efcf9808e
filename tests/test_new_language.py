"""`asrzoo new-language`, `install` and `uninstall`: a scaffolded plugin passes conformance as
it is, installs into the running environment, replaces the generic language, and goes again."""

import json
import os
import subprocess
import sys
from pathlib import Path

from asrzoo.testing import run_cli


def language(code):
    # a fresh process: an editable install takes effect at interpreter start-up
    listed = json.loads(run_cli("languages", "--json", env=dict(os.environ)).stdout)
    return next((row for row in listed if row["code"] == code), None)


def test_scaffolded_plugin_installs_passes_conformance_and_uninstalls(tmp_path):
    folder = tmp_path / "asrzoo-eo"
    run_cli("new-language", "eo", "--output", str(folder))
    assert (folder / "asrzoo_eo" / "sentences.txt").read_text("utf-8").count("\n") >= 400
    assert language("eo")["normalizer"]["id"] == "asrzoo-generic/cldr"
    here = tmp_path / "here"
    (here / "asrzoo").mkdir(parents=True)  # a folder named like the package, where the user is
    script = Path(sys.executable).with_name("asrzoo")
    try:
        installed = subprocess.run(
            [str(script), "install", str(folder)], capture_output=True, text=True, cwd=here
        )
        assert installed.returncode == 0, installed.stderr[-2000:]
        assert "installed asrzoo-eo" in installed.stdout
        assert language("eo")["normalizer"]["id"] == "asrzoo-eo/normalizer"  # curated wins
        tests = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(folder)],
            capture_output=True, text=True, cwd=tmp_path,
        )  # fmt: skip
        assert tests.returncode == 0, tests.stdout[-3000:]
        assert " passed" in tests.stdout and "skipped" not in tests.stdout
    finally:
        run_cli("uninstall", str(folder))
    assert language("eo")["normalizer"]["id"] == "asrzoo-generic/cldr"


def test_a_language_asrzoo_does_not_know_needs_its_letters_and_sentences(tmp_path):
    result = run_cli("new-language", "xqq", "--output", str(tmp_path / "x"), check=False)
    assert result.returncode == 1
    assert "give --name, --script, --alphabet, --sentences" in result.stderr


def test_a_plugin_folder_that_exists_is_not_overwritten(tmp_path):
    (tmp_path / "taken").mkdir()
    result = run_cli("new-language", "eo", "--output", str(tmp_path / "taken"), check=False)
    assert "already exists" in result.stderr


def test_installing_a_folder_without_a_plugin_is_a_clear_error(tmp_path):
    result = run_cli("install", str(tmp_path), check=False)
    assert result.returncode == 1 and "no pyproject.toml" in result.stderr
    missing = run_cli("install", str(tmp_path / "nowhere"), check=False)
    assert missing.returncode == 1 and "no such folder" in missing.stderr  # pip is not asked


def test_bad_sentences_or_a_quoted_name_leave_no_half_made_plugin(tmp_path):
    folder = tmp_path / "x"
    unknown = ["new-language", "xqq", "--script", "Latn", "--alphabet", "abc", "--output"]
    (tmp_path / "latin1.txt").write_bytes("çok güzel\n".encode("latin-1"))
    (tmp_path / "unusable.txt").write_text("xyz qrs\n", encoding="utf-8")
    for extra, says in [
        (["--name", "X", "--sentences", str(tmp_path / "latin1.txt")], "is not UTF-8 text"),
        (["--name", "X", "--sentences", str(tmp_path / "unusable.txt")], "no usable sentences"),
        (["--name", 'The "Q" language', "--sentences", str(tmp_path / "unusable.txt")], "quotes"),
    ]:
        result = run_cli(*unknown, str(folder), *extra, check=False)
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 1 and len(lines) == 1 and says in lines[0], result.stderr
        assert not folder.exists()
