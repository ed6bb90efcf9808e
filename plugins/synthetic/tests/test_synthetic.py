import numpy as np
import pytest
import soundfile
from asrzoo_synthetic.corpus import CorpusOptions, build_corpus, sentence_key, split_sentences
from asrzoo_synthetic.espeak import espeak

TEXTS = [
    f"Cümle numarası {word} burada."
    for word in (
        "bir iki üç dört beş altı yedi sekiz dokuz on yirmi otuz kırk elli altmış yetmiş seksen "
        "doksan yüz bin".split()
    )
] + ["Cümle numarası bir burada!", "CÜMLE NUMARASI İKİ BURADA"]  # duplicates up to case/punct
SENTENCES = [(text, text) for text in TEXTS]  # (written, spoken)


def test_espeak_speaks_turkish_at_22050():
    samples = espeak().synthesize("Merhaba dünya", "tr+f2", 160, 50)
    assert espeak().sample_rate == 22_050
    assert samples.dtype == np.int16 and 0.3 < len(samples) / 22_050 < 3
    assert np.abs(samples).max() > 1_000


def test_unknown_voice_is_a_clear_error():
    with pytest.raises(RuntimeError, match="no voice 'zz-nope'"):
        espeak().synthesize("a", "zz-nope", 160, 50)


def test_test_sentences_never_occur_in_training():
    splits = split_sentences(SENTENCES, CorpusOptions(test=4, validation=3))
    keys = {name: {sentence_key(s) for s, _ in split} for name, split in splits.items()}
    assert len(keys["test"]) == 4 and len(keys["validation"]) == 3
    assert not keys["test"] & keys["train"] and not keys["validation"] & keys["train"]
    assert sum(len(k) for k in keys.values()) == 20  # the two near-copies collapsed


def test_corpus_is_deterministic_by_seed_and_cached(tmp_path):
    options = CorpusOptions(test=2, validation=2, renders=2, seed=7)
    first = build_corpus("tr", "tr", SENTENCES, options, tmp_path / "a")
    second = build_corpus("tr", "tr", SENTENCES, options, tmp_path / "b")
    assert first.read_text() == second.read_text()
    wav = next((first.parent / "train").glob("*.wav"))
    assert wav.read_bytes() == (second.parent / "train" / wav.name).read_bytes()
    assert soundfile.info(wav).samplerate == 22_050
    mtime = first.stat().st_mtime_ns
    assert build_corpus("tr", "tr", SENTENCES, options, tmp_path / "a") == first
    assert first.stat().st_mtime_ns == mtime
    other_seed = build_corpus(
        "tr", "tr", SENTENCES, CorpusOptions(test=2, validation=2, seed=8), tmp_path / "a"
    )
    assert other_seed != first
    assert len(first.read_text().splitlines()) == 16 * 2 + 2 + 2


def test_loader_serves_languages_with_a_voice_and_sentences(registry):
    assert "synthetic" in registry.loaders("tr")


def test_unknown_option_is_a_user_error(registry):
    from asrzoo import UserError

    loader, _ = registry.loader("tr", "synthetic")
    with pytest.raises(UserError, match="unknown synthetic option"):
        loader.load(registry.language("tr"), {"renderz": "2"})


def test_sentences_can_come_from_a_text_file(registry, tmp_path):
    (tmp_path / "mine.txt").write_text("\n".join(TEXTS) + "\n", encoding="utf-8")
    loader, _ = registry.loader("tr", "synthetic")
    options = {"text_file": str(tmp_path / "mine.txt"), "test": "2", "validation": "2"}
    splits = loader.load(registry.language("tr"), options)
    texts = {row.text for rows in splits.values() for row in rows}
    assert texts <= set(TEXTS) and len(splits["test"]) == 2
    assert loader.describe(registry.language("tr"), options)["text_file"] == options["text_file"]


def test_a_sentence_is_spoken_in_its_reading_and_transcribed_as_written(registry, tmp_path):
    """Japanese lines give a kana reading after a tab, because espeak-ng cannot read kanji."""
    lines = [f"{text}\tbir" for text in TEXTS]  # every sentence read as one short word
    (tmp_path / "readings.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    loader, _ = registry.loader("tr", "synthetic")
    options = {"text_file": str(tmp_path / "readings.txt"), "test": "2", "validation": "2"}
    rows = [row for rows in loader.load(registry.language("tr"), options).values() for row in rows]
    assert {row.text for row in rows} <= set(TEXTS)
    longest = max(soundfile.info(row.audio).duration for row in rows)
    assert longest < 1.0  # "bir", not "Cümle numarası ... burada."


def test_too_few_sentences_for_the_default_splits_is_one_line_naming_the_options():
    from asrzoo.testing import run_cli

    done = run_cli("data", "prepare", "tr", "--dataset", "synthetic", "-O", "sentences=33",
                   check=False)  # fmt: skip
    assert done.returncode == 1 and "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert "33 distinct sentences cannot fill 200 test and 100 validation" in line
    assert "-O test=6 -O validation=3" in line
