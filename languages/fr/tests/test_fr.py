import unicodedata

import pytest
from asrzoo_fr import normalizer as fr

GOLDEN = [
    # elisions: the apostrophe stays inside the word; typographic ’ ‘ ʼ become '
    ("L’homme qu’il a vu n’est pas là.", "l'homme qu'il a vu n'est pas là"),
    (
        "J’ai dit qu\u02bcon s‘en va, c’est ça ; t’es prêt ?",
        "j'ai dit qu'on s'en va c'est ça t'es prêt",
    ),
    (
        "JUSQU’À CE QUE LORSQU’ON PUISQU’ELLE M’APPELLE",
        "jusqu'à ce que lorsqu'on puisqu'elle m'appelle",
    ),
    ("Aujourd'hui, quelqu'un d'autre", "aujourd'hui quelqu'un d'autre"),
    # a quote is not an apostrophe
    ("'Bonjour', dit-elle ‘doucement’.", "bonjour dit elle doucement"),
    ("l' ami '", "l ami"),
    # œ and æ are letters, never expanded; capitals lower-case to them
    ("Le CŒUR de ma SŒUR, ex æquo ; ÆQUO", "le cœur de ma sœur ex æquo æquo"),
    ("Curriculum vitæ, Lætitia, œuvre", "curriculum vitæ lætitia œuvre"),
    # hyphens become spaces (WER counts words): peut-être = peut être
    ("Peut-être. Est-ce que vingt-deux ?", "peut être est ce que vingt deux"),
    ("Jean-Pierre a-t-il dit c’est-à-dire ?", "jean pierre a t il dit c'est à dire"),
    # accents kept; decomposed input composed
    ("ÀÂÇÉÈÊËÎÏÔÙÛÜŸ", "àâçéèêëîïôùûüÿ"),
    ("e\u0301te\u0301 a\u0300 l\u2019e\u0302tre", "été à l'être"),
    ("NOËL À L’HAŸ-LES-ROSES, CAPHARNAÜM", "noël à l'haÿ les roses capharnaüm"),
    # French typography: no-break spaces before ; : ! ? and inside « »
    (
        "«\u00a0Bonjour\u202f!\u00a0» dit-il\u202f; puis\u00a0: «\u202fÇa va\u00a0?\u202f»",
        "bonjour dit il puis ça va",
    ),
    ("Il a dit : « Oui… » — puis « Non ! »", "il a dit oui puis non"),
    # foreign diacritics dropped, typographic ligatures expanded, invisible characters deleted
    ("Muñoz à Málaga", "munoz à malaga"),
    ("La ﬁn de l’infor\u00admation\u200b", "la fin de l'information"),
    ("mot\u200bà\u200bmot\u2060 \ufeffsuivant\u200e", "mot à mot suivant"),
    # digits are not spelled out (such rows are dropped by the engine)
    ("Il a 22 ans, 50 % !", "il a 22 ans 50"),
]


@pytest.mark.parametrize(("raw", "expected"), GOLDEN)
def test_golden(raw, expected):
    assert fr.normalize_french(raw) == expected


@pytest.fixture(scope="module")
def sentences():
    from asrzoo_fr import register_languages

    found = []
    register_languages(found.append)
    return found[0].read_sentences()


def test_enough_varied_sentences(sentences):
    assert len(sentences) >= 500
    assert len({fr.normalize_french(s) for s in sentences}) == len(sentences)


def test_every_sentence_normalizes_into_the_alphabet(sentences):
    allowed = set(fr.ALPHABET) | {" "}
    for sentence in sentences:
        text = fr.normalize_french(sentence)
        assert text, sentence
        assert set(text) <= allowed, (sentence, set(text) - allowed)
        assert 4 <= len(text.split()) <= 14, sentence
        assert not any(c.isdigit() for c in sentence), sentence


def test_sentences_cover_every_letter_several_times(sentences):
    text = "".join(fr.normalize_french(s) for s in sentences)
    rare = {c: text.count(c) for c in fr.ALPHABET if text.count(c) < 3}
    assert not rare, rare


@pytest.mark.parametrize("raw", [g[0] for g in GOLDEN] + ["  ’’L’’  ' ' ", "\u0301ŒÆ—Ÿ…"])
def test_idempotent_and_no_stray_combining_marks(raw):
    once = fr.normalize_french(raw)
    assert fr.normalize_french(once) == once
    assert unicodedata.normalize("NFC", once) == once
    assert not any(unicodedata.combining(c) for c in once)


def test_plugin_metadata_and_vocabulary(registry):
    language = registry.language("fr")
    assert (language.name, language.script, language.spaces_between_words) == (
        "French",
        "Latn",
        True,
    )
    assert (language.common_voice, language.fleurs, language.espeak_voice, language.iso639_3) == (
        "fr",
        "fr_fr",
        "fr",
        "fra",
    )
    vocabulary = registry.vocabulary("fr")
    tokens = vocabulary.token_to_id()
    assert tokens["[PAD]"] == 0 and "[UNK]" in tokens and "|" in tokens
    assert {"é", "è", "à", "ç", "œ", "æ", "ÿ", "'"} <= set(vocabulary.alphabet)
    assert "-" not in vocabulary.alphabet
    assert len(tokens) == 42 + 1 + 3  # letters, apostrophe, delimiter, [UNK], [PAD]
    normalizer = registry.normalizer("fr")
    assert normalizer.id == "asrzoo-fr/french" and normalizer.version
