"""asrzoo plugin for Spanish."""

from pathlib import Path

from asrzoo import Language, Normalizer, Vocabulary, hookimpl
from asrzoo_es.normalizer import ALPHABET, NORMALIZER_VERSION, normalize_spanish

CODE = "es"


@hookimpl
def register_languages(register):
    register(
        Language(
            code=CODE,
            name="Spanish",
            iso639_3="spa",
            script="Latn",
            common_voice="es",
            fleurs="es_419",
            espeak_voice="es",
            sentences=Path(__file__).with_name("sentences.txt"),
        )
    )


@hookimpl
def register_normalizers(register):
    register(Normalizer(CODE, "asrzoo-es/spanish", NORMALIZER_VERSION, normalize_spanish))


@hookimpl
def register_vocabularies(register):
    register(Vocabulary(CODE, ALPHABET))
