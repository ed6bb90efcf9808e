"""asrzoo plugin for Mongolian (Khalkha, written in Cyrillic)."""

from pathlib import Path

from asrzoo import Language, Normalizer, Vocabulary, hookimpl
from asrzoo_mn.normalizer import ALPHABET, NORMALIZER_VERSION, normalize_mongolian

CODE = "mn"


@hookimpl
def register_languages(register):
    register(
        Language(
            code=CODE,
            name="Mongolian",
            # the macrolanguage code, which Meta's MMS uses for its Mongolian (Khalkha) adapter
            iso639_3="mon",
            script="Cyrl",
            common_voice="mn",
            fleurs="mn_mn",
            espeak_voice=None,  # espeak-ng has no Mongolian voice
            sentences=Path(__file__).with_name("sentences.txt"),
        )
    )


@hookimpl
def register_normalizers(register):
    register(Normalizer(CODE, "asrzoo-mn/mongolian", NORMALIZER_VERSION, normalize_mongolian))


@hookimpl
def register_vocabularies(register):
    register(Vocabulary(CODE, ALPHABET))
