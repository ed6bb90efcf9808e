import json
import os
import types

import numpy as np
import pytest

from asrzoo import Normalizer, UserError
from asrzoo.plugin.hookspecs import hookimpl
from asrzoo.plugin.manager import load_plugins
from asrzoo.plugin.registry import DuplicateRegistration, Registry
from asrzoo.testing import run_cli as run_asrzoo


def install_fake_plugin(site, name, source):
    """A real installed distribution (module + dist-info with an asrzoo entry point) in ``site``."""
    (site / f"{name}.py").write_text(source)
    info = site / f"{name}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[asrzoo]\n{name} = {name}\n")


def run_cli(*args, site=None):
    env = dict(os.environ)
    if site:
        env["PYTHONPATH"] = os.pathsep.join([str(site), env.get("PYTHONPATH", "")])
    return run_asrzoo(*args, check=False, env=env)


def test_plugin_that_raises_on_import_is_reported_and_nothing_else_breaks(tmp_path):
    install_fake_plugin(tmp_path, "asrzoo_broken", "raise RuntimeError('boom at import')\n")
    listed = run_cli("plugins", "--json", site=tmp_path)
    assert listed.returncode == 1, listed.stderr  # the list is complete, and a script sees it
    status = {p["name"]: p["status"] for p in json.loads(listed.stdout)}
    assert status["asrzoo_broken"] == "error: RuntimeError: boom at import"
    assert status["tr"] == "ok" and status["synthetic"] == "ok"

    languages = run_cli("languages", "--json", site=tmp_path)
    assert languages.returncode == 0
    assert {"tr", "de", "zh"} <= {lang["code"] for lang in json.loads(languages.stdout)}
    normalized = run_cli("normalize", "tr", "İSTANBUL'DA IŞIK YANDI.", site=tmp_path)
    assert normalized.stdout.strip() == "istanbul'da ışık yandı"


def test_plugin_that_raises_inside_a_hook_is_reported(tmp_path):
    install_fake_plugin(
        tmp_path,
        "asrzoo_faulty",
        "from asrzoo.plugin.hookspecs import hookimpl\n"
        "@hookimpl\n"
        "def register_languages(register):\n"
        "    raise ValueError('no languages today')\n",
    )
    listed = run_cli("plugins", "--json", site=tmp_path)
    status = {p["name"]: p["status"] for p in json.loads(listed.stdout)}
    assert status["asrzoo_faulty"] == "error: ValueError: no languages today"
    assert status["tr"] == "ok"


def plugin_module(name, **hooks):
    module = types.ModuleType(name)
    for hook_name, function in hooks.items():
        setattr(module, hook_name, hookimpl(function))
    return module


def test_two_normalizers_for_one_language_is_an_error_naming_both():
    pm = load_plugins()

    def second(register):
        register(Normalizer("tr", "other/turkish", "1", str.lower))

    pm.add(plugin_module("asrzoo_second_tr", register_normalizers=second), "second-tr", "0.1")
    with pytest.raises(DuplicateRegistration, match="by second-tr and by tr"):
        Registry(pm).normalizer("tr")


def test_registering_the_wrong_object_is_reported():
    pm = load_plugins()
    pm.add(plugin_module("wrong", register_languages=lambda register: register("tr")), "wrong", "1")
    registry = Registry(pm)
    assert "tr" in registry.languages
    assert "expects Language" in pm.infos["wrong"].error


def test_a_hook_that_matches_no_spec_is_refused():
    pm = load_plugins()
    with pytest.raises(Exception, match="unknown hooks: register_langauges"):
        pm.add(plugin_module("typo", register_langauges=lambda register: None), "typo", "1")


def test_load_only_the_named_plugins(monkeypatch):
    monkeypatch.setenv("ASRZOO_LOAD_PLUGINS", "tr")
    registry = Registry()
    assert "tr" in registry.languages
    assert "synthetic" not in registry.dataset_loaders


def test_unknown_names_list_the_valid_choices(registry):
    # hundreds of languages are suggested, not listed
    with pytest.raises(UserError, match=r"unknown language 'tur'; did you mean .*\btr\b.*known"):
        registry.language("tur")
    with pytest.raises(UserError, match="choose one of: audio-files, audiofolder, .*, synthetic"):
        registry.loader("tr", "librispeech")
    with pytest.raises(UserError, match=r"unknown model preset 'huge'; choose one of: .*\btiny\b"):
        registry.preset("huge")


def test_languages_json_lists_turkish_with_its_normalizer_and_vocabulary():
    listed = run_cli("languages", "--json")
    turkish = next(lang for lang in json.loads(listed.stdout) if lang["code"] == "tr")
    assert turkish["normalizer"] == {"id": "asrzoo-tr/turkish", "version": "1"}
    assert turkish["vocabulary_size"] == 33 and "synthetic" in turkish["datasets"]
    normalized = run_cli("normalize", "tr", "İSTANBUL'DA IŞIK YANDI.")
    assert normalized.stdout == "istanbul'da ışık yandı\n"


def test_a_usage_mistake_is_one_line():
    result = run_cli("normalize", "tr")
    assert result.returncode == 2 and result.stderr == "Error: Missing argument 'TEXT'.\n"


def test_a_second_plugin_under_a_taken_name_is_reported(tmp_path):
    install_fake_plugin(tmp_path, "asrzoo_other_tr", "")
    entry_points = tmp_path / "asrzoo_other_tr-1.0.dist-info" / "entry_points.txt"
    entry_points.write_text("[asrzoo]\ntr = asrzoo_other_tr\n")
    listed = json.loads(run_cli("plugins", "--json", site=tmp_path).stdout)
    statuses = [p["status"] for p in listed if p["name"] == "tr"]
    assert sorted(statuses) == ["error: the plugin name 'tr' is taken", "ok"]


