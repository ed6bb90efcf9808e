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

import re
import unicodedata

NORMALIZER_VERSION = "1"

LETTERS = "abcdefghijklmnopqrstuvwxyzáéíóúñü"
ALPHABET = tuple(LETTERS)

# Letters with no canonical decomposition, spelled the way Spanish writes them in loans.
_SPELL = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
_APOSTROPHES = re.compile("[\u2019\u2018\u02bc\u02b9`\u00b4\u2032]")
_LETTER = r"[^\W\d_]"
# an apostrophe or Catalan middle dot inside a word: the word is one spoken word (O'Higgins)
_WORD_JOINER = re.compile(rf"(?<={_LETTER})['\u00b7\u2027\u0387](?={_LETTER})")
_ORDINALS = str.maketrans({"º": " ", "ª": " "})


def _fold_foreign_letters(text: str) -> str:
    """ç → c, à → a, ö → o: a letter Spanish does not have loses its diacritic."""
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
    # P: punctuation of every script (¿ ¡ « » „ … । ، ؟ 。), S: symbols, Z: odd spaces, C: controls
    return unicodedata.category(char)[0] in "PSZC"


def normalize_spanish(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    # Spanish casing is plain Unicode casing (Á → á, Ñ → ñ, Ü → ü).
    text = text.lower().translate(_SPELL).translate(_ORDINALS)
    text = _fold_foreign_letters(text)
    # Every Spanish letter is precomposed under NFC, so any mark left is stray (the U+0307 that
    # lower() leaves after a Turkish İ, a tilde on a letter that has no precomposed form, or the
    # vowel signs of another script): dropped, so that no word starts with a combining mark.
    text = "".join(c for c in text if unicodedata.category(c)[0] != "M")
    # Format characters (soft hyphen, zero-width space and joiners, BOM) are invisible inside
    # words: removed, not turned into a space that would split the word.
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    text = _APOSTROPHES.sub("'", text)
    text = _WORD_JOINER.sub("", text)
    text = "".join(" " if _is_noise(c) else c for c in text)
    return " ".join(text.split())
