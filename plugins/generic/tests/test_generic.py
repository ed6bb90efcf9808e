"""The generic plugin: 100+ languages from CLDR and espeak-ng, always behind curated plugins."""

import json

import asrzoo_generic
import asrzoo_tr
import pytest
from asrzoo_generic.normalizer import GenericNormalizer

from asrzoo.plugin.manager import PluginManager
from asrzoo.plugin.registry import Registry
from asrzoo.testing import SMALL_CORPUS, LanguagePluginTests, run_cli


def test_over_a_hundred_languages_are_ready_for_synthetic_speech(registry):
    ready = [
        code
        for code, language in registry.languages.items()
        if registry.owner("language", code) == "generic"
        and language.espeak_voice
        and len(language.read_sentences()) >= 400  # beyond the corpus's 300 held out
    ]
    assert len(ready) >= 100, len(ready)
    assert {"el", "vi", "th", "ko", "fa", "pl", "uk", "ta", "am"} <= set(ready)


@pytest.mark.parametrize("order", [("generic", "tr"), ("tr", "generic")])
def test_a_curated_plugin_wins_whatever_the_load_order(order):
    modules = {"generic": asrzoo_generic, "tr": asrzoo_tr}
    pm = PluginManager()
    for name in order:
        pm.add(modules[name], name, "0.1")
    registry = Registry(pm)
    assert registry.owner("language", "tr") == "tr"
    assert registry.normalizer("tr").id == "asrzoo-tr/turkish"
    assert registry.vocabulary("tr").alphabet == asrzoo_tr.normalizer.ALPHABET
    assert registry.owner("language", "az") == "generic"  # no curated Azeri: generic serves it


@pytest.mark.parametrize(
    ("code", "raw", "expected"),
    [
        ("az", "İLHAM VƏ IŞIQ", "ilham və ışıq"),  # Azeri dotted and dotless i, by ICU's rules
        ("el", "ΟΔΟΣ ΚΑΙ ΘΑΛΑΣΣΑ!", "οδος και θαλασσα"),  # final sigma
        ("th", "สวัสดี ครับ", "สวัสดีครับ"),  # Thai is written without spaces
        ("de", "drei\u00adhundert", "dreihundert"),  # a soft hyphen leaves no trace
        ("vi", "Tiếng Việt", "tiếng việt"),
        ("pl", "„Łódź”, żółw…", "łódź żółw"),
    ],
)
def test_generic_normalizer(code, raw, expected):
    from asrzoo_generic import language_parts

    assert language_parts(code)[1](raw) == expected


def test_a_word_never_starts_with_an_orphaned_combining_mark():
    normalize = GenericNormalizer("hi", frozenset("कखग\u093f"), True)
    assert normalize("क \u093fख") == "क ख"


# The conformance suite on languages of different scripts and traps
for _code in ("el", "vi", "th", "fa", "am", "ko", "ka", "az", "ml", "yo"):
    globals()[f"TestConformance_{_code}"] = type(
        f"TestConformance_{_code}", (LanguagePluginTests,), {"language": _code}
    )


def test_a_generic_language_trains_on_synthetic_speech(tmp_path):
    out = tmp_path / "el-tiny"
    run_cli("train", "el", "--dataset", "synthetic", *SMALL_CORPUS, "--model", "tiny",
            "--max-steps", "4", "--output-dir", str(out), "--json")  # fmt: skip
    meta = json.loads((out / "asrzoo.json").read_text())
    assert meta["language"] == "el"
    assert meta["normalizer_id"] == "asrzoo-generic/cldr"
    assert meta["metrics"]["validation"]["utterances"] == 10  # every validation row scored
