"""asrzoo plugin for Russian."""

from pathlib import Path

from asrzoo import Language, Normalizer, Vocabulary, hookimpl
from asrzoo_ru.normalizer import ALPHABET, NORMALIZER_VERSION, normalize_russian

CODE = "ru"


@hookimpl
def register_languages(register):
    register(
        Language(
            code=CODE,
            name="Russian",
            iso639_3="rus",
            script="Cyrl",
            common_voice="ru",
            fleurs="ru_ru",
            espeak_voice="ru",
            sentences=Path(__file__).with_name("sentences.txt"),
        )
    )


@hookimpl
def register_normalizers(register):
    register(Normalizer(CODE, "asrzoo-ru/russian", NORMALIZER_VERSION, normalize_russian))


@hookimpl
def register_vocabularies(register):
    register(Vocabulary(CODE, ALPHABET))
