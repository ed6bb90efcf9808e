"""Turkish transcript normalization.

Python's ``str.lower`` is wrong for Turkish: ``"I".lower()`` is ``i`` (should be ``ı``) and
``"İ".lower()`` is ``i`` + U+0307 COMBINING DOT ABOVE, the stray character that shows up in the
seed blog's vocabulary. The dotted and dotless capitals are mapped first.
"""

import re
import unicodedata

from asrzoo import (
    drop_format_characters,
    fold_foreign_letters,
    unify_apostrophes,
    words_with_apostrophes,
)

NORMALIZER_VERSION = "1"

LETTERS = "abcçdefgğhıijklmnoöprsştuüvyz"
APOSTROPHE = "'"
ALPHABET = (*LETTERS, APOSTROPHE)

# Circumflex vowels are spelling variants (kâr/kar, hâlâ/hala): folded, as the XLS-R blog advises.
_FOLD = str.maketrans({"â": "a", "ê": "e", "î": "i", "ô": "o", "û": "u"})
_DASHES = re.compile("[-\u2010-\u2015\u2212]")


def _turkish_lower(text: str) -> str:
    return text.replace("İ", "i").replace("I", "ı").lower()


def normalize_turkish(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = _turkish_lower(text).translate(_FOLD)
    text = fold_foreign_letters(text, LETTERS)  # é → e, ñ → n
    # Every Turkish letter is precomposed under NFC, so a combining mark still here is stray
    # (such as the U+0307 that an earlier str.lower() left after an i).
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _DASHES.sub(" ", unify_apostrophes(text))
    text = drop_format_characters(text, keep="\u200b")  # the zero-width space is a space
    # Punctuation and symbols (the blog's , ? . ! ; : " “ % ‘ ” and the rest of Unicode's) go,
    # and an apostrophe that does not join two word characters is a quotation mark.
    return words_with_apostrophes(text, word=r"\w")
