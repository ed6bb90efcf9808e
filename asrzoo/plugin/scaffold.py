"""``asrzoo new-language``: a language plugin folder that passes the conformance suite as it is.

The alphabet, sentences and metadata come from the generic plugin (CLDR) when it knows the
language, or from the options; the author then sharpens the normalizer and writes real sentences.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from string import Template

from asrzoo.errors import UserError

TEMPLATES = Path(__file__).with_name("scaffold_template")
_CODE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")


@dataclass(frozen=True)
class LanguageDraft:
    code: str
    name: str
    iso639_3: str
    script: str
    alphabet: tuple[str, ...]
    sentences: list[str]
    espeak_voice: str | None
    spaces_between_words: bool = True


def draft_from_registry(registry, code: str) -> LanguageDraft:
    """What asrzoo already knows of ``code`` (the generic plugin's CLDR data, usually)."""
    language = registry.language(code)
    return LanguageDraft(
        code=code,
        name=language.name,
        iso639_3=language.iso639_3,
        script=language.script,
        alphabet=registry.vocabulary(code).alphabet,
        sentences=language.read_sentences(),
        espeak_voice=language.espeak_voice,
        spaces_between_words=language.spaces_between_words,
    )


def package_name(code: str) -> str:
    return "asrzoo_" + code.replace("-", "_").lower()


def write_plugin(draft: LanguageDraft, folder: Path) -> list[Path]:
    """Write the plugin into ``folder`` (which must not exist); returns the files written."""
    if not _CODE.fullmatch(draft.code):
        raise UserError(f"{draft.code!r} is not a language code (ISO 639, e.g. eo, yue, pt-BR)")
    if folder.exists():
        raise UserError(f"{folder} already exists")
    for what, value in (("--name", draft.name), ("--script", draft.script),
                        ("--iso639-3", draft.iso639_3)):  # fmt: skip
        if any(c in value for c in '"\\') or not value.isprintable():
            raise UserError(f"{what} {value!r}: no quotes, backslashes or line breaks")
    try:
        return _write(draft, folder)
    except BaseException:  # a failure halfway leaves no half-made plugin to trip over
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _write(draft: LanguageDraft, folder: Path) -> list[Path]:
    package = package_name(draft.code)
    values = {
        "code": draft.code,
        "name": draft.name,
        "package": package,
        "distribution": "asrzoo-" + draft.code.lower(),
        "iso639_3": draft.iso639_3,
        "script": draft.script,
        "espeak_voice": repr(draft.espeak_voice),
        "spaces_between_words": draft.spaces_between_words,
        "joiner": repr(" " if draft.spaces_between_words else ""),
        "alphabet": repr("".join(draft.alphabet)),
    }
    templates = sorted(TEMPLATES.rglob("*.tmpl"))
    # the tests are written last: their golden pairs come from the scaffolded normalizer
    tests = [t for t in templates if t.parent.name == "tests"]
    written = [_render(t, folder, values) for t in templates if t not in tests]
    normalize = _load_normalizer(folder / package / "normalizer.py")
    sentences = _usable_sentences(draft, normalize)
    values["golden"] = "\n".join(f"    ({f'«{s}»!'!r}, {normalize(s)!r})," for s in sentences[:3])
    written += [_render(t, folder, values) for t in tests]
    path = folder / package / "sentences.txt"
    path.write_text("\n".join(sentences) + "\n", encoding="utf-8")
    return [*written, path]


def _render(template: Path, folder: Path, values: dict) -> Path:
    relative = str(template.relative_to(TEMPLATES).with_suffix(""))
    target = folder / relative.replace("PACKAGE", values["package"]).replace("CODE", values["code"])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(Template(template.read_text("utf-8")).substitute(values), "utf-8")
    return target


def _load_normalizer(path: Path):
    spec = importlib.util.spec_from_file_location("scaffolded_normalizer", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.normalize


def _usable_sentences(draft: LanguageDraft, normalize) -> list[str]:
    """The draft's sentences that the scaffolded normalizer turns into distinct, non-empty,
    in-alphabet text."""
    allowed = set(draft.alphabet) | {" "}
    by_text: dict[str, str] = {}
    for sentence in draft.sentences:
        text = normalize(sentence)
        if text and set(text) <= allowed:
            by_text.setdefault(text, sentence)
    if not by_text:
        raise UserError(f"no usable sentences for {draft.code}: give --sentences FILE")
    return list(by_text.values())
