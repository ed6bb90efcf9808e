"""French transcript normalization.

French's traps for a CTC label set:

* Elision (l'homme, d'eau, qu'il, j'ai, n'est, s'il, c'est, m'a, t'es, jusqu'à, lorsqu'on,
  puisqu'elle, aujourd'hui, quelqu'un): the apostrophe stays joined to its word, as in the
  Common Voice French transcripts and the CV French models the seeds fine-tune, so "l'homme" is
  one word. Typographic apostrophes (’ ‘ ʼ ...) are the same character and become '. An
  apostrophe that does not sit between two letters is a quotation mark and goes.
* Hyphens (peut-être, est-ce que, vingt-deux, Jean-Pierre, a-t-il) become spaces. A hyphen is
  not heard, and French writers use it inconsistently: "est-ce que" / "est ce que", the 1990
  spelling reform's "vingt-et-un" / "vingt et un", "c'est-à-dire" / "c'est à dire". WER counts
  words, so keeping the hyphen would make "peut-être" one word against two and charge a model
  two errors for a spelling choice it cannot hear; split, both spellings read the same.
* Œ and æ (cœur, sœur, œuvre, ex æquo, Lætitia) are letters of French spelling, not typographic
  ligatures: they are kept, never expanded to oe/ae (NFKC would not touch them either; only the
  presentation ligatures ﬁ ﬂ ﬀ ... are expanded, because they are pure typography).
* Accents à â ç é è ê ë î ï ô ù û ü ÿ are distinctive (a/à, ou/où, du/dû, pêcheur/pécheur) and
  kept. Decomposed input (e + U+0301) is composed by NFC first. A diacritic that French does not
  have (ñ, á, ö, ō in foreign names) is dropped and its base letter kept.
* French typography puts a (narrow) no-break space, U+00A0 or U+202F, before ; : ! ? and inside
  « guillemets »: these are whitespace like any other, and the marks are punctuation.

Digits are not spelled out: a transcript with digits falls outside the alphabet and is dropped.
"""

import unicodedata

from asrzoo import (
    APOSTROPHE_LOOKALIKES,
    drop_format_characters,
    fold_foreign_letters,
    unify_apostrophes,
    words_with_apostrophes,
)

NORMALIZER_VERSION = "1"

LETTERS = "abcdefghijklmnopqrstuvwxyzàâæçéèêëîïôœùûüÿ"
APOSTROPHE = "'"
ALPHABET = (*LETTERS, APOSTROPHE)

# Typographic apostrophes, with the turned comma and the full-width one.
_APOSTROPHES = APOSTROPHE_LOOKALIKES + "\u02bb\uff07"
# Presentation ligatures are typography (a PDF's "ﬁn"); œ and æ are not in this table.
_TYPOGRAPHIC_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
)


def normalize_french(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    # the zero-width space marks a break between words: it becomes a space below
    text = drop_format_characters(text, keep="\u200b")
    # str.lower is right for French (É → é, Œ → œ, Ÿ → ÿ); there is no dotted-i trap.
    text = text.translate(_TYPOGRAPHIC_LIGATURES).lower()
    text = fold_foreign_letters(text, LETTERS)  # ñ → n, á → a, ö → o
    # Every French letter is precomposed under NFC, so a combining mark still here is stray.
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = unify_apostrophes(text, _APOSTROPHES)
    # Hyphens become spaces too, see the module docstring; an apostrophe that does not join two
    # word characters is a quotation mark.
    return words_with_apostrophes(text, word=r"\w")
