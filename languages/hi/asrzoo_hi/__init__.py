"""asrzoo plugin for Hindi."""

from pathlib import Path

from asrzoo import Language, Normalizer, Vocabulary, hookimpl
from asrzoo_hi.normalizer import ALPHABET, NORMALIZER_VERSION, normalize_hindi

CODE = "hi"


@hookimpl
def register_languages(register):
    register(
        Language(
            code=CODE,
            name="Hindi",
            iso639_3="hin",
            script="Deva",
            common_voice="hi",
            fleurs="hi_in",
            espeak_voice="hi",
            sentences=Path(__file__).with_name("sentences.txt"),
        )
    )


@hookimpl
def register_normalizers(register):
    register(Normalizer(CODE, "asrzoo-hi/hindi", NORMALIZER_VERSION, normalize_hindi))


@hookimpl
def register_vocabularies(register):
    register(Vocabulary(CODE, ALPHABET))
