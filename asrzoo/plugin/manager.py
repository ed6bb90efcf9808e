"""The plugin manager: built-in plugins and the entry-point group ``asrzoo``, loaded alike.

A plugin that fails to import is recorded with its error and the rest still load.
``ASRZOO_LOAD_PLUGINS=a,b`` loads only the named entry points (an empty value: none).
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
from dataclasses import dataclass

import pluggy

from asrzoo.plugin import hookspecs

ENTRY_POINT_GROUP = "asrzoo"
DEFAULT_PLUGINS = {  # name shown in `asrzoo plugins` -> module
    "asrzoo.manifest": "asrzoo.default_plugins.manifest",
    "asrzoo.audiofolder": "asrzoo.default_plugins.audiofolder",
    "asrzoo.kaldi": "asrzoo.default_plugins.kaldi",
    "asrzoo.audio-files": "asrzoo.default_plugins.audio_files",
    "asrzoo.families": "asrzoo.default_plugins.families",
    "asrzoo.presets": "asrzoo.default_plugins.presets",
}


@dataclass
class PluginInfo:
    name: str
    version: str | None
    hooks: list[str]
    error: str | None = None  # why it failed to load or to register

    @property
    def status(self) -> str:
        return "ok" if self.error is None else f"error: {self.error}"


class PluginManager(pluggy.PluginManager):
    def __init__(self):
        super().__init__("asrzoo")
        self.add_hookspecs(hookspecs)
        self.infos: dict[str, PluginInfo] = {}

    def failed(self) -> set[str]:
        """The plugins that failed to import or raised in a hook: none of their hooks count."""
        return {name for name, info in self.infos.items() if info.error is not None}

    def record_error(self, name: str, error: BaseException) -> None:
        info = self.infos.setdefault(name, PluginInfo(name, None, []))
        if info.error is None:
            info.error = f"{type(error).__name__}: {error}"

    def add(self, module, name: str, version: str | None) -> None:
        """Register ``module``; a hook name that matches no spec is an error, not a silent no-op."""
        self.register(module, name=name)
        callers = self.get_hookcallers(module) or []
        unknown = sorted(caller.name for caller in callers if not caller.has_spec())
        if unknown:
            self.unregister(module)
            raise pluggy.PluginValidationError(module, f"unknown hooks: {', '.join(unknown)}")
        self.infos[name] = PluginInfo(name, version, sorted(caller.name for caller in callers))


def _selected(name: str) -> bool:
    only = os.environ.get("ASRZOO_LOAD_PLUGINS")
    return only is None or name in [n.strip() for n in only.split(",") if n.strip()]


def load_plugins() -> PluginManager:
    pm = PluginManager()
    for name, module_name in DEFAULT_PLUGINS.items():
        pm.add(importlib.import_module(module_name), name, None)
    for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if not _selected(entry_point.name):
            continue
        version = entry_point.dist.version if entry_point.dist else None
        if entry_point.name in pm.infos:
            dist = entry_point.dist.name if entry_point.dist else entry_point.value
            pm.infos[f"{entry_point.name} ({dist})"] = PluginInfo(
                entry_point.name, version, [], f"the plugin name {entry_point.name!r} is taken"
            )
            continue
        try:
            pm.add(entry_point.load(), entry_point.name, version)
        except Exception as error:  # a broken plugin must not take the others down
            pm.infos[entry_point.name] = PluginInfo(entry_point.name, version, [])
            pm.record_error(entry_point.name, error)
    return pm
