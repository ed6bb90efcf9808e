"""asrzoo plugin for Japanese.

Japanese is written without spaces between words, so the normalizer removes every space and CER
is the metric that counts. espeak-ng's Japanese voice reads kana only (it spells a kanji out as
"Chinese letter"), so each line of sentences.txt is ``written form<TAB>reading in kana``: the
synthetic corpus speaks the reading and keeps the written form as the transcript. Readings are
phonetic, as the sentence is said: the particles は and へ as わ and え, long vowels with ー
(とうきょう as とーきょー), spaces between phrases for espeak-ng's phrasing.
"""

from pathlib import Path

from asrzoo import Language, Normalizer, Vocabulary, hookimpl
from asrzoo_ja.normalizer import ALPHABET, NORMALIZER_VERSION, normalize_japanese

CODE = "ja"


@hookimpl
def register_languages(register):
    register(
        Language(
            code=CODE,
            name="Japanese",
            iso639_3="jpn",
            script="Jpan",
            common_voice="ja",
            fleurs="ja_jp",
            espeak_voice="ja",
            sentences=Path(__file__).with_name("sentences.txt"),
            spaces_between_words=False,
        )
    )


@hookimpl
def register_normalizers(register):
    register(Normalizer(CODE, "asrzoo-ja/japanese", NORMALIZER_VERSION, normalize_japanese))


@hookimpl
def register_vocabularies(register):
    register(Vocabulary(CODE, ALPHABET))
