import unicodedata

import pytest
from asrzoo_ru import normalizer as ru

GOLDEN = [
    ("ЁЛКА, ёж и Ёжик!", "елка еж и ежик"),  # ё is folded into е
    ("Е\u0308ЛКА", "елка"),  # decomposed Ё: NFC first
    ("Пpивeт, MИР!", "привет мир"),  # Latin p, e, M inside Cyrillic words
    ("CTAPЫЙ ГOPOД", "старый город"),  # Latin capitals C T A P O in Cyrillic words
    ("Bот KHИГA", "вот книга"),  # Latin B, K, H: homoglyphs only as capitals
    ("Xerox и iPhone", "xerox и iphone"),  # Latin words stay Latin (rows then dropped)
    ("B Москве", "b москве"),  # a one-letter Latin word is a word of its own
    ("замо́к и за́мок, что̀", "замок и замок что"),  # stress accents go
    ("ѐж и ѝ", "еж и и"),  # NFC composes е and и with a grave accent: still stress
    ("Й и\u0306 И\u0306\u0306", "й й й"),  # the breve of й stays, a doubled one is stray
    ("объём подъезд СЪЕЗД", "объем подъезд съезд"),  # ъ kept
    ("об\u2019явление, под'езд", "объявление подъезд"),  # apostrophe for ъ
    ("Д'Артаньян и О\u2019Нил", "дартаньян и онил"),  # other apostrophes join the word
    ("«Кто-нибудь — по-моему» 'да'", "кто нибудь по моему да"),  # hyphens, dashes, quotes
    ("ТЕЛЕФОН № 5, цена 100 ₽…", "телефон 5 цена 100"),  # digits kept, symbols go
    ("при\u00adмер при\u200bмер", "пример при мер"),  # soft hyphen hides in a word
    ("мöре", "море"),  # an accent dropped from a Latin letter uncovers a homoglyph
    ("ШЬЁТ  СЕМЬЯ\t\u00a0ЮЛЯ", "шьет семья юля"),
]


@pytest.mark.parametrize(("raw", "expected"), GOLDEN)
def test_golden(raw, expected):
    assert ru.normalize_russian(raw) == expected


@pytest.fixture(scope="module")
def sentences():
    from asrzoo_ru import register_languages

    found = []
    register_languages(found.append)
    return found[0].read_sentences()


def test_enough_varied_sentences(sentences):
    assert len(sentences) >= 500
    assert len({ru.normalize_russian(s) for s in sentences}) == len(sentences)


def test_sentences_are_cyrillic_words_without_digits(sentences):
    allowed = set(ru.ALPHABET) | {" "}
    letters = {}
    for sentence in sentences:
        assert not any(c.isdigit() for c in sentence), sentence
        text = ru.normalize_russian(sentence)
        assert 4 <= len(text.split()) <= 14, sentence
        assert set(text) <= allowed, (sentence, set(text) - allowed)
        for char in text.replace(" ", ""):
            letters[char] = letters.get(char, 0) + 1
    assert all(letters.get(c, 0) >= 5 for c in ru.ALPHABET), letters


@pytest.mark.parametrize(
    "raw", [g[0] for g in GOLDEN] + ["  ''ЁЁ'  ' ", "\u0301ЕЩЁ—Ё…", "O'Брайен", "Öре'ЕЪ"]
)
def test_idempotent_and_no_stray_combining_marks(raw):
    once = ru.normalize_russian(raw)
    assert ru.normalize_russian(once) == once
    assert unicodedata.normalize("NFC", once) == once
    assert not any(unicodedata.combining(c) for c in once)
    assert "ё" not in once


def test_plugin_metadata_and_vocabulary(registry):
    language = registry.language("ru")
    assert (language.common_voice, language.fleurs, language.espeak_voice, language.iso639_3) == (
        "ru",
        "ru_ru",
        "ru",
        "rus",
    )
    assert (language.name, language.script, language.spaces_between_words) == (
        "Russian",
        "Cyrl",
        True,
    )
    vocabulary = registry.vocabulary("ru")
    tokens = vocabulary.token_to_id()
    assert tokens["[PAD]"] == 0 and "[UNK]" in tokens and "|" in tokens
    assert {"й", "ъ", "ь", "ы", "э", "щ"} <= set(vocabulary.alphabet)
    assert "ё" not in vocabulary.alphabet and "-" not in vocabulary.alphabet
    assert len(tokens) == 32 + 3  # letters without ё, delimiter, [UNK], [PAD]
    normalizer = registry.normalizer("ru")
    assert normalizer.id == "asrzoo-ru/russian" and normalizer.version
