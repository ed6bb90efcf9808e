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

import re
import unicodedata

NORMALIZER_VERSION = "1"

LETTERS = "abcdefghijklmnopqrstuvwxyzàâæçéèêëîïôœùûüÿ"
APOSTROPHE = "'"
ALPHABET = (*LETTERS, APOSTROPHE)

# Typographic apostrophes (and the accents and primes that keyboards put in their place).
_APOSTROPHES = re.compile("[\u2019\u2018\u02bc\u02b9\u02bb`\u00b4\u2032\uff07]")
# Any apostrophe that does not join two letters is a quotation mark, not part of a word.
_LOOSE_APOSTROPHE = re.compile(r"(?<!\w)'|'(?!\w)")
# Presentation ligatures are typography (a PDF's "ﬁn"); œ and æ are not in this table.
_TYPOGRAPHIC_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
)


def _strip_foreign_accents(text: str) -> str:
    """ñ → n, á → a, ö → o: a diacritic that French does not have is dropped, its letter kept."""
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


def _is_invisible(char: str) -> bool:
    # Soft hyphens, zero-width joiners, BOMs, direction marks (category Cf) sit inside words
    # ("infor\u00admation"): they are deleted, not turned into a word break. The zero-width
    # space is the exception: it marks a break between words, so it becomes a space below.
    return unicodedata.category(char) == "Cf" and char != "\u200b"


def normalize_french(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = "".join(c for c in text if not _is_invisible(c))
    # str.lower is right for French (É → é, Œ → œ, Ÿ → ÿ); there is no dotted-i trap.
    text = text.translate(_TYPOGRAPHIC_LIGATURES).lower()
    text = _strip_foreign_accents(text)
    # Every French letter is precomposed under NFC, so a combining mark still here is stray.
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _APOSTROPHES.sub(APOSTROPHE, text)
    # Punctuation and symbols of every script (« » “ ” … ; : ! ? - – — ¿ ¡ । ، 。 % € ...),
    # whitespace of every kind (U+00A0, U+202F) and control characters become spaces; hyphens
    # included, see the module docstring.
    text = "".join(
        " " if unicodedata.category(c)[0] in "PSZC" and c != APOSTROPHE else c for c in text
    )
    text = _LOOSE_APOSTROPHE.sub(" ", text)
    return " ".join(text.split())
