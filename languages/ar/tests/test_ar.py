import unicodedata

import pytest
from asrzoo_ar import normalizer as ar

GOLDEN = [
    # tashkeel (fatha, damma, kasra, sukun, shadda, tanween) goes
    ("أَهْلاً وَسَهْلاً بِكُمْ", "اهلا وسهلا بكم"),
    ("مُدَرِّسٌ جَدِيدٌ", "مدرس جديد"),
    # superscript alef and alef wasla
    ("بِسْمِ ٱللَّهِ ٱلرَّحْمَٰنِ", "بسم الله الرحمن"),
    ("هٰذا كتاب", "هذا كتاب"),
    # tatweel stretches a word on the page only
    ("جـــمـيـل جداً", "جميل جدا"),
    # every hamza or madda on alef becomes a bare alef; ؤ ئ ء stay
    ("أحمد وإبراهيم وآمنة", "احمد وابراهيم وامنة"),
    ("سؤال رئيس سماء شيء", "سؤال رئيس سماء شيء"),
    # decomposed hamza (alef or waw + U+0654): NFC composes it before the marks are dropped
    ("ا\u0654حمد سو\u0654ال", "احمد سؤال"),
    # ى and ي, ة and ه stay distinct
    ("ذهب علي إلى المدرسة", "ذهب علي الى المدرسة"),
    ("على مدرسه", "على مدرسه"),
    # Persian and Urdu keyboard lookalikes: keheh, farsi yeh, heh goal, heh doachashmee, ۀ
    ("کتاب کبیر فی المکتبۀ", "كتاب كبير في المكتبة"),
    ("ہذا ھو", "هذا هو"),
    # presentation forms (what old PDFs give): NFKC letters, then the same rules
    ("ﻻ ﺇﻟﻪ ﺇﻻ ﷲ", "لا اله الا الله"),
    ("ﺍﻟﺴﻼﻡ ﻋﻠﻴﻜﻢ", "السلام عليكم"),
    # Arabic and Latin punctuation become spaces
    ("«مرحباً»، كيف حالك؟ بخير؛ شكراً!", "مرحبا كيف حالك بخير شكرا"),
    ("قال: (نعم) - وانتهى...", "قال نعم وانتهى"),
    # digits stay digits (Arabic-Indic, Persian, ASCII): outside the alphabet, row dropped
    ("عندي ٣ كتب و۴ أقلام و5 دفاتر", "عندي ٣ كتب و۴ اقلام و5 دفاتر"),
    ("خصم ٥٠٪ على ١٫٥ كيلو", "خصم ٥٠ على ١ ٥ كيلو"),
    # invisible joiners and direction marks are deleted, not spaced; zero-width space is a break
    ("مد\u200cرسة \u200fجميلة\u200e", "مدرسة جميلة"),
    ("كتاب\u200bجديد", "كتاب جديد"),
    # loanword letters with one standard spelling
    ("ڤيتامين في پاريس", "فيتامين في باريس"),
    # foreign letters are lower-cased (and then rejected by the alphabet)
    ("شركة ABC", "شركة abc"),
]


@pytest.mark.parametrize(("raw", "expected"), GOLDEN)
def test_golden(raw, expected):
    assert ar.normalize_arabic(raw) == expected


@pytest.fixture(scope="module")
def sentences():
    from asrzoo_ar import register_languages

    found = []
    register_languages(found.append)
    return found[0].read_sentences()


def test_enough_varied_sentences(sentences):
    assert len(sentences) >= 500
    assert len({ar.normalize_arabic(s) for s in sentences}) == len(sentences)


def test_every_sentence_normalizes_into_the_alphabet(sentences):
    allowed = set(ar.ALPHABET) | {" "}
    for sentence in sentences:
        text = ar.normalize_arabic(sentence)
        assert text, sentence
        assert set(text) <= allowed, (sentence, set(text) - allowed)
        assert 4 <= len(text.split()) <= 14, sentence


def test_sentences_use_every_letter_several_times(sentences):
    text = "".join(ar.normalize_arabic(s) for s in sentences)
    rare = {c: text.count(c) for c in ar.ALPHABET if text.count(c) < 5}
    assert not rare, rare


@pytest.mark.parametrize(
    "raw",
    [g[0] for g in GOLDEN] + ["ـــ ً ٰ", "\u0654\u0655 ا", "ﷺ ﷽ ﴾آية﴿", "\u0651\u064e"],
)
def test_idempotent_and_no_stray_combining_marks(raw):
    once = ar.normalize_arabic(raw)
    assert ar.normalize_arabic(once) == once
    assert unicodedata.normalize("NFC", once) == once
    assert not any(unicodedata.category(c).startswith("M") for c in once)
    assert "\u0640" not in once


def test_alphabet():
    assert len(ar.ALPHABET) == 33 and len(set(ar.ALPHABET)) == 33
    assert not {"أ", "إ", "آ", "ٱ", "\u0640", "|", " ", "-", "'"} & set(ar.ALPHABET)
    assert not any(c.isdigit() for c in ar.ALPHABET)
    assert all(unicodedata.name(c).startswith("ARABIC LETTER") for c in ar.ALPHABET)


def test_plugin_metadata_and_vocabulary(registry):
    language = registry.language("ar")
    assert (language.common_voice, language.fleurs, language.espeak_voice, language.iso639_3) == (
        "ar",
        "ar_eg",
        "ar",
        "ara",
    )
    assert (language.name, language.script, language.spaces_between_words) == (
        "Arabic",
        "Arab",
        True,
    )
    vocabulary = registry.vocabulary("ar")
    tokens = vocabulary.token_to_id()
    assert tokens["[PAD]"] == 0 and "[UNK]" in tokens and "|" in tokens
    assert {"ء", "ؤ", "ئ", "ا", "ة", "ه", "ى", "ي", "ظ", "ض"} <= set(vocabulary.alphabet)
    assert len(tokens) == 33 + 3  # letters, delimiter, [UNK], [PAD]
    normalizer = registry.normalizer("ar")
    assert normalizer.id == "asrzoo-ar/arabic" and normalizer.version
