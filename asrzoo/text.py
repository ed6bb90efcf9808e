"""Text helpers that language normalizers share (``from asrzoo import ...``). Each does one
thing that holds across scripts; a normalizer strings together the ones its language needs, with
its own rules in between."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping

# the typographic apostrophes, and the accents and primes that keyboards put in their place
APOSTROPHE_LOOKALIKES = "\u2019\u2018\u02bc\u02b9`\u00b4\u2032"
_LETTER = r"[^\W\d_]"


def unify_apostrophes(text: str, lookalikes: str = APOSTROPHE_LOOKALIKES) -> str:
    """Every apostrophe lookalike becomes the ASCII apostrophe."""
    return re.sub(f"[{re.escape(lookalikes)}]", "'", text)


def apostrophes_between_letters(text: str, replace, joiners: str = "'") -> str:
    """``replace`` (a string, or a function of the match) for each of ``joiners`` that stands
    between two letters: O'Higgins, об'явление."""
    return re.sub(f"(?<={_LETTER})[{re.escape(joiners)}](?={_LETTER})", replace, text)


def loose_apostrophes_to_spaces(text: str, word: str = _LETTER) -> str:
    """An apostrophe that does not stand between two ``word`` characters (a regex class:
    letters by default) is a quotation mark: a space."""
    return re.sub(f"(?<!{word})'|'(?!{word})", " ", text)


def drop_format_characters(text: str, keep: str = "") -> str:
    """Soft hyphens, zero-width joiners, word joiners, BOMs, direction marks (category Cf) sit
    inside words without being part of them: deleted, not turned into a word break."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf" or c in keep)


def drop_marks(text: str) -> str:
    """Every combining mark: for a language whose letters are all precomposed under NFC, a mark
    still here is stray (the U+0307 that ``lower()`` leaves after İ, another script's vowel
    signs), and a word must not start with one."""
    return "".join(c for c in text if unicodedata.category(c)[0] != "M")


def strip_marks(text: str, kept: Mapping[str, str] | None = None) -> str:
    """Drop the combining marks of ``text`` except those ``kept`` (mark -> the base letter it
    belongs on: ``{"\\u0306": "и"}`` keeps й), one per letter; the result is NFC."""
    kept = kept or {}
    out, base = [], None
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.category(char)[0] != "M":
            out.append(char)
            base = char
        elif base is not None and kept.get(char) == base:
            out.append(char)
            base = None  # one mark per letter: a doubled one is stray
    return unicodedata.normalize("NFC", "".join(out))


def fold_foreign_letters(text: str, letters: str) -> str:
    """A letter that is not one of the language's ``letters`` loses its diacritics (ñ → n in
    Turkish, ç → c in Spanish); one with no decomposition (ß, ø) is left for the caller."""
    out = []
    for char in text:
        if char in letters or not char.isalpha():
            out.append(char)
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
        )
        out.append(base or char)
    return "".join(out)


def word_spans(text: str) -> Iterator[tuple[int, int]]:
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


def lookalikes_in_script_words(text: str, table: dict, script: str) -> str:
    """``str.translate(table)`` inside each word that has letters of ``script`` (a Unicode
    name prefix: "CYRILLIC"): the Latin p and e typed into a Cyrillic word become Cyrillic,
    while a word wholly in Latin stays as it is."""
    parts, last = [], 0
    for start, end in word_spans(text):
        word = text[start:end]
        if any(c.isalpha() and unicodedata.name(c, "").startswith(script) for c in word):
            parts += [text[last:start], word.translate(table)]
            last = end
    return "".join(parts) + text[last:]


def words_with_apostrophes(text: str, word: str = _LETTER) -> str:
    """words_only, keeping the apostrophe where it stands between two ``word`` characters (a
    regex class: letters by default) and making every other one a space."""
    return " ".join(loose_apostrophes_to_spaces(words_only(text, keep="'"), word).split())


def words_only(text: str, keep: str = "") -> str:
    """Punctuation and symbols of every script (« » „ … — ¿ । ، 。 %), odd spaces and control
    characters all separate words; one space between words. Characters in ``keep`` (an
    apostrophe that is a letter) stay."""
    text = "".join(
        " " if unicodedata.category(c)[0] in "PSZC" and c not in keep else c for c in text
    )
    return " ".join(text.split())
