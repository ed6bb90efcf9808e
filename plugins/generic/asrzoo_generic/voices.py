"""espeak-ng's voices, where asrzoo-synthetic's espeak-ng data is installed."""

from __future__ import annotations

import os
import re
from functools import lru_cache

# espeak-ng names Mandarin otherwise than CLDR does
ALIASES = {"cmn": "zh"}
# a language, or a language of a country or region (pt-BR, es-419); not spellings such as
# cmn-Latn-pinyin, nor espeak-ng's private variants (-x-)
_TAG = re.compile(r"[a-z]{2,3}(-[A-Z]{2}|-419)?")
# invented languages of fiction and of espeak-ng's own tests
_FICTION = {"qya", "sjn", "piqd", "qdb", "py", "xex"}


@lru_cache(maxsize=1)
def voices() -> dict[str, str]:
    """{language code: espeak-ng voice}, from the voice files espeak-ng reads."""
    try:
        import espeakng_loader
    except ImportError:
        return {}
    root = os.path.join(espeakng_loader.get_data_path(), "lang")
    found = {}
    for _, _, files in os.walk(root):
        for name in files:
            code = ALIASES.get(name, name)
            if _TAG.fullmatch(code) and code not in _FICTION:
                found[code] = name
    return found
