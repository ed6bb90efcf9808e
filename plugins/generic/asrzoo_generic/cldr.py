"""What Unicode CLDR (through ICU) knows about a language: its letters, names and words.

CLDR's exemplar characters are the letters a language is written with; babel ships no exemplar
sets, and the standard library knows no languages, so this needs ICU. A language CLDR has no
locale data for gets the letters that all CLDR languages of its script use together.
"""

from __future__ import annotations

import json
import random
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

import icu

from asrzoo import UserError, data_dir, write_atomic

STANDARD, INDEX = 0, 2  # ULocaleDataExemplarSetType
# scripts written without spaces between words
UNSPACED_SCRIPTS = {"Hani", "Hans", "Hant", "Jpan", "Thai", "Laoo", "Khmr", "Mymr"}
SENTENCES = 600  # generated per language: enough for the synthetic corpus's test and validation


@lru_cache(maxsize=1)
def locales_with_data() -> frozenset[str]:
    return frozenset(str(locale) for locale in icu.Locale.getAvailableLocales())


def icu_locale(code: str) -> icu.Locale:
    return icu.Locale(code.replace("-", "_"))


def script_of(code: str) -> str:
    """ISO 15924 script, from CLDR's likely subtags (``sr`` -> Cyrl, ``an`` -> Latn)."""
    return icu_locale(code).addLikelySubtags().getScript() or "Zyyy"


def letters(strings) -> tuple[str, ...]:
    """The single characters of exemplar strings ("ch", "ẹ̀"), lower case, NFC, in order."""
    seen: dict[str, None] = {}
    for string in strings:
        for char in unicodedata.normalize("NFC", str(string).lower()):
            if unicodedata.category(char)[0] in "LM" or char in "'\u02bc\u02bb":
                seen.setdefault(char, None)
    return tuple(seen)


def exemplar_letters(code: str) -> tuple[str, ...]:
    """CLDR's standard letters, its index letters (some standard sets lack letters: Somali's has
    no vowels), and the combining marks of the script (Malayalam's has no vowel signs)."""
    data = icu.LocaleData(code.replace("-", "_"))
    standard = letters(data.getExemplarSet(0, STANDARD))
    if not standard:
        return ()
    try:
        index = list(data.getExemplarSet(0, INDEX))
    except icu.ICUError:  # not every language has index letters
        index = []
    marks = icu.UnicodeSet(f"[[:Script={script_of(code)}:]&[:M:]]")
    return letters([*standard, *index, *marks])


@cache
def script_letters(script: str) -> tuple[str, ...]:
    """Every letter that some CLDR language writes in ``script``."""
    merged: dict[str, None] = {}
    for code in sorted(locales_with_data()):
        if "_" not in code and script_of(code) == script:
            merged.update(dict.fromkeys(exemplar_letters(code)))
    return tuple(merged)


def _alphabet(code: str) -> tuple[str, ...]:
    if code.replace("-", "_") in locales_with_data():
        return exemplar_letters(code)
    return script_letters(script_of(code))


# bump when _alphabet's output changes; the cache file is also per ICU version
ALPHABETS_VERSION = "1"


@cache
def _cached_alphabets() -> dict[str, list[str]]:
    """Every language's alphabet as computed before, from a file beside asrzoo's data: reading
    ICU's exemplar sets for 266 languages took a fifth of a second, at every command."""
    try:
        return json.loads(_alphabets_file().read_text("utf-8"))
    except (OSError, ValueError, UserError):  # none yet, or no home to keep it in
        return {}


@cache
def alphabet(code: str) -> tuple[str, ...]:
    known = _cached_alphabets()
    if code not in known:
        known[code] = list(_alphabet(code))
        _unsaved.add(code)
    return tuple(known[code])


_unsaved: set[str] = set()


def save_alphabets() -> None:
    """Write the alphabets computed since the cache file was read, if any."""
    if not _unsaved:
        return
    known = _cached_alphabets()
    _unsaved.clear()
    try:
        path = _alphabets_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(known, ensure_ascii=False))
    except (OSError, UserError):  # a read-only home: computed again next time, only slower
        pass


def _alphabets_file() -> Path:
    return data_dir() / "generic" / f"alphabets-{ALPHABETS_VERSION}-icu{icu.ICU_VERSION}.json"


def english_name(code: str) -> str:
    return icu_locale(code).getDisplayName(icu.Locale("en"))


def iso639_3(code: str) -> str:
    return icu_locale(code).getISO3Language() or code.split("-")[0]


def words(code: str) -> list[str]:
    """Words CLDR has in this language: names of languages, countries, months and days, and
    numbers spelled out. Names that fall back to English are left out (except for English)."""
    locale, english = icu_locale(code), icu.Locale("en")
    found = []
    for other in icu.Locale.getISOLanguages():
        name = icu.Locale(other).getDisplayLanguage(locale)
        if name != other and (
            code.startswith("en") or name != icu.Locale(other).getDisplayLanguage(english)
        ):
            found.append(name)
    for country in icu.Locale.getISOCountries():
        place = icu.Locale("", country)
        name = place.getDisplayCountry(locale)
        if name != country and (code.startswith("en") or name != place.getDisplayCountry(english)):
            found.append(name)
    symbols = icu.DateFormatSymbols(locale)
    found += [*symbols.getMonths(), *symbols.getWeekdays()]
    spellout = icu.RuleBasedNumberFormat(icu.URBNFRuleSetTag.SPELLOUT, locale)
    found += [spellout.format(n) for n in range(1, 1000, 7)]
    return [word for word in found if word.strip()]


def sentences(code: str, normalize, allowed: set[str], spaced: bool) -> list[str]:
    """Deterministic lines of 3 to 6 CLDR words each, every word inside the alphabet: word
    lists, not prose, but in the language's own spelling, for synthetic speech."""
    pool = sorted({w for w in words(code) if (n := normalize(w)) and set(n) <= allowed | {" "}})
    if len(pool) < 20:
        return []
    rng = random.Random(code)
    separator = " " if spaced else ""
    lines: dict[str, None] = {}
    for _ in range(SENTENCES * 3):
        lines.setdefault(separator.join(rng.sample(pool, rng.randint(3, 6))), None)
        if len(lines) == SENTENCES:
            break
    return list(lines)
