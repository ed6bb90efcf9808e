"""asrzoo plugin for German."""

from pathlib import Path

from asrzoo import Language, Normalizer, Vocabulary, hookimpl
from asrzoo_de.normalizer import ALPHABET, NORMALIZER_VERSION, normalize_german

CODE = "de"


@hookimpl
def register_languages(register):
    register(
        Language(
            code=CODE,
            name="German",
            iso639_3="deu",
            script="Latn",
            common_voice="de",
            fleurs="de_de",
            espeak_voice="de",
            sentences=Path(__file__).with_name("sentences.txt"),
        )
    )


@hookimpl
def register_normalizers(register):
    register(Normalizer(CODE, "asrzoo-de/german", NORMALIZER_VERSION, normalize_german))


@hookimpl
def register_vocabularies(register):
    register(Vocabulary(CODE, ALPHABET))
