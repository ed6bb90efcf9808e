"""German transcript normalization.

The output is lower-case NFC text over a-z, ä, ö, ü and ß, words separated by single spaces.
German's traps, and what this module does about them:

* ß is a letter of its own and stays ß: ``str.casefold`` would turn it into "ss", so plain
  ``str.lower`` is used, which also lowers the capital ẞ (U+1E9E) to ß. Python's
  ``"ß".upper()`` is "SS", and all-caps text is normally written that way ("STRASSE"); such
  text lowers to "strasse", not "straße": the information is gone and is not guessed back.
  The conformance suite's upper-cased probes therefore stay inside the alphabet but differ
  from the mixed-case sentence, which is expected.
* Umlauts ä, ö, ü are letters, never folded to ae/oe/ue. Transcripts often arrive decomposed
  (a + U+0308 COMBINING DIAERESIS, from macOS file names and some web text): NFC first, and the
  diaeresis is the one combining mark kept, on a, o and u only.
* Other accents only occur in loanwords and names (Café, Señor, Curaçao, Citroën, naïv): they are
  folded to their base letter (é → e, ñ → n, ç → c, ë → e), because German speakers say them
  nearly like the plain letter and an alphabet with every accent of Europe would give CTC many
  rare labels to learn from few examples. Letters that Unicode does not decompose get a fixed
  spelling (æ → ae, œ → oe as in "Oeuvre", ø → ö, ł → l, ...), and typographic forms (the
  ligatures ﬁ ﬂ, the long s ſ of old print, full-width letters) are spelled out.
* The apostrophe marks an elision (geht's, gibt's, hab' ich) or a mistaken genitive (Andrea's).
  It is not spoken, and "gehts"/"geht's" are both correct spellings, so an apostrophe between
  two letters is dropped and the word stays whole ("geht's" → "gehts"); anywhere else it is a
  quotation mark and becomes a space. This keeps the alphabet free of a silent character.
* Hyphens join compounds (E-Mail, Baden-Württemberg, Ein- und Ausgang) but the parts are spoken
  as words: every dash becomes a space. A soft hyphen (U+00AD) or a zero-width (non-)joiner
  inside a word is invisible typography and is deleted, so the word is not split.
* German quotes „…“ ‚…‘ »…« «…» and all other punctuation and symbols (Unicode categories P
  and S, of any script) become spaces.

Digits are kept as they are, not spelled out: they are outside the alphabet, so the engine drops
such rows, as intended. Letters of other scripts are left alone for the same reason.
"""

import functools
import re
import unicodedata

NORMALIZER_VERSION = "1"

LETTERS = "abcdefghijklmnopqrstuvwxyzäöüß"
ALPHABET = tuple(LETTERS)

_DIAERESIS = "\u0308"
_UMLAUT_BASES = frozenset("aou")

# Letters that no Unicode decomposition turns into Latin ones: a fixed German spelling.
_SPELL = str.maketrans(
    {
        "æ": "ae",
        "œ": "oe",  # Œuvre → oeuvre, as German also writes it
        "ø": "o\u0308",  # Søren, Ørsted: German readers say ö
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",  # Turkish dotless i in names
        "ĸ": "k",
        "ŋ": "ng",
    }
)
# Compatibility forms of Latin letters (ligatures ﬁ ĳ ǌ, long s ſ, full-width ａ, styled 𝐚)
# are spelled out: they are typography, not letters of their own.
_COMPAT_TAGS = ("<compat>", "<wide>", "<narrow>", "<font>")
# Apostrophe look-alikes: typewriter, typographic, modifier letters (category Lm, so they would
# otherwise count as letters), accents and primes that keyboards put in their place.
_APOSTROPHES = re.compile("['\u2019\u2018\u201b\u02bc\u02bb\u02b9\u0060\u00b4\u2032\uff07]")
_INNER_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")
# Invisible format characters that sit inside a word without splitting it.
_INVISIBLE = re.compile("[\u00ad\u200c\u200d\u2060\ufeff]")


@functools.cache
def _respell(char: str) -> str:
    if unicodedata.category(char)[0] == "L" and unicodedata.decomposition(char).startswith(
        _COMPAT_TAGS
    ):
        char = unicodedata.normalize("NFKD", char)
    return char.translate(_SPELL)


def _fold_letters(text: str) -> str:
    """Spell out compatibility and foreign letters, then drop every combining mark except a
    diaeresis on a, o or u (the umlauts); NFC again."""
    text = unicodedata.normalize("NFD", text)
    text = "".join(_respell(c) for c in text).lower()  # 𝐀 → A → a
    out = []
    base = None
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.category(char)[0] != "M":
            base = char
            out.append(char)
        elif char == _DIAERESIS and base in _UMLAUT_BASES:
            out.append(char)
            base = None  # one umlaut per letter: a second diaeresis is dropped
    return unicodedata.normalize("NFC", "".join(out))


def normalize_german(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.lower()  # lower, not casefold: ß stays, ẞ → ß
    text = _fold_letters(text)
    text = _INVISIBLE.sub("", text)
    text = _APOSTROPHES.sub("'", text)
    text = _INNER_APOSTROPHE.sub("", text)  # geht's → gehts
    # Everything else that is not a letter, mark or digit is a separator: punctuation (quotes
    # and dashes included), symbols, spaces, controls and the apostrophes left over.
    text = "".join(" " if unicodedata.category(c)[0] in "PSZC" else c for c in text)
    return " ".join(text.split())
