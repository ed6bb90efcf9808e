"""The typed registry: the one place that calls plugin hooks.

The engine asks it for "language tr", "its normalizer", "its vocabulary", "its loaders".
Each hook implementation is called on its own, so a plugin that raises is recorded and removed,
and the others still count; two plugins registering the same thing at one priority stop only
what asks for that thing, with an error naming both.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TypeVar

from asrzoo.errors import UserError
from asrzoo.plugin.manager import PluginManager, load_plugins
from asrzoo.plugin.objects import (
    CURATED,
    DatasetLoader,
    Language,
    ModelFamily,
    ModelPreset,
    Normalizer,
    Vocabulary,
)

T = TypeVar("T")

MANIFEST_SUFFIXES = (".csv", ".tsv", ".jsonl")


class DuplicateRegistration(UserError):
    pass


# attribute: (hook, object type, the key it is registered under)
KINDS = {
    "languages": ("register_languages", Language, lambda lang: lang.code),
    "normalizers": ("register_normalizers", Normalizer, lambda n: n.language),
    "vocabularies": ("register_vocabularies", Vocabulary, lambda v: v.language),
    "dataset_loaders": ("register_dataset_loaders", DatasetLoader, lambda d: d.name),
    "model_families": ("register_model_families", ModelFamily, lambda f: f.name),
    "model_presets": ("register_model_presets", ModelPreset, lambda p: p.name),
}


class Registry:
    """What the plugins registered. On first use every registration hook runs; a plugin that
    raises in any of them is removed whole (none of its registrations count) and reported by
    ``asrzoo plugins``. Two registrations of one key at the same priority are a clash: the key
    is left out, and only what asks for it fails, with a message naming both plugins."""

    def __init__(self, pm: PluginManager | None = None):
        self.pm = pm or load_plugins()
        self._owners: dict[str, dict[str, str]] = {}
        self.clashes: dict[tuple[str, str], list[str]] = {}  # (kind, key): the plugins

    @cached_property
    def _registered(self) -> dict[str, dict]:
        # a plugin that fails in one hook is dropped and every hook runs again without it, so
        # that its registrations in the hooks that ran before are gone too
        for _ in range(len(self.pm.infos) + 1):
            failed = self.pm.failed()
            self._owners, self.clashes = {}, {}
            registered = {attr: self._collect(*kind) for attr, kind in KINDS.items()}
            if self.pm.failed() == failed:
                return registered
        raise AssertionError("unreachable: each pass removes a plugin or ends")

    def _collect(self, hook_name: str, kind: type[T], key: Callable[[T], str]) -> dict[str, T]:
        """Call every working plugin's implementation of a ``register_*`` hook; keep who
        registered what. Of two registrations under one key, the higher ``priority`` wins (a
        curated language plugin over the generic one)."""
        found: dict[str, T] = {}
        name = kind.__name__.lower()
        owner = self._owners.setdefault(name, {})
        clashing: dict[str, int] = {}  # key: the priority at which it clashes
        for impl in getattr(self.pm.hook, hook_name).get_hookimpls():
            plugin = impl.plugin_name
            if plugin in self.pm.failed():
                continue

            def register(obj, plugin=plugin):
                if not isinstance(obj, kind):
                    raise TypeError(f"{hook_name} expects {kind.__name__}, got {obj!r}")
                k, mine = key(obj), _priority(obj)
                if k in clashing:
                    if mine == clashing[k]:
                        self.clashes[name, k].append(plugin)
                    if mine <= clashing[k]:
                        return
                    del clashing[k], self.clashes[name, k]
                elif k in found and mine <= _priority(found[k]):
                    if mine == _priority(found[k]):
                        clashing[k], self.clashes[name, k] = mine, [owner.pop(k), plugin]
                        del found[k]
                    return
                found[k], owner[k] = obj, plugin

            try:
                impl.function(register=register)
            except Exception as error:  # reported by `asrzoo plugins`; the others still count
                self.pm.record_error(plugin, error)
        return found

    def owner(self, kind: str, key: str) -> str:
        """The plugin whose registration won: ``owner("language", "de")``; kind is language,
        normalizer or vocabulary."""
        self.collect_all()
        return self._owners[kind][key]

    @property
    def languages(self) -> dict[str, Language]:
        return self._registered["languages"]

    @property
    def normalizers(self) -> dict[str, Normalizer]:
        return self._registered["normalizers"]

    @property
    def vocabularies(self) -> dict[str, Vocabulary]:
        return self._registered["vocabularies"]

    @property
    def dataset_loaders(self) -> dict[str, DatasetLoader]:
        return self._registered["dataset_loaders"]

    @property
    def model_families(self) -> dict[str, ModelFamily]:
        return self._registered["model_families"]

    @property
    def model_presets(self) -> dict[str, ModelPreset]:
        return self._registered["model_presets"]

    def collect_all(self) -> None:
        """Run every registration hook, so that every plugin error is known."""
        self._registered  # noqa: B018

    def problems(self) -> list[str]:
        """One line per plugin that is not in force and per clash, for warnings."""
        self.collect_all()
        lines = [
            f"plugin {info.name} is not loaded: {info.error}"
            for info in self.pm.infos.values()
            if info.error is not None
        ]
        return lines + [clash_message(kind, key, plugins) for (kind, key), plugins in
                        self.clashes.items()]  # fmt: skip

    def _check_clash(self, kind: str, key: str) -> None:
        self.collect_all()
        if (kind, key) in self.clashes:
            raise DuplicateRegistration(clash_message(kind, key, self.clashes[kind, key]))

    def language(self, code: str) -> Language:
        self._check_clash("language", code)
        return _pick(self.languages, code, "language")

    def normalizer(self, code: str) -> Normalizer:
        self.language(code)
        self._check_clash("normalizer", code)
        if code not in self.normalizers:
            raise UserError(f"no plugin registers a normalizer for language {code!r}")
        return self.normalizers[code]

    def vocabulary(self, code: str) -> Vocabulary:
        self.language(code)
        self._check_clash("vocabulary", code)
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
        self._check_clash("datasetloader", dataset)
        return _pick(choices, dataset, what), {}

    def preset(self, name: str) -> ModelPreset:
        self._check_clash("modelpreset", name)
        return _pick(self.model_presets, name, "model preset")

    def family(self, name: str) -> ModelFamily:
        self._check_clash("modelfamily", name)
        return _pick(self.model_families, name, "model family")

    def family_for(self, config) -> ModelFamily:
        """The family of a transformers model config: of those serving its model_type (and
        whose ``detect`` accepts it), the one with the highest priority."""
        found = [
            f
            for f in self.model_families.values()
            if config.model_type in f.model_types and (f.detect is None or f.detect(config))
        ]
        if not found:
            known = ", ".join(
                sorted({t for f in self.model_families.values() for t in f.model_types})
            )
            raise UserError(
                f"no plugin registers a model family for {config.model_type!r} models"
                f" (families serve: {known or 'none'})"
            )
        return max(found, key=_priority)

    def register_commands(self, cli) -> None:
        self.collect_all()  # a plugin that failed elsewhere adds no commands either
        for impl in self.pm.hook.register_commands.get_hookimpls():
            if impl.plugin_name in self.pm.failed():
                continue
            try:
                impl.function(cli=cli)
            except Exception as error:
                self.pm.record_error(impl.plugin_name, error)
                self.__dict__.pop("_registered", None)  # collected again, without it


@lru_cache(maxsize=1)
def current_registry() -> Registry:
    """This process's registry: the plugins are loaded once."""
    return Registry()


def clash_message(kind: str, key: str, plugins: list[str]) -> str:
    names = {"datasetloader": "dataset loader", "modelpreset": "model preset",
             "modelfamily": "model family"}  # fmt: skip
    return (
        f"{names.get(kind, kind)} {key!r} is registered by {' and by '.join(sorted(plugins))} at"
        " the same priority: uninstall one (`asrzoo uninstall NAME`), or name the plugins to"
        " load in ASRZOO_LOAD_PLUGINS (comma-separated)"
    )


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
