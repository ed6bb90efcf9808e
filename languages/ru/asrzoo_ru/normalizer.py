"""Russian transcript normalization.

The traps, and the policy for each:

* **ё and е.** Most printed Russian, and many Common Voice transcripts, write е for ё (ёлка and
  елка are the same word to a reader). A model cannot learn from its labels when the same sound is
  spelled ё in one transcript and е in the next, so ё is folded into е and is not in the alphabet.
* **Latin homoglyphs.** Text typed with mixed keyboard layouts, OCR output and spam put Latin
  letters that look exactly like Cyrillic ones into Cyrillic words ("Пpивeт" with Latin p and e).
  Inside a word that has Cyrillic letters, those Latin letters (a e o p c x y, and the capitals
  A B E K M H O P C T X Y) become their Cyrillic twins, before lower-casing, because Latin B, H,
  M, T and K only look Cyrillic as capitals. Words written wholly in Latin stay Latin, even one
  letter long: "витамин C" is read "цэ", and turning it into the preposition "с" would be a wrong
  label, while a Latin word only gets its row dropped by the engine as out of the alphabet.
* **Stress marks.** Textbooks and dictionaries mark stress with a combining acute or grave accent
  (замо́к, and е + grave even composes to ѐ under NFC). The accents are dropped; the breve of й and
  the diaeresis of ё are the only marks that belong to Russian letters.
* **Hyphens.** кто-нибудь, по-моему, Санкт-Петербург: transcribers write these with a hyphen,
  with a space, or run together, and the hyphen is not spoken, while the hyphen, the en and em
  dash and the minus sign are confused all the time. Every hyphen and dash becomes a space, so
  the parts are words of their own; the split is consistent, which is what WER needs.
* **Apostrophes.** Russian has no apostrophe letter, but texts typed on keyboards without ъ (the
  Ukrainian layout, old typewriters) write об'явление, под'езд for объявление, подъезд: an
  apostrophe between a consonant and е, ё, ю or я is read as ъ. Any other apostrophe inside a word
  (Д'Артаньян, О'Нил) is dropped and the word joined, as it is spoken as one word; an apostrophe
  that does not join two letters is a quotation mark and becomes a space.
* ъ and ь are letters of their own and are kept. Digits are not spelled out: a row with digits is
  dropped by the engine as out of the alphabet, which is intended.
"""

import re
import unicodedata

from asrzoo import (
    apostrophes_between_letters,
    lookalikes_in_script_words,
    strip_marks,
    unify_apostrophes,
    words_only,
)

NORMALIZER_VERSION = "1"

LETTERS = "абвгдежзийклмнопрстуфхцчшщъыьэюя"  # the 33 letters less ё, which is folded into е
ALPHABET = tuple(LETTERS)

_CONSONANTS = "бвгджзклмнпрстфхцчшщ"
# Latin letters that look the same as a Cyrillic one. Only the capitals of B, H, M, T and K do.
_HOMOGLYPHS = str.maketrans(
    "aeopcxyëAEOPCXYBHMTKË",
    "аеорсхуёАЕОРСХУВНМТКЁ",
)
# Characters that hide inside words without being part of them: the soft hyphen that marks where
# a line may break, zero-width (non-)joiners, word joiner, byte order mark.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200c\u200d\u2060\ufeff"))
# the breve of й and the diaeresis of ё: the only combining marks Russian letters have
_KEPT_MARKS = {"\u0306": "и", "\u0308": "е"}


def _resolve_apostrophe(match: re.Match) -> str:
    text, at = match.string, match.start()
    if text[at - 1] in _CONSONANTS and text[at + 1] in "еёюя":
        return "ъ"  # об'явление → объявление
    return ""  # Д'Артаньян → дартаньян


def normalize_russian(text: str) -> str:
    text = unify_apostrophes(unicodedata.normalize("NFC", text).translate(_INVISIBLE))
    # before lower-casing: Latin B H M T K look Cyrillic only as capitals
    text = lookalikes_in_script_words(text, _HOMOGLYPHS, "CYRILLIC")
    text = strip_marks(text.lower(), _KEPT_MARKS)
    # again, for a Latin letter that a dropped accent has just uncovered (Latin ö → o)
    text = lookalikes_in_script_words(text, _HOMOGLYPHS, "CYRILLIC")
    text = apostrophes_between_letters(text, _resolve_apostrophe)
    text = text.replace("ё", "е")
    # Punctuation, symbols, loose apostrophes, hyphens and dashes, odd spaces and control
    # characters (of every script: « » „ “ … — № ¿ । ، 。) all separate words.
    return words_only(text)
