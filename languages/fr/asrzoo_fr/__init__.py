"""asrzoo plugin for French."""

from pathlib import Path

from asrzoo import Language, Normalizer, Vocabulary, hookimpl
from asrzoo_fr.normalizer import ALPHABET, NORMALIZER_VERSION, normalize_french

CODE = "fr"


@hookimpl
def register_languages(register):
    register(
        Language(
            code=CODE,
            name="French",
            iso639_3="fra",
            script="Latn",
            common_voice="fr",
            fleurs="fr_fr",
            espeak_voice="fr",
            sentences=Path(__file__).with_name("sentences.txt"),
        )
    )


@hookimpl
def register_normalizers(register):
    register(Normalizer(CODE, "asrzoo-fr/french", NORMALIZER_VERSION, normalize_french))


@hookimpl
def register_vocabularies(register):
    register(Vocabulary(CODE, ALPHABET))
