"""asrzoo plugin for Swahili."""

from pathlib import Path

from asrzoo import Language, Normalizer, Vocabulary, hookimpl
from asrzoo_sw.normalizer import ALPHABET, NORMALIZER_VERSION, normalize_swahili

CODE = "sw"


@hookimpl
def register_languages(register):
    register(
        Language(
            code=CODE,
            name="Swahili",
            # the individual language (Kiswahili proper) rather than the macrolanguage "swa":
            # "swh" is the code of the MMS adapter (facebook/mms-1b-all, adapter.swh)
            iso639_3="swh",
            script="Latn",
            common_voice="sw",
            fleurs="sw_ke",
            espeak_voice="sw",
            sentences=Path(__file__).with_name("sentences.txt"),
        )
    )


@hookimpl
def register_normalizers(register):
    register(Normalizer(CODE, "asrzoo-sw/swahili", NORMALIZER_VERSION, normalize_swahili))


@hookimpl
def register_vocabularies(register):
    register(Vocabulary(CODE, ALPHABET))
