"""Mongolian (Khalkha, Cyrillic script) transcript normalization.

The alphabet is Russian's 33 letters plus ө and ү. The traps, and the policy for each:

* **ё is kept.** Unlike Russian, where ё is mostly written е, Mongolian always writes ё (ёс,
  ёроол, ёотон) and it is a different sound: folding it into е would merge distinct words.
* **ө and ү typed with lookalikes.** Keyboards and fonts without Mongolian letters leave ө and ү
  written as Latin ö, ü, as the barred o Ɵ ɵ, the Greek theta Θ θ or the Latin ø, and as the
  Cyrillic letters of other languages ӧ, ӱ and the old fita ѳ. Inside a word that has Cyrillic
  letters they all become ө and ү. The Cyrillic ones become ө and ү everywhere, since none of them
  is a Mongolian letter.
* **Latin homoglyphs.** Latin letters that look exactly like Cyrillic ones (a e o p c x y and the
  capitals A B E K M H O P C T X) become their Cyrillic twins inside a word that has Cyrillic
  letters, before lower-casing, because Latin B, H, M, T and K only look Cyrillic as capitals.
  Latin capital Y is drawn exactly as Cyrillic Ү, so it becomes Ү; the lower-case y looks like у.
  Words written wholly in Latin stay Latin, and the engine drops their rows as out of the
  alphabet: guessing their Cyrillic would risk wrong labels.
* **Stray marks.** Combining accents are dropped; the breve of й and the diaeresis of ё are the
  only marks that belong to Mongolian letters (ө and ү are letters with no decomposition).
* **Hyphens.** Compounds such as Улаан-Үд or ойр-ойрхон are written with a hyphen, a space or
  together; the hyphen is not spoken and is confused with dashes, so every hyphen and dash becomes
  a space, which splits compounds consistently.
* **Apostrophes.** Mongolian has no apostrophe letter: one between two letters (from a foreign
  name) is dropped and the word joined, as it is spoken as one word; any other is a quotation
  mark and becomes a space.
* Digits are not spelled out: a row with digits is dropped by the engine as out of the alphabet,
  which is intended.
"""

import re
import unicodedata

NORMALIZER_VERSION = "1"

LETTERS = "абвгдеёжзийклмноөпрстуүфхцчшщъыьэюя"
ALPHABET = tuple(LETTERS)

# Lookalikes that are never Mongolian letters themselves, wherever they are: Cyrillic ӧ ӱ
# (Altai, Khakas, ...) and the Church Slavonic fita ѳ.
_CYRILLIC_LOOKALIKES = str.maketrans("ӧӦӱӰѳѲ", "өӨүҮөӨ")
# Latin (and Greek) letters that look like a Cyrillic one, mapped inside Cyrillic words only.
# Only the capitals of B, H, M, T and K look Cyrillic; capital Y is drawn as Ү, small y as у.
_HOMOGLYPHS = str.maketrans(
    "aeopcxyëAEOPCXËBHMTKYöÖüÜɵƟθΘøØ",
    "аеорсхуёАЕОРСХЁВНМТКҮөӨүҮөӨөӨөӨ",
)
# Characters that hide inside words without being part of them: soft hyphen, zero-width
# (non-)joiners, word joiner, byte order mark.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200c\u200d\u2060\ufeff"))
_APOSTROPHES = re.compile("[\u2019\u2018\u02bc\u02b9`\u00b4\u2032]")
_JOINING_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")
# the breve of й and the diaeresis of ё: the only combining marks Mongolian letters have
_KEPT_MARKS = {"\u0306": "и", "\u0308": "е"}


def _is_cyrillic(char: str) -> bool:
    return char.isalpha() and unicodedata.name(char, "").startswith("CYRILLIC")


def _word_spans(text: str):
    """(start, end) of each word: letters and combining marks, with apostrophes between letters."""
    start = None
    for i, char in enumerate(text):
        inside = (
            char.isalpha()
            or unicodedata.category(char)[0] == "M"
            or (char == "'" and start is not None and text[i + 1 : i + 2].isalpha())
        )
        if inside and start is None:
            start = i
        elif not inside and start is not None:
            yield start, i
            start = None
    if start is not None:
        yield start, len(text)


def _cyrillic_homoglyphs(text: str) -> str:
    """Latin and Greek lookalikes inside a word that has Cyrillic letters become Cyrillic."""
    parts, last = [], 0
    for start, end in _word_spans(text):
        word = text[start:end]
        if any(map(_is_cyrillic, word)):
            parts += [text[last:start], word.translate(_HOMOGLYPHS)]
            last = end
    return "".join(parts) + text[last:]


def _strip_marks(text: str) -> str:
    """Drop accents and every other combining mark, except those of й and ё."""
    out, base = [], None
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.category(char)[0] != "M":
            out.append(char)
            base = char
        elif base is not None and _KEPT_MARKS.get(char) == base:
            out.append(char)
            base = None  # one mark per letter: a doubled breve is stray
    return unicodedata.normalize("NFC", "".join(out))


def normalize_mongolian(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = _APOSTROPHES.sub("'", text).translate(_CYRILLIC_LOOKALIKES)
    text = _cyrillic_homoglyphs(text)  # before lower-casing: Latin B H M T K only as capitals
    text = _strip_marks(text.lower())
    # again, for a Latin letter that a dropped accent has just uncovered
    text = _cyrillic_homoglyphs(text)
    text = _JOINING_APOSTROPHE.sub("", text)
    # Punctuation, symbols, loose apostrophes, hyphens and dashes, odd spaces and control
    # characters (of every script: « » „ “ … — № ¿ । ، 。) all separate words.
    text = "".join(" " if unicodedata.category(c)[0] in "PSZC" else c for c in text)
    return " ".join(text.split())
