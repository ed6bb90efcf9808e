"""A sound normalizer for any language, from Unicode data alone.

Lower case by the language's own rules (ICU: Turkish and Azeri dotted and dotless i, Lithuanian
dots, Greek final sigma), NFC, apostrophe lookalikes unified, and every character that is
punctuation, a symbol or invisible formatting removed unless the language's alphabet has it.
Digits are kept as they are, so rows with digits are dropped as out of alphabet rather than
read wrongly. Scripts without spaces between words lose their spaces.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import icu

NORMALIZER_VERSION = "1"
_APOSTROPHES = re.compile("[\u2019\u2018\u02b9`\u00b4\u2032]")


@dataclass(frozen=True)
class GenericNormalizer:
    code: str
    alphabet: frozenset[str]
    spaced: bool

    def __call__(self, text: str) -> str:
        locale = icu.Locale(self.code.replace("-", "_"))
        text = unicodedata.normalize("NFC", text)
        text = unicodedata.normalize("NFC", str(icu.UnicodeString(text).toLower(locale)))
        if "'" in self.alphabet:
            text = _APOSTROPHES.sub("'", text)
        kept = []
        for char in text:
            kind = unicodedata.category(char)
            if char in self.alphabet or kind[0] not in "PSZC":
                kept.append(char)
            elif kind != "Cf":  # formatting (soft hyphens, joiners) goes without a trace
                kept.append(" ")
        words = "".join(kept).split()
        words = [_without_orphaned_marks(w) for w in words]
        return (" " if self.spaced else "").join(w for w in words if w)


def _without_orphaned_marks(word: str) -> str:
    """A word cannot start with a mark (a vowel sign, an accent): that mark lost its letter."""
    start = 0
    while start < len(word) and unicodedata.category(word[start])[0] == "M":
        start += 1
    return word[start:]
