import random
import unicodedata

import pytest
from asrzoo_zh import normalizer as zh

GOLDEN = [
    ("今天天气很好。", "今天天气很好"),
    ("你好，世界！", "你好世界"),
    ("你好,世界!", "你好世界"),  # ASCII punctuation as well
    ("我 爱 北 京", "我爱北京"),  # spaces between characters are formatting, not speech
    ("北京\u3000上海\t广州\n深圳", "北京上海广州深圳"),  # ideographic space, tabs, newlines
    ("他说：“我读过《红楼梦》。”", "他说我读过红楼梦"),
    ("「你好」『再见』‘对’", "你好再见对"),  # corner brackets, single quotes
    ("【新闻】（记者）报道", "新闻记者报道"),
    ("苹果、香蕉；橘子", "苹果香蕉橘子"),
    ("等一下——好吧……", "等一下好吧"),
    ("马丁·路德·金", "马丁路德金"),  # the middle dot of foreign names is not spoken
    ("马丁・路德‧金", "马丁路德金"),  # its katakana and hyphenation-point look-alikes
    ("ＡＢＣ很好！", "abc很好"),  # full-width Latin folds and lower-cases (out of alphabet)
    ("２０２３年，ＯＫ？", "2023年ok"),  # full-width digits fold, are not spelled out
    ("⼀⼈⼝", "一人口"),  # Kangxi radicals that look like 一人口
    ("\uf9a8天", "令天"),  # a CJK compatibility ideograph
    ("中\ufe00国\U000e0100人", "中国人"),  # variation selectors
    ("\u0301北京", "北京"),  # a stray combining mark never starts the text
    ("北\u200b京\u200d欢\ufeff迎", "北京欢迎"),  # zero-width characters
    ("¥五十元～＄", "五十元"),  # currency signs and tildes are symbols
    ("一九九〇年", "一九九〇年"),  # the ideographic zero of written years stays
    ("﹁竖排﹂︐标点︒", "竖排标点"),  # vertical presentation forms
]


@pytest.mark.parametrize(("raw", "expected"), GOLDEN)
def test_golden(raw, expected):
    assert zh.normalize_chinese(raw) == expected


@pytest.fixture(scope="module")
def sentences():
    from asrzoo_zh import register_languages

    found = []
    register_languages(found.append)
    return found[0].read_sentences()


def test_enough_varied_sentences(sentences):
    assert len(sentences) >= 500
    assert len({zh.normalize_chinese(s) for s in sentences}) == len(sentences)


def test_every_sentence_normalizes_into_the_alphabet(sentences):
    allowed = set(zh.ALPHABET)
    for sentence in sentences:
        text = zh.normalize_chinese(sentence)
        assert text, sentence
        assert set(text) <= allowed, (sentence, set(text) - allowed)


def _random_text(rng: random.Random) -> str:
    pools = [
        "今天天气很好北京上海",
        "。，、；：？！“”‘’（）《》【】「」—…·・‧～",
        "ＡＢＣａｂｃ０１２３，！？　",
        "AbcİIß 12\t\n",
        "\u0301\u0308\u0307\ufe00\ufe0f\u200b\u200d\ufeff\u3000",
        "⼀⼈\uf9a8㈠①ﬁ",
        "\u1100\u1161\u11a8",  # Hangul jamo that compose under NFC
    ]
    return "".join(rng.choice(rng.choice(pools)) for _ in range(rng.randint(0, 12)))


@pytest.mark.parametrize("seed", range(5))
def test_idempotent_canonical_and_spaceless(seed):
    rng = random.Random(seed)
    for raw in [g[0] for g in GOLDEN] + [_random_text(rng) for _ in range(400)]:
        once = zh.normalize_chinese(raw)
        assert zh.normalize_chinese(once) == once, raw
        assert unicodedata.normalize("NFC", once) == once, raw
        assert not any(c.isspace() for c in once), raw
        assert not any(unicodedata.category(c)[0] in "MPSZC" for c in once), raw


def test_alphabet_is_single_han_characters():
    alphabet = zh.ALPHABET
    assert 3600 <= len(alphabet) <= 5000
    assert len(set(alphabet)) == len(alphabet)
    for char in alphabet:
        assert len(char) == 1
        assert unicodedata.name(char).startswith("CJK UNIFIED IDEOGRAPH") or char == "〇", char
        assert unicodedata.normalize("NFKC", char) == char, char
    assert not any(c.isascii() or c.isdigit() for c in alphabet)
    assert set("的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年〇") <= set(alphabet)


def test_plugin_metadata_and_vocabulary(registry):
    language = registry.language("zh")
    assert (
        language.common_voice,
        language.fleurs,
        language.espeak_voice,
        language.iso639_3,
        language.script,
    ) == ("zh-CN", "cmn_hans_cn", "cmn", "cmn", "Hans")
    assert language.spaces_between_words is False and language.primary_metric == "cer"
    vocabulary = registry.vocabulary("zh")
    tokens = vocabulary.token_to_id()
    assert tokens["[PAD]"] == 0 and "[UNK]" in tokens and "|" in tokens
    assert vocabulary.alphabet == zh.ALPHABET
    assert len(tokens) == len(zh.ALPHABET) + 3  # characters, delimiter, [UNK], [PAD]
    normalizer = registry.normalizer("zh")
    assert normalizer.id == "asrzoo-zh/chinese" and normalizer.version
    assert normalizer("我 爱 北 京。") == "我爱北京"
