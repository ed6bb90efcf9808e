"""The objects plugins register. Plain dataclasses, so that a plugin needs nothing but asrzoo."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from asrzoo.errors import UserError

if TYPE_CHECKING:
    from asrzoo.models.build import BuiltModel

# When two plugins register the same language (or its normalizer or vocabulary), the higher
# priority wins; equal priorities are an error. The generic plugin, which covers every language
# from Unicode CLDR data, registers at GENERIC, so that any curated plugin replaces it by design.
CURATED = 100
GENERIC = 0


@dataclass(frozen=True)
class Language:
    """A language and where data for it can be found."""

    code: str  # the code users type: "tr"
    name: str  # English name: "Turkish"
    iso639_3: str  # "tur"; also the MMS adapter code
    script: str  # ISO 15924: "Latn"
    common_voice: str | None = None  # Common Voice locale
    # the Mozilla Data Collective dataset (id or slug) of its Common Voice release, the default
    # of `--dataset common-voice`
    mdc_dataset: str | None = None
    fleurs: str | None = None  # FLEURS config, e.g. "tr_tr"
    espeak_voice: str | None = None  # espeak-ng voice name
    # UTF-8 text, one sentence per line, for synthetic speech and n-gram LMs. A line may give,
    # after a tab, the form to speak (kana for Japanese kanji, which espeak-ng cannot read).
    # A callable returning such lines serves plugins that generate their sentences.
    sentences: Path | Callable[[], list[str]] | None = None
    # False for scripts written without spaces between words (Chinese, Japanese, Thai): the
    # normalizer removes spaces, and CER is the metric that counts
    spaces_between_words: bool = True
    priority: int = CURATED

    def read_sentence_pairs(self) -> list[tuple[str, str]]:
        """(written, spoken) per sentence; spoken is the written form unless the line gives one."""
        if self.sentences is None:
            return []
        if callable(self.sentences):
            return sentence_pairs(self.sentences())
        return sentence_pairs(self.sentences.read_text(encoding="utf-8").splitlines())

    def read_sentences(self) -> list[str]:
        return [written for written, _ in self.read_sentence_pairs()]

    @property
    def primary_metric(self) -> str:
        return "wer" if self.spaces_between_words else "cer"


def sentence_pairs(lines: Iterable[str]) -> list[tuple[str, str]]:
    """Sentence lines, ``written`` or ``written<TAB>spoken``, as (written, spoken) pairs."""
    pairs = []
    for line in lines:
        written, _, spoken = line.partition("\t")
        if written.strip():
            pairs.append((written.strip(), spoken.strip() or written.strip()))
    return pairs


class NormalizerFailed(UserError):
    """A plugin's normalizer raised on one text."""


@dataclass(frozen=True)
class Normalizer:
    """Turns raw transcripts into the text a model learns. WER depends on it, so it is versioned."""

    language: str
    id: str  # stable name, e.g. "asrzoo-tr/turkish"
    version: str  # bump whenever the output for some input changes
    normalize: Callable[[str], str]
    priority: int = CURATED

    def __call__(self, text: str) -> str:
        """The normalized text. A plugin's normalizer that fails on one text raises
        NormalizerFailed (where it prepares rows, that row is reported and skipped); one that
        returns no text is a UserError: it would fail on every row."""
        try:
            normalized = self.normalize(text)
        except Exception as error:
            raise NormalizerFailed(f"{self.id} raised {type(error).__name__}: {error}") from error
        if not isinstance(normalized, str):
            raise UserError(
                f"the normalizer {self.id} (language {self.language}) returned"
                f" {type(normalized).__name__}, not text: fix the plugin"
            )
        return normalized


@dataclass(frozen=True)
class Vocabulary:
    """A fixed character vocabulary for CTC: never built from the data."""

    language: str
    alphabet: tuple[str, ...]  # single characters that may appear inside words
    word_delimiter: str = "|"
    unk: str = "[UNK]"
    pad: str = "[PAD]"  # also the CTC blank
    priority: int = CURATED

    def __post_init__(self):
        problems = [c for c in self.alphabet if len(c) != 1 or c.isspace()]
        if problems:
            raise ValueError(f"alphabet entries must be single non-space characters: {problems}")
        if self.word_delimiter in self.alphabet:
            raise ValueError(f"word delimiter {self.word_delimiter!r} is also in the alphabet")
        if len(set(self.alphabet)) != len(self.alphabet):
            raise ValueError("alphabet has duplicates")
        # Combining marks may be letters of their own (Devanagari's virama and nukta, which NFC
        # keeps apart); they must still be canonical: what NFC leaves unchanged.
        odd = [c for c in self.alphabet if unicodedata.normalize("NFC", c) != c]
        if odd:
            raise ValueError(f"alphabet has characters that NFC changes: {odd}")

    def token_to_id(self) -> dict[str, int]:
        tokens = [self.pad, self.unk, self.word_delimiter, *self.alphabet]
        return {token: i for i, token in enumerate(tokens)}

    def out_of_alphabet(self, text: str) -> set[str]:
        allowed = set(self.alphabet) | {" "}
        return {c for c in text if c not in allowed}

    def encode(self, text: str) -> list[int]:
        """CTC label ids of normalized text: what the model's tokenizer gives, without needing
        transformers (so data-preparation workers stay light)."""
        ids = self._ids
        unk = ids[self.unk]
        return [ids.get(self.word_delimiter if c == " " else c, unk) for c in text]

    @cached_property
    def _ids(self) -> dict[str, int]:
        return self.token_to_id()


