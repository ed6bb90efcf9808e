"""The typed registry: the one place that calls plugin hooks.

The engine asks it for "language tr", "its normalizer", "its vocabulary", "its loaders".
Each hook implementation is called on its own, so a plugin that raises is recorded and the
others still count; two plugins registering the same thing is an error naming both.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from asrzoo.errors import UserError
from asrzoo.plugin_objects import (
    CURATED,
    DatasetLoader,
    Language,
    ModelPreset,
    Normalizer,
    Vocabulary,
)
from asrzoo.plugins import PluginManager, load_plugins

T = TypeVar("T")

MANIFEST_SUFFIXES = (".csv", ".tsv", ".jsonl")


class DuplicateRegistration(UserError):
    pass


class Registry:
    def __init__(self, pm: PluginManager | None = None):
        self.pm = pm or load_plugins()
        self._owners: dict[str, dict[str, str]] = {}

    def _collect(self, hook_name: str, kind: type[T], key: Callable[[T], str]) -> dict[str, T]:
        """Call every plugin's implementation of a ``register_*`` hook; keep who registered what.

        Of two registrations under one key, the higher ``priority`` wins (a curated language
        plugin over the generic one); two at the same priority are an error naming both."""
        found: dict[str, T] = {}
        owner = self._owners.setdefault(kind.__name__.lower(), {})
        for impl in getattr(self.pm.hook, hook_name).get_hookimpls():
            plugin = impl.plugin_name

            def register(obj, plugin=plugin):
                if not isinstance(obj, kind):
                    raise TypeError(f"{hook_name} expects {kind.__name__}, got {obj!r}")
                k = key(obj)
                if k in found:
                    mine, theirs = _priority(obj), _priority(found[k])
                    if mine == theirs:
                        raise DuplicateRegistration(
                            f"{kind.__name__} {k!r} is registered twice: by {owner[k]} and by "
                            f"{plugin}"
                        )
                    if mine < theirs:
                        return
                found[k], owner[k] = obj, plugin

            try:
                impl.function(register=register)
            except DuplicateRegistration:
                raise
            except Exception as error:  # reported by `asrzoo plugins`; the others still count
                self.pm.record_error(plugin, error)
        return found

    def owner(self, kind: str, key: str) -> str:
        """The plugin whose registration won: ``owner("language", "de")``; kind is language,
        normalizer or vocabulary."""
        getattr(
            self, {"language": "languages", "normalizer": "normalizers"}.get(kind, "vocabularies")
        )
        return self._owners[kind][key]

    @cached_property
    def languages(self) -> dict[str, Language]:
        return self._collect("register_languages", Language, lambda lang: lang.code)

    @cached_property
    def normalizers(self) -> dict[str, Normalizer]:
        return self._collect("register_normalizers", Normalizer, lambda n: n.language)

    @cached_property
    def vocabularies(self) -> dict[str, Vocabulary]:
        return self._collect("register_vocabularies", Vocabulary, lambda v: v.language)

    @cached_property
    def dataset_loaders(self) -> dict[str, DatasetLoader]:
        return self._collect("register_dataset_loaders", DatasetLoader, lambda d: d.name)

    @cached_property
    def model_presets(self) -> dict[str, ModelPreset]:
        return self._collect("register_model_presets", ModelPreset, lambda p: p.name)

    def collect_all(self) -> None:
        """Run every registration hook, so that every plugin error is known."""
        for name in (
            "languages",
            "normalizers",
            "vocabularies",
            "dataset_loaders",
            "model_presets",
        ):
            getattr(self, name)

    def language(self, code: str) -> Language:
        return _pick(self.languages, code, "language")

    def normalizer(self, code: str) -> Normalizer:
        self.language(code)
        if code not in self.normalizers:
            raise UserError(f"no plugin registers a normalizer for language {code!r}")
        return self.normalizers[code]

    def vocabulary(self, code: str) -> Vocabulary:
        self.language(code)
        if code not in self.vocabularies:
            raise UserError(f"no plugin registers a vocabulary for language {code!r}")
        return self.vocabularies[code]

    def loaders(self, code: str) -> dict[str, DatasetLoader]:
        language = self.language(code)
        return {n: d for n, d in self.dataset_loaders.items() if d.supports(language)}

    def loader(self, code: str, dataset: str) -> tuple[DatasetLoader, dict]:
        """Resolve ``--dataset``: a loader name, a local manifest, or a folder in a format some
        loader recognises (Kaldi, audiofolder, a Common Voice release, ...)."""
        path = Path(dataset)
        if path.suffix.lower() in MANIFEST_SUFFIXES:
            if not path.is_file():
                raise UserError(f"manifest {dataset!r} does not exist")
            return self.dataset_loaders["manifest"], {"path": str(path.resolve())}
        choices = self.loaders(code)
        if dataset not in choices and path.is_dir():
            found = [d for d in choices.values() if d.detect and d.detect(path)]
            if not found:
                formats = ", ".join(sorted(n for n, d in choices.items() if d.detect))
                raise UserError(f"{dataset} is in no format asrzoo knows ({formats})")
            return found[0], {"path": str(path.resolve())}
        what = f"dataset for language {code!r} (or a {'/'.join(MANIFEST_SUFFIXES)} manifest)"
        return _pick(choices, dataset, what), {}

    def preset(self, name: str) -> ModelPreset:
        return _pick(self.model_presets, name, "model preset")

    def register_commands(self, cli) -> None:
        for impl in self.pm.hook.register_commands.get_hookimpls():
            try:
                impl.function(cli=cli)
            except Exception as error:
                self.pm.record_error(impl.plugin_name, error)


def _priority(obj) -> int:
    return getattr(obj, "priority", CURATED)


LISTED_CHOICES = 30  # more than this (languages: hundreds) are suggested, not listed


def _pick(choices: dict[str, T], name: str, what: str) -> T:
    if name in choices:
        return choices[name]
    if len(choices) <= LISTED_CHOICES:
        valid = ", ".join(sorted(choices)) or "none installed"
        raise UserError(f"unknown {what} {name!r}; choose one of: {valid}")
    close = difflib.get_close_matches(name, list(choices), n=5, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    raise UserError(f"unknown {what} {name!r}; {hint}({len(choices)} known)")
