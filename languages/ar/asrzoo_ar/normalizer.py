"""Arabic transcript normalization.

Arabic has no letter case; its traps are elsewhere:

* Short vowels and other marks (tashkeel: harakat U+064B–U+065F, superscript alef U+0670, the
  Quranic annotation marks) are optional. Most text omits them, some (Quran, children's books,
  a few Common Voice prompts) has them, and the audio is the same: they are removed, so that a
  model learns the consonantal spelling that everyday text uses.
* Tatweel (kashida, U+0640) only stretches a word on the page: removed.
* Hamza on alef (أ إ آ, and alef wasla ٱ) is written inconsistently, often dropped in informal
  text ("احمد" for "أحمد"): all alef variants become a bare alef ا. Hamza on waw and yeh (ؤ ئ)
  and the standalone hamza ء are written consistently and kept.
* ى (alef maksura) and ي (yeh), ة (teh marbuta) and ه (heh) are KEPT distinct. Merging them is a
  common IR trick, but they are different letters with different sounds and meanings (على "on" /
  علي "Ali"; مدرسة "school" / مدرسه "his teacher"); merging would hide real errors. Egyptian text
  (FLEURS ar_eg) often writes final ي as ى: that is left to the model, not papered over here.
* Text typed on Persian or Urdu keyboards uses lookalike code points: Persian keheh ک, Farsi yeh
  ی, Urdu heh goal ہ, heh doachashmee ھ, heh with yeh ۀ. They render (almost) the same and are
  mapped to the Arabic letters ك ي ه ة, as are the high-hamza letters ٵ ٶ ٸ.
* Presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFF: contextual glyphs such as ﻻ ﺍ ﷲ that old
  PDFs and some fonts produce) are replaced by their NFKC compatibility letters.
* ڤ (veh) and پ (peh) spell v and p in loanwords; standard Arabic writes them ف and ب (فيتامين,
  باريس), so they are folded. چ گ ژ ڨ are ambiguous (ج, ك, ق or a digraph, by region), so they
  are left alone: a transcript with them falls outside the alphabet and is dropped.
* Arabic punctuation (، ؛ ؟ « » ۔ ٪ ٫ ٬ ﴾ ﴿) is punctuation: it becomes a space, like Latin
  punctuation and every other Unicode punctuation or symbol. Arabic keeps neither apostrophe nor
  hyphen inside words, so both become spaces too.
* Arabic-Indic (٠–٩) and Persian (۰–۹) digits are digits, like 0–9: kept as they are, outside the
  alphabet, so the engine drops such rows instead of guessing how the number was read.
* Invisible joiners and direction marks (ZWJ, ZWNJ, LRM, RLM, ALM, bidi embeddings) sit inside or
  between words in copied web text; they are deleted, not turned into spaces, so they never split
  a word. A zero-width space is a word break and becomes a space.
"""

import re
import unicodedata

NORMALIZER_VERSION = "1"

# The 28 letters of the abjad plus hamza and its seats on waw and yeh, teh marbuta and alef
# maksura. No alef variant but the bare ا (they are folded), no digits, no apostrophe, no hyphen.
LETTERS = "ءؤئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي"
ALPHABET = tuple(LETTERS)

_ALEF = "\u0627"
_FOLD = str.maketrans(
    {
        # every alef that carries a hamza or madda, and alef wasla: written inconsistently
        "\u0622": _ALEF,  # آ alef with madda above
        "\u0623": _ALEF,  # أ alef with hamza above
        "\u0625": _ALEF,  # إ alef with hamza below
        "\u0671": _ALEF,  # ٱ alef wasla
        "\u0672": _ALEF,  # ٲ alef with wavy hamza above
        "\u0673": _ALEF,  # ٳ alef with wavy hamza below
        "\u0675": _ALEF,  # ٵ high hamza alef
        # high-hamza letters (Kazakh-style) are hamza seats
        "\u0674": "\u0621",  # ٴ high hamza → ء
        "\u0676": "\u0624",  # ٶ high hamza waw → ؤ
        "\u0677": "\u0624",  # ٷ u with hamza above → ؤ
        "\u0678": "\u0626",  # ٸ high hamza yeh → ئ
        # Persian and Urdu keyboard lookalikes
        "\u06a9": "\u0643",  # ک keheh → ك
        "\u06cc": "\u064a",  # ی farsi yeh → ي
        "\u06c1": "\u0647",  # ہ heh goal → ه
        "\u06be": "\u0647",  # ھ heh doachashmee → ه
        "\u06c0": "\u0629",  # ۀ heh with yeh above → ة
        "\u06c2": "\u0629",  # ۂ heh goal with hamza above → ة
        "\u06c3": "\u0629",  # ۃ teh marbuta goal → ة
        # loanword letters with an unambiguous standard spelling
        "\u06a4": "\u0641",  # ڤ veh → ف
        "\u067e": "\u0628",  # پ peh → ب
    }
)

# Deleted, not spaced: tatweel and invisible format characters that can sit inside a word.
_DELETE = re.compile("[\u0640\u00ad\u061c\u200c-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069]")
_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]+")


def _presentation_to_letters(match: re.Match) -> str:
    return unicodedata.normalize("NFKC", match.group())


def normalize_arabic(text: str) -> str:
    # NFC first: it composes a letter and a separate hamza or madda (ا + ٔ → أ, و + ٔ → ؤ) that
    # would otherwise be lost with the other marks.
    text = unicodedata.normalize("NFC", _DELETE.sub("", text))
    text = _PRESENTATION_FORMS.sub(_presentation_to_letters, text)
    text = unicodedata.normalize("NFC", _DELETE.sub("", text))
    # Arabic has no case; lower() is for foreign letters, which the alphabet then rejects.
    text = text.lower().translate(_FOLD)
    # Every letter of the alphabet is a single precomposed code point, so any combining mark left
    # (tashkeel, superscript alef, Quranic marks, a hamza NFC could not attach) is dropped.
    text = "".join(c for c in text if unicodedata.category(c)[0] != "M")
    # Punctuation and symbols of every script (، ؛ ؟ « » ... and the Latin ones), separators and
    # the remaining controls are word breaks.
    text = "".join(" " if unicodedata.category(c)[0] in "PSZC" else c for c in text)
    # Dropping marks can only bring together what NFC would join (Hangul jamo): keep it canonical.
    return unicodedata.normalize("NFC", " ".join(text.split()))
