"""Hindi transcript normalization (Devanagari).

Devanagari has no case, but it has traps that Latin-script normalizers never meet:

* The nukta letters क़ ख़ ग़ ज़ ड़ ढ़ फ़ य़ (U+0958–U+095F) are Unicode composition exclusions:
  NFC does not compose them, it *decomposes* them into letter + U+093C NUKTA. Precomposed,
  NFC and NFD input must all give the same output, so the nukta is handled as a separate mark.
* The nukta is kept only after ड and ढ. ड़ and ढ़ are native flapped sounds whose spelling is
  fixed (पढ़ना, बड़ा, सड़क, सीढ़ी): without the dot the word is misspelt. On क ख ग ज फ the dot
  marks Persian, Arabic and English loan sounds (ज़रूर, फ़िल्म, क़ानून) that Hindi writers add or
  leave out at will, and many speakers pronounce the plain letter: Common Voice and FLEURS
  transcripts mix both spellings, so keeping that dot would score a spelling choice as a word
  error. It is dropped there (and on य़ ऩ ऱ ऴ, which are not Hindi letters).
* The danda । and double danda ॥ end sentences; they look just like "|", the CTC word
  delimiter, which transcripts also use in their place. All three become spaces.
* The virama ् is a combining mark but a letter of its own: it builds conjuncts (क्ष, ज्ञ, त्र,
  श्र) and a word without it is another word. It is kept, as are the vowel signs, anusvara ं,
  chandrabindu ँ and visarga ः: they are all pronounced.
* ZWJ and ZWNJ (U+200D, U+200C) only choose how a conjunct is drawn (half form or visible
  virama), never which word it is: they are removed, as are soft hyphens and word joiners.
* Digits, Devanagari ones (०–९) included, are not spelled out and not in the alphabet: the
  engine drops such rows, as intended.
* Hyphens become spaces: compounds and reduplications are written both ways (माता-पिता and
  माता पिता, धीरे-धीरे and धीरे धीरे). Hindi has no apostrophe inside words, so none is kept.
"""

import re
import unicodedata

NORMALIZER_VERSION = "1"

VOWELS = "अआइईउऊऋएऐओऔऑ"
CONSONANTS = "कखगघङचछजझञटठडढणतथदधनपफबभमयरलवशषसह"
NUKTA = "\u093c"
VOWEL_SIGNS = "ािीुूृेैोौॉ"
SIGNS = "ंँः्"  # anusvara, chandrabindu, visarga, virama
ALPHABET = (*VOWELS, *CONSONANTS, NUKTA, *VOWEL_SIGNS, *SIGNS)

# Removed without a trace: they change no sound and no word.
_DELETE = dict.fromkeys(
    map(
        ord,
        "\u200c\u200d"  # ZWNJ, ZWJ: glyph choice only
        "\u00ad\u2060\ufeff"  # soft hyphen, word joiner, zero-width no-break space
        "\u093d"  # avagraha ऽ: drawn-out vowels in exclamations (हाऽऽय), Sanskrit elision
        "\u0951\u0952\u0953\u0954",  # Vedic accents: not pronounced in Hindi
    )
)
# A nukta that does not follow ड or ढ (in NFD, where the composed ऩ ऱ ऴ come apart too).
_LOOSE_NUKTA = re.compile(f"(?<![डढ]){NUKTA}")


def _strip_leading_marks(word: str) -> str:
    """A mark cut off its letter by punctuation ("क-ि") has nothing to sit on: it goes."""
    start = 0
    while start < len(word) and unicodedata.category(word[start])[0] == "M":
        start += 1
    return word[start:]


def normalize_hindi(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    # Devanagari has no case; stray Latin or Cyrillic is lowered as everywhere (and then drops
    # the row, being out of the alphabet).
    text = text.lower()
    text = unicodedata.normalize("NFD", text).translate(_DELETE)
    text = _LOOSE_NUKTA.sub("", text)
    # Punctuation and symbols of every script (। ॥ | ॰ « » “ ” ? ! ...), odd spaces and control
    # characters become spaces.
    text = "".join(" " if unicodedata.category(c)[0] in "PSZC" else c for c in text)
    # ड़ and ढ़ stay letter + nukta under NFC (composition exclusions), as the alphabet holds them.
    text = unicodedata.normalize("NFC", text)
    words = (_strip_leading_marks(word) for word in text.split())
    return " ".join(word for word in words if word)
