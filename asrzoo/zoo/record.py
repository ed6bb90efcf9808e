"""The one record of a trained model: what its ``asrzoo.json`` holds (with its metrics and
training log beside), what its zoo row stores and what its model card tells."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

MULTIPLE = "mul"  # ISO 639-3's code for several languages: the language of a multilingual model


@dataclass
class ModelRecord:
    id: str
    language: str
    family: str
    base_model: str  # the preset, Hub id or folder it started from
    path: str  # where the model is on this machine (never published)
    dataset: dict  # its name, the loader's description of it, the loader options
    normalizer_id: str  # the normalizer its labels and scores went through
    normalizer_version: str
    vocabulary: dict  # token -> id
    hyperparameters: dict = field(default_factory=dict)
    training: dict = field(default_factory=dict)  # steps, seconds, audio hours, rows, ...
    parameters: int = 0
    size_bytes: int = 0  # of its weights
    versions: dict = field(default_factory=dict)  # of asrzoo, its libraries and plugins
    kind: str = "asr"  # a speech recognizer; "lid": a language identifier; "pretrained": no head
    languages: list = field(default_factory=list)  # all it covers: [language] for "asr"

    def __post_init__(self):
        self.languages = list(self.languages or [self.language])

    @classmethod
    def from_metadata(cls, metadata: dict, **changes) -> ModelRecord:
        """The record in an ``asrzoo.json`` (which holds more: metrics, the training log)."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in {**metadata, **changes}.items() if k in known})

    def as_dict(self) -> dict:
        return asdict(self)
