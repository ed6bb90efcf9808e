"""The hooks through which plugins teach asrzoo languages, data and models.

Every hook takes a ``register`` callback (or the CLI group) owned by the engine, which records
which plugin registered what. Document each hook in docs/plugin_hooks.md.
"""

import pluggy

hookspec = pluggy.HookspecMarker("asrzoo")
hookimpl = pluggy.HookimplMarker("asrzoo")


@hookspec
def register_languages(register):
    """Register languages: call ``register(Language(...))`` once per language."""


@hookspec
def register_normalizers(register):
    """Register text normalizers: call ``register(Normalizer(...))``, at most one per language."""


@hookspec
def register_vocabularies(register):
    """Register character vocabularies: call ``register(Vocabulary(...))``, one per language."""


@hookspec
def register_dataset_loaders(register):
    """Register dataset loaders: call ``register(DatasetLoader(...))``; names are unique."""


@hookspec
def register_model_families(register):
    """Register model families: call ``register(ModelFamily(...))``; names are unique."""


@hookspec
def register_model_presets(register):
    """Register model presets: call ``register(ModelPreset(...))``; names are unique."""


@hookspec
def register_commands(cli):
    """Add commands to the ``asrzoo`` command line: ``cli`` is its ``click.Group``."""
