"""Mandarin Chinese transcript normalization, simplified characters (zh-CN).

Chinese has no spaces between words, so a space in a transcript is formatting, not speech: all
whitespace goes, also between single characters ("我 爱 北 京" is "我爱北京"), and the model
learns no word delimiter. CER is the metric that counts.

The traps:

- Full-width forms. Chinese text mixes full-width Latin letters, digits and punctuation
  (ＡＢＣ １２３ ，！？) with ASCII ones. NFKC folds them to their plain forms before anything
  else, so "，" and "," are the same punctuation and "１２３" is "123". NFKC also folds the
  look-alikes that copy-paste and PDF extraction leave in scraped text: Kangxi radicals
  ("⼀⼈" U+2F00/U+2F08 look exactly like 一人) and CJK compatibility ideographs (U+F9A8 is 令).
- Chinese punctuation: 。，、；：？！“”‘’（）《》【】「」『』—…· and the rest are Unicode
  punctuation or symbols, so they go like every P and S character, whatever the script.
  Chinese keeps no apostrophe or hyphen inside words; the middle dot that joins the parts of a
  foreign name (马丁·路德·金) is punctuation too, not read aloud.
- Variation selectors (U+FE00-FE0F, U+E0100-E01EF) pick a glyph of a Han character; they are
  combining marks that must not reach the labels. Chinese has no combining marks at all, so
  every mark goes (also one that would start the text).
- Digits are not spelled out: "2023年" may be read 二零二三 or 两千零二十三, and the audio
  decides which. Rows with digits then fall out of the alphabet and are dropped. The
  ideographic zero 〇 of written years (一九九〇年) is a Han character and in the alphabet.
- Latin letters (lower-cased, so "ＡＢＣ" and "abc" are one thing) stay and are out of the
  alphabet too: rows with English words are dropped rather than learnt badly.
- Traditional characters are not converted to simplified (that needs a dictionary and is
  ambiguous one way round); ones outside the vocabulary make their row out of alphabet.

The vocabulary (``characters.txt``, one character a line) holds the CLDR exemplar characters of
Chinese, standard and auxiliary (about 3,700 common simplified characters), 〇, and every
character of ``sentences.txt``.
"""

import unicodedata
from pathlib import Path

NORMALIZER_VERSION = "1"


def _load_alphabet() -> tuple[str, ...]:
    text = Path(__file__).with_name("characters.txt").read_text(encoding="utf-8")
    return tuple(sorted({c for c in text if not c.isspace()}))


# Single Han characters only: no Latin letters, no digits, no punctuation.
ALPHABET = _load_alphabet()


def _drop_or_space(char: str) -> str:
    category = unicodedata.category(char)
    if category[0] == "M":
        return ""  # variation selectors and stray accents: Chinese writes no combining marks
    if category[0] in "PSZC":
        return " "  # punctuation, symbols, separators, controls and zero-width characters
    return char


def normalize_chinese(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    # Full-width forms, Kangxi radicals and compatibility ideographs fold to their plain forms.
    text = unicodedata.normalize("NFKC", text)
    # Lower-casing is for Latin letters only (Han has no case); it may leave text that NFKC
    # would change again, so fold once more and the output stays stable.
    text = unicodedata.normalize("NFKC", text.lower())
    text = "".join(_drop_or_space(c) for c in text)
    # No spaces between words in Chinese: every run of whitespace goes.
    text = "".join(text.split())
    # Dropping a mark can bring together characters that compose (Hangul jamo): NFC at the end.
    return unicodedata.normalize("NFC", text)
