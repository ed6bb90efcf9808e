"""asrzoo plugin: every language CLDR or espeak-ng knows, at the GENERIC priority.

Each gets an alphabet from CLDR's exemplar characters, a normalizer from Unicode data, word-list
sentences from CLDR and, where espeak-ng has one, a voice: enough for
``asrzoo train xx --dataset synthetic --model tiny``. A curated plugin for the same language
(asrzoo-de, ...) registers at a higher priority and replaces all of it.
"""

from __future__ import annotations

from functools import cache, lru_cache

from asrzoo import GENERIC, Language, Normalizer, Vocabulary, hookimpl
from asrzoo_generic import cldr
from asrzoo_generic.normalizer import NORMALIZER_VERSION, GenericNormalizer
from asrzoo_generic.voices import voices


@lru_cache(maxsize=1)
def codes() -> list[str]:
    """CLDR's languages (no regional variants) and every language with an espeak-ng voice."""
    base = {code for code in cldr.locales_with_data() if "_" not in code and code != "root"}
    return sorted(base | set(voices()))


@cache
def language_parts(code: str) -> tuple[Language, GenericNormalizer, tuple[str, ...]]:
    script = cldr.script_of(code)
    letters = cldr.alphabet(code)
    spaced = script not in cldr.UNSPACED_SCRIPTS
    normalize = GenericNormalizer(code, frozenset(letters), spaced)
    language = Language(
        code=code,
        name=cldr.english_name(code),
        iso639_3=cldr.iso639_3(code),
        script=script,
        espeak_voice=voices().get(code),
        sentences=lambda: cldr.sentences(code, normalize, set(letters), spaced),
        spaces_between_words=spaced,
        priority=GENERIC,
    )
    return language, normalize, letters


def _usable(code: str) -> bool:
    return bool(cldr.alphabet(code))


@hookimpl
def register_languages(register):
    for code in filter(_usable, codes()):
        register(language_parts(code)[0])
    cldr.save_alphabets()


@hookimpl
def register_normalizers(register):
    for code in filter(_usable, codes()):
        normalize = language_parts(code)[1]
        register(Normalizer(code, "asrzoo-generic/cldr", NORMALIZER_VERSION, normalize, GENERIC))


@hookimpl
def register_vocabularies(register):
    for code in filter(_usable, codes()):
        register(Vocabulary(code, language_parts(code)[2], priority=GENERIC))
