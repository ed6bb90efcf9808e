"""asrzoo: fine-tune, evaluate and share CTC speech recognizers for any language.

This module is the plugin API: a plugin imports from ``asrzoo`` only (docs/plugin_hooks.md).
The plugin objects and ``hookimpl`` load at once; the helpers load on first use, so that a
command that needs no model does not import numpy, torch or transformers.
"""

import importlib

from asrzoo.errors import UserError
from asrzoo.plugin.hookspecs import hookimpl
from asrzoo.plugin.objects import (
    CURATED,
    GENERIC,
    AudioRow,
    DatasetLoader,
    Language,
    ModelFamily,
    ModelPreset,
    Normalizer,
    Vocabulary,
    sentence_pairs,
)

__version__ = "0.1.0"

# helper: the module it lives in, imported when first asked for
_HELPERS = {
    "BuiltModel": "asrzoo.models.build",
    "build_processor": "asrzoo.models.build",
    "build_tokenizer": "asrzoo.models.build",
    "ctc_settings": "asrzoo.models.build",
    "feature_extractor_for": "asrzoo.models.build",
    "load_pretrained": "asrzoo.models.build",
    "waveform_feature_extractor": "asrzoo.models.build",
    "DEFAULT_HYPERPARAMETERS": "asrzoo.models.recipes",
    "asrzoo_home": "asrzoo.paths",
    "data_dir": "asrzoo.paths",
    "write_atomic": "asrzoo.paths",
    "progress": "asrzoo.console",
    "stderr": "asrzoo.console",  # a rich Console: notes that are not the command's output
    "available_cpus": "asrzoo.data.parallel",
    "path_option": "asrzoo.data.manifests",
    "read_records": "asrzoo.data.manifests",
    "manifest_rows": "asrzoo.data.manifests",
    "split_name": "asrzoo.data.manifests",
    "read_text_lines": "asrzoo.data.manifests",
    "UNDECODABLE": "asrzoo.data.manifests",
    "current_registry": "asrzoo.plugin.registry",
    # for normalizers
    "APOSTROPHE_LOOKALIKES": "asrzoo.text",
    "apostrophes_between_letters": "asrzoo.text",
    "drop_format_characters": "asrzoo.text",
    "drop_marks": "asrzoo.text",
    "fold_foreign_letters": "asrzoo.text",
    "lookalikes_in_script_words": "asrzoo.text",
    "loose_apostrophes_to_spaces": "asrzoo.text",
    "strip_marks": "asrzoo.text",
    "unify_apostrophes": "asrzoo.text",
    "word_spans": "asrzoo.text",
    "words_only": "asrzoo.text",
    "words_with_apostrophes": "asrzoo.text",
}


def __getattr__(name: str):
    if name in _HELPERS:
        return getattr(importlib.import_module(_HELPERS[name]), name)
    raise AttributeError(f"module 'asrzoo' has no attribute {name!r}")


__all__ = [
    "CURATED",
    "GENERIC",
    "AudioRow",
    "DatasetLoader",
    "Language",
    "ModelFamily",
    "ModelPreset",
    "Normalizer",
    "UserError",
    "Vocabulary",
    "__version__",
    "hookimpl",
    "sentence_pairs",
    *_HELPERS,
]