HALF_BROKEN = """
from asrzoo import Language, Normalizer, hookimpl

@hookimpl
def register_languages(register):
    register(Language(code="kk", name="Kazakh", iso639_3="kaz", script="Cyrl"))

@hookimpl
def register_normalizers(register):
    register(Normalizer("kk", "mine/kazakh", "1", str.lower))

@hookimpl
def register_vocabularies(register):
    raise RuntimeError("alphabet file missing")
"""


def test_a_plugin_that_raises_in_one_hook_is_removed_whole(tmp_path):
    install_fake_plugin(tmp_path, "asrzoo_kk", HALF_BROKEN)
    listed = run_cli("plugins", "--json", site=tmp_path)
    assert listed.returncode == 1
    status = {p["name"]: p["status"] for p in json.loads(listed.stdout)}
    assert status["asrzoo_kk"] == "error: RuntimeError: alphabet file missing"
    # kk is the generic plugin's again: no curated normalizer with a generic vocabulary
    shown = run_cli("languages", "--json", site=tmp_path)
    assert shown.returncode == 0
    kazakh = next(row for row in json.loads(shown.stdout) if row["code"] == "kk")
    assert kazakh["plugin"] == "generic" and kazakh["normalizer"]["id"] != "mine/kazakh"
    warnings = [line for line in shown.stderr.splitlines() if "asrzoo_kk" in line]
    assert len(warnings) == 1 and "alphabet file missing" in warnings[0]
    assert run_cli("normalize", "tr", "IŞIK", site=tmp_path).stdout == "ışık\n"


SECOND_TURKISH = """
from asrzoo import Normalizer, hookimpl

@hookimpl
def register_normalizers(register):
    register(Normalizer("tr", "mine/turkish", "1", str.lower))
"""


def test_two_plugins_registering_one_normalizer_stop_only_that_language(tmp_path):
    install_fake_plugin(tmp_path, "asrzoo_tr2", SECOND_TURKISH)
    listed = run_cli("plugins", site=tmp_path)
    assert listed.returncode == 1 and "by asrzoo_tr2 and by tr" in listed.stderr
    assert run_cli("normalize", "de", "Straße!", site=tmp_path).stdout == "straße\n"
    clash = run_cli("normalize", "tr", "IŞIK", site=tmp_path)
    assert clash.returncode == 1
    error = clash.stderr.strip().splitlines()[-1]
    assert "normalizer 'tr' is registered by asrzoo_tr2 and by tr" in error
    assert "asrzoo uninstall" in error and "ASRZOO_LOAD_PLUGINS" in error


OUTSIDE_LOADER = """
import os
import numpy as np, soundfile
from asrzoo import CURATED, AudioRow, DatasetLoader, Normalizer, hookimpl

CLIP = os.environ["CLIP"]


def rows(mode):
    yield AudioRow("good-1", CLIP, "merhaba dünya")
    if mode == "raises midway":
        raise RuntimeError("the server went away")
    if mode == "a dict row":
        yield {"id": "x", "audio": CLIP, "text": "merhaba"}
    yield AudioRow(7, CLIP, "merhaba")  # a number for an id
    yield AudioRow("no-text", CLIP, None)
    yield AudioRow("boom", CLIP, "kaboom")  # the normalizer raises on it
    yield AudioRow("good-2", CLIP, "iyi günler")


def load(language, options):
    mode = options["mode"]
    if mode == "a list":
        return [AudioRow("a", CLIP, "merhaba")]
    if mode == "an odd split":
        return {"../../evil": list(rows(mode))}
    return {"train": rows(mode), "test": [AudioRow("t", CLIP + "?", "test")]}


def normalize(text):
    if "kaboom" in text:
        raise ValueError("cannot read this")
    return None if os.environ["MODE"] == "no text" else text.lower()


@hookimpl
def register_dataset_loaders(register):
    register(DatasetLoader("outside", "an outside author's", lambda language: True, load))


@hookimpl
def register_normalizers(register):
    register(Normalizer("tr", "outside/tr", "1", normalize, priority=CURATED + 1))
"""


def test_an_outside_loader_and_normalizer_that_misbehave_are_one_line_or_a_reported_row(
    tmp_path, monkeypatch
):
    import soundfile

    install_fake_plugin(tmp_path, "asrzoo_outside", OUTSIDE_LOADER)
    clip = tmp_path / "clip.wav"
    soundfile.write(clip, 0.1 * np.random.default_rng(0).standard_normal(16_000), 16_000)
    monkeypatch.setenv("CLIP", str(clip))

    def prepare(mode):
        monkeypatch.setenv("MODE", mode)  # for the normalizer; the option keys the cache
        command = ["data", "prepare", "tr", "--dataset", "outside", "-O", f"mode={mode}"]
        return run_cli(*command, "--json", site=tmp_path)

    done = prepare("rows")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["kept"]["train"] == 3  # good-1, 7, good-2
    why = {d["row"]: d["reason"] for d in report["dropped"]}
    assert why["no-text"] == "empty transcript after normalization"
    assert why["boom"] == "the normalizer failed"
    for mode, says in [
        ("raises midway", "failed while reading its train rows: RuntimeError"),
        ("a dict row", "gave a dict in its train split, not an AudioRow"),
        ("a list", "returned list, not a dict of split names"),
        ("an odd split", "split '../../evil' cannot name a folder"),
        ("no text", "returned NoneType, not text: fix the plugin"),
    ]:
        failed = prepare(mode)
        lines = failed.stderr.strip().splitlines()
        assert failed.returncode == 1 and len(lines) == 1, failed.stderr[-1500:]
        assert "outside" in lines[0] and says in lines[0], lines[0]
