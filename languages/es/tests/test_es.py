import unicodedata

import pytest
from asrzoo_es import normalizer as es

GOLDEN = [
    ("¿Qué HORA es?", "qué hora es"),  # inverted question mark is punctuation
    ("¡ÁNIMO, Íñigo!", "ánimo íñigo"),  # inverted exclamation mark; accented capitals lowered
    ("El PINGÜINO y la cigüeña", "el pingüino y la cigüeña"),  # ü is Spanish: kept
    # decomposed input (n + U+0303, u + U+0308, o + U+0301) composes to the same letters
    (unicodedata.normalize("NFD", "Año, canción y pingüino"), "año canción y pingüino"),
    ("Él dijo: «Tú sí, más tarde».", "él dijo tú sí más tarde"),  # « » quotes; tildes kept
    (
        "Françoise, Gödel y Lluïsa cenaron en Alcàsser",
        "francoise godel y lluisa cenaron en alcasser",
    ),
    # é is Spanish and kept, è is not and is folded; ü is Spanish
    ("Thérèse Müller vive en Zürich", "thérese müller vive en zürich"),
    ("Plaza de O’Higgins, vamos p'alante", "plaza de ohiggins vamos palante"),  # joined
    ("'Hola' —dijo— “adiós”…", "hola dijo adiós"),  # loose apostrophes are quotes
    (
        "Un estudio teórico-práctico en Castilla-La Mancha",
        "un estudio teórico práctico en castilla la mancha",
    ),
    ("El Col·legi de Paral·lel", "el collegi de parallel"),  # Catalan middle dot inside a word
    ("Straße, Æsir y Søren", "strasse aesir y soren"),  # letters with no decomposition
    ("Llegó el 1.º de mayo, nº 5", "llegó el 1 de mayo n 5"),  # ordinals; digits left as they are
    ("pala\u00adbra\u200b  con\tespacios\u00a0raros", "palabra con espacios raros"),
    ("ÑANDÚ Y ÚLTIMO ÉXITO", "ñandú y último éxito"),
    ("x\u0303 suelta \u0301y", "x suelta y"),  # stray combining marks dropped
]


@pytest.mark.parametrize(("raw", "expected"), GOLDEN)
def test_golden(raw, expected):
    assert es.normalize_spanish(raw) == expected


@pytest.fixture(scope="module")
def sentences():
    from asrzoo_es import register_languages

    found = []
    register_languages(found.append)
    return found[0].read_sentences()


def test_enough_varied_sentences(sentences):
    assert len(sentences) >= 520
    normalized = {es.normalize_spanish(s) for s in sentences}
    assert len(normalized) == len(sentences) >= 500


def test_sentences_cover_the_alphabet_and_fit_synthetic_speech(sentences):
    counts = dict.fromkeys(es.ALPHABET, 0)
    for sentence in sentences:
        assert not any(c.isdigit() for c in sentence), sentence
        text = es.normalize_spanish(sentence)
        assert 4 <= len(text.split()) <= 14, sentence
        assert set(text) <= set(es.ALPHABET) | {" "}, sentence
        for char in text.replace(" ", ""):
            counts[char] += 1
    assert min(counts.values()) >= 5, counts


@pytest.mark.parametrize("raw", [g[0] for g in GOLDEN] + ["  ¿¡ ' ' !?  ", "Ñ̃Ü—Ö…"])
def test_idempotent_and_no_stray_combining_marks(raw):
    once = es.normalize_spanish(raw)
    assert es.normalize_spanish(once) == once
    assert unicodedata.normalize("NFC", once) == once
    assert not any(unicodedata.combining(c) for c in once)


def test_plugin_metadata_and_vocabulary(registry):
    language = registry.language("es")
    assert (language.common_voice, language.fleurs, language.espeak_voice, language.iso639_3) == (
        "es",
        "es_419",
        "es",
        "spa",
    )
    assert (language.name, language.script, language.spaces_between_words) == (
        "Spanish",
        "Latn",
        True,
    )
    vocabulary = registry.vocabulary("es")
    tokens = vocabulary.token_to_id()
    assert tokens["[PAD]"] == 0 and "[UNK]" in tokens and "|" in tokens
    assert {"ñ", "á", "é", "í", "ó", "ú", "ü"} <= set(vocabulary.alphabet)
    assert "'" not in vocabulary.alphabet and "-" not in vocabulary.alphabet
    assert len(tokens) == 26 + 7 + 3  # a–z, ñ and the accented vowels, delimiter, [UNK], [PAD]
    normalizer = registry.normalizer("es")
    assert normalizer.id == "asrzoo-es/spanish" and normalizer.version
