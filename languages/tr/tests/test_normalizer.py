import unicodedata

import pytest
from asrzoo_tr import normalizer as tr

GOLDEN = [
    ("İSTANBUL'DA IŞIK YANDI.", "istanbul'da ışık yandı"),
    ("Iğdır'a ILIK bir rüzgâr esti!", "ığdır'a ılık bir rüzgar esti"),
    ("Maktouf’un davası, “yarın” görülecek.", "maktouf'un davası yarın görülecek"),
    ("Kâr hâlâ düşük; îman ve ûmit.", "kar hala düşük iman ve umit"),
    ("i\u0307stanbul", "istanbul"),  # the dotted i left by str.lower() on "İ"
    ("I\u0307ZMI\u0307R", "izmir"),  # decomposed İ: NFC first
    ("'Ali' geldi mi?", "ali geldi mi"),  # quotes are not apostrophes
    ("Ankara-İstanbul hattı", "ankara istanbul hattı"),
    ("ÇOCUK  ŞÖYLE   dedi:\t«GÜNAYDIN»", "çocuk şöyle dedi günaydın"),
    ("Café %50", "cafe 50"),
]


@pytest.mark.parametrize(("raw", "expected"), GOLDEN)
def test_golden(raw, expected):
    assert tr.normalize_turkish(raw) == expected


@pytest.fixture(scope="module")
def sentences():
    from asrzoo_tr import register_languages

    found = []
    register_languages(found.append)
    return found[0].read_sentences()


def test_enough_varied_sentences(sentences):
    assert len(sentences) >= 1500
    assert len({tr.normalize_turkish(s) for s in sentences}) == len(sentences)


def test_every_sentence_normalizes_into_the_alphabet(sentences):
    allowed = set(tr.ALPHABET) | {" "}
    for sentence in sentences:
        text = tr.normalize_turkish(sentence)
        assert text, sentence
        assert set(text) <= allowed, (sentence, set(text) - allowed)


@pytest.mark.parametrize("raw", [g[0] for g in GOLDEN] + ["  ÂLÂ'YA  ' ' ", "Ğ̆Ü—Ö…"])
def test_idempotent_and_no_stray_combining_marks(raw):
    once = tr.normalize_turkish(raw)
    assert tr.normalize_turkish(once) == once
    assert not any(unicodedata.combining(c) for c in once)
    assert "\u0307" not in once


def test_plugin_metadata_and_vocabulary(registry):
    language = registry.language("tr")
    assert (language.common_voice, language.fleurs, language.espeak_voice, language.iso639_3) == (
        "tr",
        "tr_tr",
        "tr",
        "tur",
    )
    vocabulary = registry.vocabulary("tr")
    tokens = vocabulary.token_to_id()
    assert tokens["[PAD]"] == 0 and "[UNK]" in tokens and "|" in tokens
    assert {"ı", "i", "ğ", "ş", "ç", "ö", "ü", "'"} <= set(vocabulary.alphabet)
    assert len(tokens) == 29 + 1 + 3  # letters, apostrophe, delimiter, [UNK], [PAD]
    normalizer = registry.normalizer("tr")
    assert normalizer.id == "asrzoo-tr/turkish" and normalizer.version
