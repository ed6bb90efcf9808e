import unicodedata

import pytest
from asrzoo_de import normalizer as de

GOLDEN = [
    # ß stays ß; the capital ẞ lowers to ß; all-caps SS stays ss (the ß cannot be recovered)
    ("Die Straße ist groß.", "die straße ist groß"),
    ("GROẞE STRAẞE", "große straße"),
    ("STRASSE", "strasse"),
    # umlauts stay; decomposed input comes out precomposed, never as ae/oe/ue
    ("Ärger über Öl", "ärger über öl"),
    ("A\u0308rger u\u0308ber O\u0308l", "ärger über öl"),
    ("Mu\u0308nchen", "münchen"),
    # foreign accents in loanwords and names are folded
    ("Café, Señor und Curaçao!", "cafe senor und curacao"),
    ("Der Citroën ist naïv; Søren mag Œuvre.", "der citroen ist naiv sören mag oeuvre"),
    # an apostrophe inside a word is dropped, one elsewhere is a quotation mark
    ("Wie geht’s? Gibt's Andrea’s Kuchen?", "wie gehts gibts andreas kuchen"),
    ("Hab' ich 'nen Hund?", "hab ich nen hund"),
    ("Geht\u02bcs", "gehts"),  # modifier-letter apostrophe, a letter to Unicode
    # hyphens and dashes split compounds
    ("Schreib eine E-Mail aus Baden-Württemberg.", "schreib eine e mail aus baden württemberg"),
    ("Ein- und Ausgang – bitte freihalten", "ein und ausgang bitte freihalten"),
    # German quotation marks are punctuation
    ("Er sagte „Hallo“ und ‚tschüss‘.", "er sagte hallo und tschüss"),
    ("»Guten Tag«, sagte sie. «Salut»", "guten tag sagte sie salut"),
    # soft hyphen and zero-width joiners are invisible: the word stays whole
    ("Donau\u00addampf\u00adschiff Auf\u200clage", "donaudampfschiff auflage"),
    # typographic forms: ligature, long s, full-width letters
    ("Die Auﬂage iſt ＧＲＯẞ", "die auflage ist groß"),
    # digits are kept (the engine drops such rows); symbols become spaces
    ("Das kostet 5 € & mehr…", "das kostet 5 mehr"),
    ("İstanbul\t  und   ŁÓDŹ", "istanbul und lodz"),
]


@pytest.mark.parametrize(("raw", "expected"), GOLDEN)
def test_golden(raw, expected):
    assert de.normalize_german(raw) == expected


@pytest.fixture(scope="module")
def sentences():
    from asrzoo_de import register_languages

    found = []
    register_languages(found.append)
    return found[0].read_sentences()


def test_enough_varied_sentences(sentences):
    normalized = {de.normalize_german(s) for s in sentences}
    assert len(normalized) >= 500
    assert len(normalized) == len(sentences)


def test_every_sentence_normalizes_into_the_alphabet(sentences):
    allowed = set(de.ALPHABET) | {" "}
    for sentence in sentences:
        text = de.normalize_german(sentence)
        assert text, sentence
        assert set(text) <= allowed, (sentence, set(text) - allowed)
        assert 4 <= len(text.split()) <= 14, sentence


def test_sentences_cover_every_letter_several_times(sentences):
    text = " ".join(de.normalize_german(s) for s in sentences)
    rare = {letter: text.count(letter) for letter in de.ALPHABET if text.count(letter) < 5}
    assert not rare, rare


@pytest.mark.parametrize("raw", [g[0] for g in GOLDEN] + ["  Ä\u0308Ö\u0301 ' ' ", "ǞÜ—Ö…"])
def test_idempotent_and_no_stray_combining_marks(raw):
    once = de.normalize_german(raw)
    assert de.normalize_german(once) == once
    assert unicodedata.normalize("NFC", once) == once
    assert not any(unicodedata.category(c).startswith("M") for c in once)


def test_plugin_metadata_and_vocabulary(registry):
    language = registry.language("de")
    assert (language.name, language.script, language.spaces_between_words) == (
        "German",
        "Latn",
        True,
    )
    assert (language.common_voice, language.fleurs, language.espeak_voice, language.iso639_3) == (
        "de",
        "de_de",
        "de",
        "deu",
    )
    vocabulary = registry.vocabulary("de")
    tokens = vocabulary.token_to_id()
    assert tokens["[PAD]"] == 0 and "[UNK]" in tokens and "|" in tokens
    assert {"ä", "ö", "ü", "ß"} <= set(vocabulary.alphabet)
    assert not {"'", "-", "é", "ẞ"} & set(vocabulary.alphabet)
    assert len(tokens) == 26 + 4 + 3  # a-z, ä ö ü ß, delimiter, [UNK], [PAD]
    normalizer = registry.normalizer("de")
    assert normalizer.id == "asrzoo-de/german" and normalizer.version
