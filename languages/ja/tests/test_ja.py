import unicodedata

import pytest
from asrzoo_ja import normalizer as ja

GOLDEN = [
    ("今日は、いい天気ですね。", "今日はいい天気ですね"),
    ("「東京」へ行きます！", "東京へ行きます"),
    ("『吾輩は猫である』を読んだ？", "吾輩は猫であるを読んだ"),
    # half-width katakana, with separate voiced marks and a half-width long-vowel mark
    ("ｶﾞｯｺｰでﾊﾟﾝを食べた", "ガッコーでパンを食べた"),
    # spaces of every width go: Japanese puts none between words
    ("私は　学生 です\u00a0よ\u200b", "私は学生ですよ"),
    # ー and 々 are letters, not punctuation; ・ and … are punctuation
    ("人々はコーヒー・ショップで…", "人々はコーヒーショップで"),
    ("三時〜五時（予定）", "三時五時予定"),
    # small kana spell other sounds than their full-size forms: kept as they are
    ("ちょっとファイルを見せてぇ", "ちょっとファイルを見せてぇ"),
    # a dash after katakana is a mistyped long-vowel mark
    ("コ−ヒ−とデ－タとス―パ―", "コーヒーとデータとスーパー"),
    # ... but elsewhere a dash is punctuation
    ("東京－大阪間", "東京大阪間"),
    # full-width ASCII becomes ASCII (lower case); digits are not spelled out
    ("ＪＲで１０分", "jrで10分"),
    # decomposed kana (NFD) and a spacing voiced mark after its kana
    (unicodedata.normalize("NFD", "がぎぐげご、パピプペポ"), "がぎぐげごパピプペポ"),
    ("か゛っこう", "がっこう"),
    # a voiced mark that joins nothing is dropped, never left to start a word
    ("\u3099あ゛", "あ"),
    # compatibility characters: a CJK compatibility ideograph, ㈱, the digraph ゟ
    ("\ufa19社と㈱山田", "神社と株山田"),
    ("ゟ", "より"),
    # kana iteration marks, 〆 and the kanji zero are letters
    ("いすゞ自動車の〆切は二〇二五年", "いすゞ自動車の〆切は二〇二五年"),
    ("彼は言った：「ハイ！」", "彼は言ったハイ"),
]


@pytest.mark.parametrize(("raw", "expected"), GOLDEN)
def test_golden(raw, expected):
    assert ja.normalize_japanese(raw) == expected


@pytest.fixture(scope="module")
def language():
    from asrzoo_ja import register_languages

    found = []
    register_languages(found.append)
    return found[0]


def test_enough_varied_sentences(language):
    sentences = language.read_sentences()
    assert len(sentences) >= 500
    assert len({ja.normalize_japanese(s) for s in sentences}) == len(sentences)


def test_every_sentence_normalizes_into_the_alphabet(language):
    allowed = set(ja.ALPHABET)
    for sentence in language.read_sentences():
        text = ja.normalize_japanese(sentence)
        assert text, sentence
        assert set(text) <= allowed, (sentence, set(text) - allowed)


def test_every_sentence_has_a_kana_reading(language):
    """espeak-ng spells kanji out, so every line says how it is read: kana (and spaces)."""
    kana = {chr(c) for c in range(0x3041, 0x3097)} | {chr(c) for c in range(0x30A1, 0x30FB)}
    kana |= {"ー", " "}
    pairs = language.read_sentence_pairs()
    for written, spoken in pairs:
        assert spoken != written, written
        assert set(spoken) <= kana, (written, set(spoken) - kana)


def test_sentences_cover_the_kana(language):
    text = "".join(ja.normalize_japanese(s) for s in language.read_sentences())
    # every kana of modern spelling, small ones included; not the obsolete ゐ ゑ ゎ ヰ ヱ ヮ ヲ,
    # nor ヂ ヅ, which modern katakana hardly uses
    rare = set("ゐゑゎゔゕゖヰヱヮヲヂヅヵヶヷヸヹヺ")
    hiragana = {chr(c) for c in range(0x3041, 0x3097)} - rare
    katakana = {chr(c) for c in range(0x30A1, 0x30FB)} - rare
    counts = {c: text.count(c) for c in hiragana | katakana | {"ー", "々"}}
    scarce = sorted(c for c, n in counts.items() if n < 2)
    assert not scarce, scarce


# the last: a dropped mark between two Korean jamo, which must then be composed (NFC)
ODD = ["  ゛゜ｰ－ ", "ｱﾞ ﾊﾟﾟ", "\u3000。、", "Ａ\u0301ｶ\u0308", "\u1100\u0338\u1166"]


@pytest.mark.parametrize("raw", [g[0] for g in GOLDEN] + ODD)
def test_idempotent_and_no_stray_combining_marks(raw):
    once = ja.normalize_japanese(raw)
    assert ja.normalize_japanese(once) == once
    assert unicodedata.normalize("NFC", once) == once
    assert not any(unicodedata.combining(c) for c in once)
    assert " " not in once


def test_alphabet_is_kana_kanji_and_marks_only():
    alphabet = ja.ALPHABET
    assert len(set(alphabet)) == len(alphabet)
    for char in alphabet:
        assert len(char) == 1 and unicodedata.normalize("NFKC", char) == char, char
        assert unicodedata.category(char) in {"Lo", "Lm", "Nl"}, char  # Nl: 〇
        assert not char.isascii() and not char.isdigit(), char
        name = unicodedata.name(char)
        assert name.startswith(("HIRAGANA", "KATAKANA", "CJK UNIFIED IDEOGRAPH")) or char in (
            "々",
            "〆",
            "〇",
        ), name
    # every hiragana and katakana letter, small ones included
    for code in [*range(0x3041, 0x3097), *range(0x30A1, 0x30FB)]:
        assert chr(code) in alphabet, hex(code)
    assert {"ー", "々", "ゝ", "ヽ", "ヶ", "ㇰ"} <= set(alphabet)
    assert {"ー", "々"}.isdisjoint(ja.normalize_japanese(c) for c in "。、・「」〜…")
    assert len([c for c in alphabet if "CJK" in unicodedata.name(c)]) > 2000  # the jōyō kanji


def test_plugin_metadata_and_vocabulary(registry):
    language = registry.language("ja")
    assert (
        language.name,
        language.common_voice,
        language.fleurs,
        language.espeak_voice,
        language.iso639_3,
        language.script,
    ) == ("Japanese", "ja", "ja_jp", "ja", "jpn", "Jpan")
    assert language.spaces_between_words is False and language.primary_metric == "cer"
    vocabulary = registry.vocabulary("ja")
    tokens = vocabulary.token_to_id()
    assert tokens["[PAD]"] == 0 and "[UNK]" in tokens and "|" in tokens
    assert {"あ", "ア", "ー", "々", "っ", "ッ", "日", "本", "語"} <= set(vocabulary.alphabet)
    assert len(tokens) == len(ja.ALPHABET) + 3  # alphabet, delimiter, [UNK], [PAD]
    assert not vocabulary.out_of_alphabet(ja.normalize_japanese("ｶﾀｶﾅと漢字とひらがな。"))
    normalizer = registry.normalizer("ja")
    assert normalizer.id == "asrzoo-ja/japanese" and normalizer.version
