import unicodedata

import pytest
from asrzoo_mn import normalizer as mn

GOLDEN = [
    ("ЁС ЗАНШИЛ, ёроол!", "ёс заншил ёроол"),  # ё is a letter of its own: kept
    ("Е\u0308ОТОН", "ёотон"),  # decomposed Ё: NFC first
    ("ӨНДӨР ҮҮЛ", "өндөр үүл"),
    ("Öндөр üүл Üнэн", "өндөр үүл үнэн"),  # Latin ö ü in Cyrillic words
    ("Ɵвөл ɵнөөдөр Θвс θрөө", "өвөл өнөөдөр өвс өрөө"),  # barred o and Greek theta
    ("ӧвөл ӱнэн ѳдөр", "өвөл үнэн өдөр"),  # other languages' Cyrillic letters
    ("o\u0308ргөн", "өргөн"),  # decomposed Latin ö: NFC composes it first
    ("Mонгол Yлс", "монгол үлс"),  # Latin M; capital Y is drawn as Ү
    ("Caйн бaйнa yу", "сайн байна уу"),  # Latin c, a, y inside Cyrillic words
    ("TOKИO ба Tokyo", "токио ба tokyo"),  # Latin words stay Latin
    ("Улаан-Үд — ойр-ойрхон", "улаан үд ойр ойрхон"),  # hyphens and dashes
    ("«Миний нутаг» 'шүлэг'", "миний нутаг шүлэг"),  # quotes, loose apostrophes
    ("О\u2019Нил явъя", "онил явъя"),  # an apostrophe in a word joins it; ъ kept
    ("ма́л и\u0306 й\u0306", "мал й й"),  # accents go; й keeps one breve
    ("Үнэ 100 ₮, № 5…", "үнэ 100 5"),  # digits kept, symbols go
    ("хү\u00adүхэд\u200bбүр", "хүүхэд бүр"),  # soft hyphen hides in a word
]


@pytest.mark.parametrize(("raw", "expected"), GOLDEN)
def test_golden(raw, expected):
    assert mn.normalize_mongolian(raw) == expected


@pytest.fixture(scope="module")
def sentences():
    from asrzoo_mn import register_languages

    found = []
    register_languages(found.append)
    return found[0].read_sentences()


def test_enough_varied_sentences(sentences):
    assert len(sentences) >= 500
    assert len({mn.normalize_mongolian(s) for s in sentences}) == len(sentences)


def test_sentences_are_cyrillic_words_without_digits(sentences):
    allowed = set(mn.ALPHABET) | {" "}
    letters = {}
    for sentence in sentences:
        assert not any(c.isdigit() for c in sentence), sentence
        text = mn.normalize_mongolian(sentence)
        assert 4 <= len(text.split()) <= 14, sentence
        assert set(text) <= allowed, (sentence, set(text) - allowed)
        for char in text.replace(" ", ""):
            letters[char] = letters.get(char, 0) + 1
    assert all(letters.get(c, 0) >= 5 for c in mn.ALPHABET), letters


@pytest.mark.parametrize(
    "raw", [g[0] for g in GOLDEN] + ["  ''ӨӨ'  ' ", "\u0301ЁҮ—Ө…", "O'Нил", "öре'ЕЪ"]
)
def test_idempotent_and_no_stray_combining_marks(raw):
    once = mn.normalize_mongolian(raw)
    assert mn.normalize_mongolian(once) == once
    assert unicodedata.normalize("NFC", once) == once
    assert not any(unicodedata.combining(c) for c in once)


def test_plugin_metadata_and_vocabulary(registry):
    language = registry.language("mn")
    assert (language.common_voice, language.fleurs, language.espeak_voice, language.iso639_3) == (
        "mn",
        "mn_mn",
        None,
        "mon",
    )
    assert (language.name, language.script, language.spaces_between_words) == (
        "Mongolian",
        "Cyrl",
        True,
    )
    vocabulary = registry.vocabulary("mn")
    tokens = vocabulary.token_to_id()
    assert tokens["[PAD]"] == 0 and "[UNK]" in tokens and "|" in tokens
    assert {"ө", "ү", "ё", "й", "ъ", "ь", "ы"} <= set(vocabulary.alphabet)
    assert "-" not in vocabulary.alphabet and "'" not in vocabulary.alphabet
    assert len(tokens) == 35 + 3  # letters, delimiter, [UNK], [PAD]
    normalizer = registry.normalizer("mn")
    assert normalizer.id == "asrzoo-mn/mongolian" and normalizer.version
