"""Spanish transcript normalization.

Spanish's own letters are a–z plus ñ, the acute vowels á é í ó ú and ü (pingüino, vergüenza).
They are all kept: the accent tells words apart (el/él, tu/tú, si/sí, mas/más, esta/está) and
ñ is a letter of its own (año/ano), so folding any of them would merge different words.

The traps:

* Transcripts arrive decomposed (NFD: "n" + U+0303 for ñ, "u" + U+0308 for ü) as often as
  precomposed; NFC comes first, so that both spellings give the same letter, and a combining mark
  that is still left after NFC sits on a letter that Spanish does not have and is dropped.
* ¿ and ¡ open questions and exclamations; they are punctuation like ? and !, and so are the
  « » and “ ” quotes and the dashes of dialogue (— ¿Vienes? —preguntó).
* Foreign letters in names (Françoise, Gödel, Lluís, Thérèse, Alcàsser) are folded to their base
  letter (c, o, i, e, a): Spanish speakers (and espeak-ng) read them as the base letter, and each
  kept one would be a rare CTC token learned from a handful of names. ü is not folded: it is
  Spanish. Letters with no decomposition get a spelling (ß → ss, æ → ae, ø → o, ...).
* Spanish has no apostrophe of its own. In names (O'Higgins, O'Donnell, D'Alessandro) and
  colloquial elisions (pa'lante) the word is spoken as one, so an apostrophe between two letters
  is dropped and the word joined; any other apostrophe is a quotation mark and becomes a space.
  The same holds for the Catalan middle dot of place names (Col·legi, Paral·lel).
* Hyphens join words that are spoken as words of their own (teórico-práctico, Castilla-La
  Mancha, hispano-árabe): a hyphen becomes a space.
* º and ª are ordinal indicators after a number (1.º, 2.ª, nº): symbols here, not letters.
* Digits are not spelled out: a row with digits is left out of the alphabet, and dropped.
"""

import unicodedata

from asrzoo import (
    apostrophes_between_letters,
    drop_format_characters,
    drop_marks,
    fold_foreign_letters,
    unify_apostrophes,
    words_only,
)

NORMALIZER_VERSION = "1"

LETTERS = "abcdefghijklmnopqrstuvwxyzáéíóúñü"
ALPHABET = tuple(LETTERS)

# Letters with no canonical decomposition, spelled the way Spanish writes them in loans.
_SPELL = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
# an apostrophe or Catalan middle dot inside a word: the word is one spoken word (O'Higgins)
_WORD_JOINERS = "'\u00b7\u2027\u0387"
_ORDINALS = str.maketrans({"º": " ", "ª": " "})


def normalize_spanish(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    # Spanish casing is plain Unicode casing (Á → á, Ñ → ñ, Ü → ü).
    text = text.lower().translate(_SPELL).translate(_ORDINALS)
    text = fold_foreign_letters(text, LETTERS)  # ç → c, à → a, ö → o
    # Every Spanish letter is precomposed under NFC, so any mark left is stray.
    text = drop_format_characters(drop_marks(text))
    text = apostrophes_between_letters(unify_apostrophes(text), "", _WORD_JOINERS)
    return words_only(text)  # ¿ ¡ « » „ … and every other script's punctuation
