"""asrzoo plugin for Mandarin Chinese written in simplified characters (zh-CN)."""

from pathlib import Path

from asrzoo import Language, Normalizer, Vocabulary, hookimpl
from asrzoo_zh.normalizer import ALPHABET, NORMALIZER_VERSION, normalize_chinese

CODE = "zh"


@hookimpl
def register_languages(register):
    register(
        Language(
            code=CODE,
            name="Chinese",
            # Mandarin; the MMS adapter for simplified characters is "cmn-script_simplified"
            iso639_3="cmn",
            script="Hans",
            common_voice="zh-CN",
            fleurs="cmn_hans_cn",
            espeak_voice="cmn",
            sentences=Path(__file__).with_name("sentences.txt"),
            # Chinese is written without spaces: the normalizer removes them and CER counts
            spaces_between_words=False,
        )
    )


@hookimpl
def register_normalizers(register):
    register(Normalizer(CODE, "asrzoo-zh/chinese", NORMALIZER_VERSION, normalize_chinese))


@hookimpl
def register_vocabularies(register):
    register(Vocabulary(CODE, ALPHABET))
