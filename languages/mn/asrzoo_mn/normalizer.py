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

import unicodedata

from asrzoo import (
    apostrophes_between_letters,
    lookalikes_in_script_words,
    strip_marks,
    unify_apostrophes,
    words_only,
)

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
# the breve of й and the diaeresis of ё: the only combining marks Mongolian letters have
_KEPT_MARKS = {"\u0306": "и", "\u0308": "е"}


def normalize_mongolian(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = unify_apostrophes(text).translate(_CYRILLIC_LOOKALIKES)
    # before lower-casing: Latin B H M T K look Cyrillic only as capitals
    text = lookalikes_in_script_words(text, _HOMOGLYPHS, "CYRILLIC")
    text = strip_marks(text.lower(), _KEPT_MARKS)  # accents go, the marks of й and ё stay
    # again, for a Latin letter that a dropped accent has just uncovered
    text = lookalikes_in_script_words(text, _HOMOGLYPHS, "CYRILLIC")
    text = apostrophes_between_letters(text, "")
    # Punctuation, symbols, loose apostrophes, hyphens and dashes, odd spaces and control
    # characters (of every script: « » „ “ … — № ¿ । ، 。) all separate words.
    return words_only(text)
