"""Russian transcript normalization.

The traps, and the policy for each:

* **ё and е.** Most printed Russian, and many Common Voice transcripts, write е for ё (ёлка and
  елка are the same word to a reader). A model cannot learn from its labels when the same sound is
  spelled ё in one transcript and е in the next, so ё is folded into е and is not in the alphabet.
* **Latin homoglyphs.** Text typed with mixed keyboard layouts, OCR output and spam put Latin
  letters that look exactly like Cyrillic ones into Cyrillic words ("Пpивeт" with Latin p and e).
  Inside a word that has Cyrillic letters, those Latin letters (a e o p c x y, and the capitals
  A B E K M H O P C T X Y) become their Cyrillic twins, before lower-casing, because Latin B, H,
  M, T and K only look Cyrillic as capitals. Words written wholly in Latin stay Latin, even one
  letter long: "витамин C" is read "цэ", and turning it into the preposition "с" would be a wrong
  label, while a Latin word only gets its row dropped by the engine as out of the alphabet.
* **Stress marks.** Textbooks and dictionaries mark stress with a combining acute or grave accent
  (замо́к, and е + grave even composes to ѐ under NFC). The accents are dropped; the breve of й and
  the diaeresis of ё are the only marks that belong to Russian letters.
* **Hyphens.** кто-нибудь, по-моему, Санкт-Петербург: transcribers write these with a hyphen,
  with a space, or run together, and the hyphen is not spoken, while the hyphen, the en and em
  dash and the minus sign are confused all the time. Every hyphen and dash becomes a space, so
  the parts are words of their own; the split is consistent, which is what WER needs.
* **Apostrophes.** Russian has no apostrophe letter, but texts typed on keyboards without ъ (the
  Ukrainian layout, old typewriters) write об'явление, под'езд for объявление, подъезд: an
  apostrophe between a consonant and е, ё, ю or я is read as ъ. Any other apostrophe inside a word
  (Д'Артаньян, О'Нил) is dropped and the word joined, as it is spoken as one word; an apostrophe
  that does not join two letters is a quotation mark and becomes a space.
* ъ and ь are letters of their own and are kept. Digits are not spelled out: a row with digits is
  dropped by the engine as out of the alphabet, which is intended.
"""

import re
import unicodedata

NORMALIZER_VERSION = "1"

LETTERS = "абвгдежзийклмнопрстуфхцчшщъыьэюя"  # the 33 letters less ё, which is folded into е
ALPHABET = tuple(LETTERS)

_CONSONANTS = "бвгджзклмнпрстфхцчшщ"
# Latin letters that look the same as a Cyrillic one. Only the capitals of B, H, M, T and K do.
_HOMOGLYPHS = str.maketrans(
    "aeopcxyëAEOPCXYBHMTKË",
    "аеорсхуёАЕОРСХУВНМТКЁ",
)
# Characters that hide inside words without being part of them: the soft hyphen that marks where
# a line may break, zero-width (non-)joiners, word joiner, byte order mark.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200c\u200d\u2060\ufeff"))
_APOSTROPHES = re.compile("[\u2019\u2018\u02bc\u02b9`\u00b4\u2032]")
_JOINING_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")
# the breve of й and the diaeresis of ё: the only combining marks Russian letters have
_KEPT_MARKS = {"\u0306": "и", "\u0308": "е"}


def _is_cyrillic(char: str) -> bool:
    return char.isalpha() and unicodedata.name(char, "").startswith("CYRILLIC")


def _word_spans(text: str):
    """(start, end) of each word: letters and combining marks, with apostrophes between letters."""
    start = None
    for i, char in enumerate(text):
        inside = (
            char.isalpha()
            or unicodedata.category(char)[0] == "M"
            or (char == "'" and start is not None and text[i + 1 : i + 2].isalpha())
        )
        if inside and start is None:
            start = i
        elif not inside and start is not None:
            yield start, i
            start = None
    if start is not None:
        yield start, len(text)


def _cyrillic_homoglyphs(text: str) -> str:
    """Latin lookalikes inside a word that has Cyrillic letters become the Cyrillic letters."""
    parts, last = [], 0
    for start, end in _word_spans(text):
        word = text[start:end]
        if any(map(_is_cyrillic, word)):
            parts += [text[last:start], word.translate(_HOMOGLYPHS)]
            last = end
    return "".join(parts) + text[last:]


def _strip_marks(text: str) -> str:
    """Drop stress accents and every other combining mark, except those of й and ё."""
    out, base = [], None
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.category(char)[0] != "M":
            out.append(char)
            base = char
        elif base is not None and _KEPT_MARKS.get(char) == base:
            out.append(char)
            base = None  # one mark per letter: a doubled breve is stray
    return unicodedata.normalize("NFC", "".join(out))


def _resolve_apostrophe(match: re.Match) -> str:
    text, at = match.string, match.start()
    if text[at - 1] in _CONSONANTS and text[at + 1] in "еёюя":
        return "ъ"  # об'явление → объявление
    return ""  # Д'Артаньян → дартаньян


def normalize_russian(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = _APOSTROPHES.sub("'", text)
    text = _cyrillic_homoglyphs(text)  # before lower-casing: Latin B H M T K only as capitals
    text = _strip_marks(text.lower())
    # again, for a Latin letter that a dropped accent has just uncovered (Latin ö → o)
    text = _cyrillic_homoglyphs(text)
    text = _JOINING_APOSTROPHE.sub(_resolve_apostrophe, text)
    text = text.replace("ё", "е")
    # Punctuation, symbols, loose apostrophes, hyphens and dashes, odd spaces and control
    # characters (of every script: « » „ “ … — № ¿ । ، 。) all separate words.
    text = "".join(" " if unicodedata.category(c)[0] in "PSZC" else c for c in text)
    return " ".join(text.split())