@dataclass(frozen=True)
class AudioRow:
    """One utterance as a loader yields it; the engine decodes and checks it."""

    id: str  # a stable handle that a user can find again: file path, row number, clip id
    audio: str | Path | bytes  # a file path or the encoded bytes of an audio file
    text: str
    speaker: str | None = None
    problem: str | None = None  # set by a loader that already knows the row is unusable: reported
    span: tuple[float, float] | None = None  # (start, end) seconds: a segment of a longer file


@dataclass(frozen=True)
class DatasetLoader:
    """A named source of rows for the languages it supports.

    ``load(language, options)`` returns ``{split: iterable of AudioRow}`` with splits among
    train, validation and test.
    """

    name: str
    description: str
    supports: Callable[[Language], bool]
    load: Callable[[Language, Mapping[str, object]], Mapping[str, Iterable[AudioRow]]]
    # what a trained model records about its data (dataset id, config, revision, ...)
    describe: Callable[[Language, Mapping[str, object]], dict] = field(
        default=lambda language, options: {}
    )
    # a cheap key that changes whenever the rows do (a Hub dataset's fingerprint); without one,
    # the engine hashes every row's text and file
    fingerprint: Callable[[Language, Mapping[str, object]], str] | None = None
    # True for a local folder in this loader's format, so that ``--dataset FOLDER`` finds it
    detect: Callable[[Path], bool] | None = None


@dataclass(frozen=True)
class ModelPreset:
    """A named way to build a model and its processor for a vocabulary."""

    name: str
    description: str
    family: str  # the name of a registered ModelFamily
    build: Callable[[Vocabulary], BuiltModel]
    hyperparameters: Mapping[str, object] = field(default_factory=dict)
    base: str = ""  # the pretrained checkpoint it starts from (a Hub id); "" for random init


@dataclass(frozen=True, eq=False)  # one object per family: compared and hashed by identity
class ModelFamily:
    """A kind of transformers CTC model: how asrzoo recognises, builds, feeds, trains and saves
    it. Every field but the first three has a default that fits a wav2vec2-style model (raw
    16 kHz waveform in, convolutions counting the CTC frames, the whole model fine-tuned)."""

    name: str  # recorded in asrzoo.json and the zoo: "wav2vec2"
    description: str
    model_types: tuple[str, ...]  # the transformers ``config.model_type`` values it serves
    # a finer test of a config, for families that share a model_type (MMS is a wav2vec2 with
    # attention adapters); where several match, the highest priority wins
    detect: Callable[[object], bool] | None = None
    # the feature extractor of a checkpoint that ships none: ``config -> feature extractor``;
    # default: the normalized waveform (asrzoo.waveform_feature_extractor)
    feature_extractor: Callable[[object], object] | None = None
    processor_class: str = "Wav2Vec2Processor"  # its transformers processor class
    # CTC output frames for inputs of these many samples: ``(model, feature_extractor, lengths
    # tensor) -> tensor``; default: the model's own convolution arithmetic
    frames: Callable[[object, object, object], object] | None = None
    # how its pretrained checkpoints fine-tune (the keys of asrzoo.DEFAULT_HYPERPARAMETERS), and
    # the config changes passed to ``from_pretrained`` with them (dropouts, SpecAugment)
    hyperparameters: Mapping[str, object] = field(default_factory=dict)
    config: Mapping[str, object] = field(default_factory=dict)
    # more config changes when a pretrained encoder gets a new CTC head (w2v-BERT: its adapter)
    new_head_config: Mapping[str, object] = field(default_factory=dict)
    # False: a fine-tuned checkpoint's CTC head is never reused, even for the same vocabulary
    keeps_head: bool = True
    # after a model is built for a language: ``(built, vocabulary, language) -> built`` (MMS:
    # freeze the base, ready that language's adapters)
    ready: Callable[[BuiltModel, Vocabulary, Language], BuiltModel] | None = None
    # after a trained folder is loaded: ``(built) -> None`` (MMS: load the folder's language)
    loaded: Callable[[BuiltModel], None] | None = None
    # files saved beside the model and processor: ``(built, folder) -> None``
    save: Callable[[BuiltModel, Path], None] | None = None
    trains: str = ""  # what trains, for `asrzoo presets`; default "all" or "all but CNN"
    priority: int = CURATED
