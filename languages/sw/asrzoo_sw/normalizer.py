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

import unicodedata

from asrzoo import (
    drop_format_characters,
    drop_marks,
    fold_foreign_letters,
    unify_apostrophes,
    words_with_apostrophes,
)

NORMALIZER_VERSION = "1"

LETTERS = "abcdefghijklmnopqrstuvwxyz"
APOSTROPHE = "'"
ALPHABET = (*LETTERS, APOSTROPHE)

_SPELL = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)


def normalize_swahili(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    # The apostrophes first: ʼ (U+02BC) is a letter, and lower() and folding must not touch it.
    text = unify_apostrophes(text)
    text = text.lower().translate(_SPELL)
    text = fold_foreign_letters(text, LETTERS)  # é → e, ü → u: Swahili has no diacritics
    # No Swahili letter carries a mark, so every combining mark left is stray.
    text = drop_format_characters(drop_marks(text))
    # The apostrophe is kept, then judged by its neighbours: not the letter of ng' unless it
    # joins two letters.
    return words_with_apostrophes(text)
