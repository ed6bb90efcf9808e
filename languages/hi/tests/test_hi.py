import unicodedata

import pytest
from asrzoo_hi import normalizer as hi

NUKTA = "\u093c"

GOLDEN = [
    # danda and double danda end sentences; they must never reach the "|" word delimiter
    ("मैं घर जा रहा हूँ। तुम आओ॥", "मैं घर जा रहा हूँ तुम आओ"),
    ("राम आया।।सीता आई॥", "राम आया सीता आई"),
    ("पहला वाक्य | दूसरा वाक्य|", "पहला वाक्य दूसरा वाक्य"),  # "|" typed for the danda
    # nukta letters: precomposed, NFC (letter + nukta) and NFD give the same output;
    # kept on ड़ ढ़, dropped on the loan letters
    ("\u095c\u0940\u095d\u0940", "ड" + NUKTA + "ी" + "ढ" + NUKTA + "ी"),
    ("बड़ा लड़का पढ़ता है", "बड" + NUKTA + "ा लड" + NUKTA + "का पढ" + NUKTA + "ता है"),
    ("\u095b\u0930\u0942\u0930 \u095e\u093f\u0932\u094d\u092e", "जरूर फिल्म"),
    ("ज" + NUKTA + "रूर क" + NUKTA + "ानून ख़ुश ग़लत", "जरूर कानून खुश गलत"),
    ("\u095f\u0915 \u0929 \u0931", "यक न र"),  # य़, and the NFC-composed ऩ ऱ
    # virama kept (conjuncts); ZWJ and ZWNJ only pick a glyph: removed
    ("क्\u200dष हि\u200cन्दी ज्ञान", "क्ष हिन्दी ज्ञान"),
    # vowel signs, anusvara, chandrabindu, visarga kept
    ("हँसी, दुःख और हिंदी!", "हँसी दुःख और हिंदी"),
    # hyphenated compounds and reduplications split; quotes and Western punctuation go
    ("माता-पिता ने कहा: “धीरे-धीरे चलो!”", "माता पिता ने कहा धीरे धीरे चलो"),
    ("क्या तुम आओगे?  (शायद…)", "क्या तुम आओगे शायद"),
    # digits, Devanagari or not, stay digits (the engine drops such rows)
    ("कमरा १२ में 3 लोग", "कमरा १२ में 3 लोग"),
    # abbreviation sign and avagraha; a mark cut off its letter has nothing to sit on
    ("डॉ॰ शर्मा हाऽऽय", "डॉ शर्मा हाय"),
    ("क - ि ़ ् ं", "क"),
    ("\ufeffनमस्ते\u00a0दोस्तो\u200b", "नमस्ते दोस्तो"),
]


@pytest.mark.parametrize(("raw", "expected"), GOLDEN)
def test_golden(raw, expected):
    assert hi.normalize_hindi(raw) == expected


@pytest.mark.parametrize("form", ["NFC", "NFD", "NFKC", "NFKD"])
def test_every_normal_form_gives_the_same_output(form):
    raw = "\u095c\u095d\u0958\u095b \u0921\u093c\u0940 \u0915\u094d\u0937\u093f \u0928\u0903"
    assert hi.normalize_hindi(unicodedata.normalize(form, raw)) == hi.normalize_hindi(raw)


def test_danda_never_collides_with_the_word_delimiter():
    for raw in ("।", "॥", "|", "अब।", "॥अब॥", "अब | तब"):
        text = hi.normalize_hindi(raw)
        assert not {"।", "॥", "|"} & set(text), raw
    assert not {"।", "॥", "|"} & set(hi.ALPHABET)


@pytest.fixture(scope="module")
def sentences():
    from asrzoo_hi import register_languages

    found = []
    register_languages(found.append)
    return found[0].read_sentences()


def test_enough_varied_sentences(sentences):
    normalized = {hi.normalize_hindi(s) for s in sentences}
    assert len(normalized) >= 500
    assert len(normalized) == len(sentences)


def test_sentences_are_clean_and_cover_the_alphabet(sentences):
    allowed = set(hi.ALPHABET) | {" "}
    counts = dict.fromkeys(hi.ALPHABET, 0)
    for sentence in sentences:
        assert not any(c.isdigit() or c.isascii() and c.isalpha() for c in sentence), sentence
        text = hi.normalize_hindi(sentence)
        assert 4 <= len(text.split()) <= 14, sentence
        assert set(text) <= allowed, (sentence, set(text) - allowed)
        for c in text:
            if c != " ":
                counts[c] += 1
    rare = {c: n for c, n in counts.items() if n < 5}
    assert not rare, rare


def test_nukta_only_after_dda_and_ddha(sentences):
    for sentence in sentences + [g[0] for g in GOLDEN]:
        text = hi.normalize_hindi(sentence)
        for i, c in enumerate(text):
            if c == NUKTA:
                assert i > 0 and text[i - 1] in "डढ", sentence


@pytest.mark.parametrize("raw", [g[0] for g in GOLDEN] + ["  ।।  ॥ | ", "़्ंक़॥", "ड्\u093c"])
def test_idempotent_and_canonical(raw):
    once = hi.normalize_hindi(raw)
    assert hi.normalize_hindi(once) == once
    assert unicodedata.normalize("NFC", once) == once
    for word in once.split():
        assert unicodedata.category(word[0])[0] != "M", word


def test_plugin_metadata_and_vocabulary(registry):
    language = registry.language("hi")
    assert (language.name, language.script, language.spaces_between_words) == (
        "Hindi",
        "Deva",
        True,
    )
    assert (language.common_voice, language.fleurs, language.espeak_voice, language.iso639_3) == (
        "hi",
        "hi_in",
        "hi",
        "hin",
    )
    vocabulary = registry.vocabulary("hi")
    tokens = vocabulary.token_to_id()
    assert tokens["[PAD]"] == 0 and "[UNK]" in tokens and "|" in tokens
    assert {"्", NUKTA, "ं", "ँ", "ः", "ऋ", "ॉ", "ञ", "ङ"} <= set(vocabulary.alphabet)
    assert not {"।", "॥", "|", " ", "-", "\u200c", "\u200d"} & set(vocabulary.alphabet)
    assert not any(c.isdigit() for c in vocabulary.alphabet)
    # vowels, consonants, nukta, vowel signs, anusvara/chandrabindu/visarga/virama
    assert len(tokens) == 12 + 33 + 1 + 11 + 4 + 3  # + delimiter, [UNK], [PAD]
    normalizer = registry.normalizer("hi")
    assert normalizer.id == "asrzoo-hi/hindi" and normalizer.version
