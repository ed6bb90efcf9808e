"""asrzoo plugin for Arabic (Modern Standard Arabic in Arabic script)."""

from pathlib import Path

from asrzoo import Language, Normalizer, Vocabulary, hookimpl
from asrzoo_ar.normalizer import ALPHABET, NORMALIZER_VERSION, normalize_arabic

CODE = "ar"


@hookimpl
def register_languages(register):
    register(
        Language(
            code=CODE,
            name="Arabic",
            iso639_3="ara",
            script="Arab",
            common_voice="ar",
            fleurs="ar_eg",
            espeak_voice="ar",
            sentences=Path(__file__).with_name("sentences.txt"),
        )
    )


@hookimpl
def register_normalizers(register):
    register(Normalizer(CODE, "asrzoo-ar/arabic", NORMALIZER_VERSION, normalize_arabic))


@hookimpl
def register_vocabularies(register):
    register(Vocabulary(CODE, ALPHABET))
