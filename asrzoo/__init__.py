"""asrzoo: fine-tune, evaluate and share CTC speech recognizers for any language."""

from asrzoo.errors import UserError
from asrzoo.plugin_objects import (
    AudioRow,
    DatasetLoader,
    Language,
    ModelPreset,
    Normalizer,
    Vocabulary,
)

__version__ = "0.1.0"

__all__ = [
    "AudioRow",
    "DatasetLoader",
    "Language",
    "ModelPreset",
    "Normalizer",
    "UserError",
    "Vocabulary",
    "__version__",
]
