"""asrzoo plugin for Turkish."""

from pathlib import Path

from asrzoo import Language, Normalizer, Vocabulary, hookimpl
from asrzoo_tr.normalizer import ALPHABET, NORMALIZER_VERSION, normalize_turkish

CODE = "tr"


@hookimpl
def register_languages(register):
    register(
        Language(
            code=CODE,
            name="Turkish",
            iso639_3="tur",
            script="Latn",
            common_voice="tr",
            fleurs="tr_tr",
            espeak_voice="tr",
            sentences=Path(__file__).with_name("sentences.txt"),
        )
    )


@hookimpl
def register_normalizers(register):
    register(Normalizer(CODE, "asrzoo-tr/turkish", NORMALIZER_VERSION, normalize_turkish))


@hookimpl
def register_vocabularies(register):
    register(Vocabulary(CODE, ALPHABET))
