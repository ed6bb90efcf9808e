"""Japanese transcript normalization.

Japanese is written in kanji, hiragana and katakana with no spaces between words, so the output
has no spaces at all (the language sets ``spaces_between_words=False`` and CER is its metric).
The traps:

* Half-width katakana (ｶﾀｶﾅ, with a separate ﾞ or ﾟ), full-width ASCII (ＡＢＣ１２３) and
  compatibility characters (㈱, ①, CJK compatibility ideographs) are the same text as their
  ordinary forms: NFKC, not just NFC, maps them there first.
* Punctuation of Japanese text (。、「」『』・！？（）〜…〃, the full-width space) and of every
  other script carries no sound: all of Unicode's punctuation, symbols, separators and control
  or format characters are removed, and so are the spaces.
* ー (the long-vowel mark) and 々 (the kanji iteration mark) look like punctuation but are letters
  (Unicode category Lm) and stay; so do the kana iteration marks ゝゞヽヾ and the small kana
  (ぁ ゃ っ ヶ ...), which spell different sounds from their full-size forms.
* A dash or minus right after a katakana letter (コ−ヒ−, デ－タ, ス―パ―) is a long-vowel
  mark typed with the wrong key or mangled by an old encoding: it becomes ー. Between katakana
  words Japanese writes ・ or ＝, so a genuine hyphen there is rarer than the mistake.
* A separate voiced-sound mark (か゛, as some old text writes が) becomes a combining mark under
  NFKC and is joined to its kana by NFC once the space is gone; a mark that joins nothing is
  dropped, so that no word starts with a combining mark.

Latin letters are lower-cased (full-width ones too) but, like digits, are not in the alphabet:
such rows are dropped by the engine, as intended. Japanese has no apostrophe or hyphen inside
words, so none is kept.

The alphabet (characters.txt, beside this file) is all hiragana and katakana, ー, 々, 〆, 〇 and
the kanji of Unicode CLDR's Japanese exemplar characters (standard and auxiliary sets, which
hold the jōyō kanji), plus every character of sentences.txt.
"""

import re
import unicodedata
from pathlib import Path

NORMALIZER_VERSION = "1"

CHARACTERS = Path(__file__).with_name("characters.txt")


def _load_alphabet() -> tuple[str, ...]:
    """One character a line; lines starting with # are comments."""
    lines = CHARACTERS.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


ALPHABET = _load_alphabet()

LONG_VOWEL_MARK = "ー"
# a dash, hyphen, minus or box-drawing line after a katakana letter (or after ー itself);
# NFKC has already turned the full-width hyphen-minus (U+FF0D) into "-"
_DASH_AFTER_KATAKANA = re.compile("(?<=[\u30a1-\u30fa\u30fc])[-\u2010-\u2015\u2212\u2500\u2501]")


def normalize_japanese(text: str) -> str:
    # NFKC: ｶﾞ → ガ, ＡＢＣ → ABC, ㈱ → (株), 神 (U+FA19) → 神; NFC alone keeps them apart
    text = unicodedata.normalize("NFKC", text)
    text = _DASH_AFTER_KATAKANA.sub(LONG_VOWEL_MARK, text)
    # Japanese has no case; this only matters for Latin (or other cased) text
    text = text.lower()
    # Punctuation (P), symbols (S), separators such as spaces (Z) and control or format
    # characters such as U+200B (C) go: with no spaces between words there is nothing to keep.
    text = "".join(c for c in text if unicodedata.category(c)[0] not in "PSZC")
    # か + U+3099 (from a spacing ゛ once its space is gone) → が
    text = unicodedata.normalize("NFC", text)
    # Every kana with a voiced mark is precomposed under NFC: a mark still here joins nothing.
    text = "".join(c for c in text if unicodedata.category(c)[0] != "M")
    # once more, for the letters that a dropped mark kept apart (Korean jamo, say), so that the
    # output is NFC and a second pass leaves it as it is
    return unicodedata.normalize("NFC", text)
