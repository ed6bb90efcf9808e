"""Turkish transcript normalization.

Python's ``str.lower`` is wrong for Turkish: ``"I".lower()`` is ``i`` (should be ``ı``) and
``"İ".lower()`` is ``i`` + U+0307 COMBINING DOT ABOVE, the stray character that shows up in the
seed blog's vocabulary. The dotted and dotless capitals are mapped first.
"""

import re
import unicodedata

NORMALIZER_VERSION = "1"

LETTERS = "abcçdefgğhıijklmnoöprsştuüvyz"
APOSTROPHE = "'"
ALPHABET = (*LETTERS, APOSTROPHE)

# Circumflex vowels are spelling variants (kâr/kar, hâlâ/hala): folded, as the XLS-R blog advises.
_FOLD = str.maketrans({"â": "a", "ê": "e", "î": "i", "ô": "o", "û": "u"})
_APOSTROPHES = re.compile("[\u2019\u2018\u02bc\u02b9`\u00b4\u2032]")
_DASHES = re.compile("[-\u2010-\u2015\u2212]")
# Any apostrophe that does not join two letters is a quotation mark, not part of a word.
_LOOSE_APOSTROPHE = re.compile(r"(?<!\w)'|'(?!\w)")


def _turkish_lower(text: str) -> str:
    return text.replace("İ", "i").replace("I", "ı").lower()


def _strip_foreign_accents(text: str) -> str:
    """é → e, ñ → n, ...: a diacritic that Turkish does not have is dropped, its letter kept."""
    out = []
    for char in text:
        if char in LETTERS or not char.isalpha():
            out.append(char)
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
        )
        out.append(base or char)
    return "".join(out)


def normalize_turkish(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = _turkish_lower(text).translate(_FOLD)
    text = _strip_foreign_accents(text)
    # Every Turkish letter is precomposed under NFC, so a combining mark still here is stray
    # (such as the U+0307 that an earlier str.lower() left after an i).
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _APOSTROPHES.sub(APOSTROPHE, text)
    text = _DASHES.sub(" ", text)
    # Soft hyphens, zero-width joiners, word joiners, BOMs (category Cf) sit inside words: they
    # go without a trace (the zero-width space is a space)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf" or c == "\u200b")
    # Punctuation and symbols (the blog's , ? . ! ; : " “ % ‘ ” and the rest of Unicode's) go.
    text = "".join(
        " " if unicodedata.category(c)[0] in "PSZC" and c != APOSTROPHE else c for c in text
    )
    text = _LOOSE_APOSTROPHE.sub(" ", text)
    return " ".join(text.split())
