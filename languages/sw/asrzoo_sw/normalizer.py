"""Swahili transcript normalization.

Swahili is written in the plain Latin alphabet a–z (q and x only in names and loans such as
Qatar or Alex, kept so that such rows are not dropped), with one more letter: ``ng'``, the velar
nasal [ŋ] of ng'ombe (cow), ng'ambo (abroad), ng'oa (uproot), written with an apostrophe to tell
it from ``ng`` [ŋɡ] of ngoma (drum). The apostrophe is therefore a letter here: without it,
ng'ombe and a word spelled ngombe are the same string, and the model cannot learn the sound.

The traps:

* The apostrophe of ng' is typed as ’ ‘ ʼ ` ´ as often as ' (phones and word processors curl
  it); all become ' so that ng'ombe has one spelling. ʼ (U+02BC) is a letter in Unicode, so this
  is done before punctuation is removed.
* An apostrophe that does not stand between two letters is a quotation mark ('Habari' alisema),
  not the letter: it becomes a space, like every other punctuation mark and symbol (« » “ ” …).
* Hyphens join words that are spoken as words (Afrika-Mashariki, kwa-heri): a hyphen is a space.
* Accented letters come only from foreign names and loans (José, Café, Müller, Françoise): the
  accent is dropped (e, e, u, c) because Swahili speakers and espeak-ng read the base letter.
  Letters with no decomposition get a spelling (ß → ss, æ → ae, ø → o, ...).
* Digits are not spelled out: a row with digits is left out of the alphabet, and dropped.

For synthetic speech: espeak-ng's sw voice spells a word-initial ng' as letters (ng'ombe is read
"en-gi ombe") while it reads ng' inside a word as [ŋ] (zinang'aa). Lines of sentences.txt with a
word-initial ng' therefore give, after a tab, a spoken form that joins that word to the one before
(wa ng'ombe → wang'ombe), and no sentence starts with ng'.
"""

import re
import unicodedata

NORMALIZER_VERSION = "1"

LETTERS = "abcdefghijklmnopqrstuvwxyz"
APOSTROPHE = "'"
ALPHABET = (*LETTERS, APOSTROPHE)

_SPELL = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
_APOSTROPHES = re.compile("[\u2019\u2018\u02bc\u02b9`\u00b4\u2032]")
_LETTER = r"[^\W\d_]"
# Any apostrophe that does not join two letters is a quotation mark, not the letter of ng'.
_LOOSE_APOSTROPHE = re.compile(rf"(?<!{_LETTER})'|'(?!{_LETTER})")


def _fold_foreign_letters(text: str) -> str:
    """é → e, ü → u, ç → c: Swahili has no diacritics, so a letter loses its own."""
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


def _is_noise(char: str) -> bool:
    # P: punctuation of every script, S: symbols, Z: odd spaces, C: controls. The apostrophe
    # (itself P) is kept here and judged by its neighbours afterwards.
    return char != APOSTROPHE and unicodedata.category(char)[0] in "PSZC"


def normalize_swahili(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    # The apostrophes first: ʼ (U+02BC) is a letter, and lower() and folding must not touch it.
    text = _APOSTROPHES.sub(APOSTROPHE, text)
    text = text.lower().translate(_SPELL)
    text = _fold_foreign_letters(text)
    # No Swahili letter carries a mark, so every combining mark left is stray (an accent on a
    # letter with no precomposed form, the U+0307 that lower() leaves after İ, the vowel signs of
    # another script): dropped, so that no word starts with a combining mark.
    text = "".join(c for c in text if unicodedata.category(c)[0] != "M")
    # Format characters (soft hyphen, zero-width space and joiners, BOM) are invisible inside
    # words: removed, not turned into a space that would split the word.
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    text = "".join(" " if _is_noise(c) else c for c in text)
    text = _LOOSE_APOSTROPHE.sub(" ", text)
    return " ".join(text.split())
