"""Common Voice: a release folder as downloaded from Mozilla, or a dataset on the Hugging Face Hub.

A release folder is ``<locale>/`` with train.tsv, dev.tsv, test.tsv, validated.tsv, ... and
``clips/*.mp3``. Its official splits are used, or (``-O splits=validated``) custom speaker-disjoint
splits of validated.tsv, with train rows that share a sentence with validation or test dropped.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from pathlib import Path

from asrzoo import AudioRow, UserError, path_option, read_records
from asrzoo_corpora.splits import fractions, speaker_split

OFFICIAL = {"train": "train.tsv", "validation": "dev.tsv", "test": "test.tsv"}


def locale_folder(language, options) -> Path:
    """The folder of the language's clips: the given one, or its ``<locale>/`` subfolder (a
    release as downloaded, ``cv-corpus-N/<locale>/``)."""
    folder = path_option(options)
    if (folder / "clips").is_dir():
        return folder
    locales = sorted(sub.name for sub in _locales(folder))
    if not locales:
        raise UserError(f"{folder} is not a Common Voice release folder (no clips/ folder)")
    if language.common_voice not in locales:
        raise UserError(
            f"{folder} is a Common Voice release without {language.code}"
            f" ({language.common_voice or 'no Common Voice locale'}); it holds {', '.join(locales)}"
        )
    return folder / language.common_voice


def _is_locale(folder: Path) -> bool:
    return (folder / "clips").is_dir() and (folder / "validated.tsv").is_file()


def _locales(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return [sub for sub in folder.iterdir() if sub.is_dir() and _is_locale(sub)]


def detect(folder: Path) -> bool:
    """A locale's folder, or a release's top folder that holds locales."""
    return _is_locale(folder) or bool(_locales(folder))


def _rows(folder: Path, tsv: str, min_upvotes: int):
    """(row, sentence) for every line of one of the release's TSV files."""
    path = folder / tsv
    if not path.is_file():
        raise UserError(f"{path} is missing")
    # Common Voice's TSVs are not quoted: a sentence may hold any quote character
    for number, record in read_records(path):
        if isinstance(record, str):
            yield AudioRow(f"{tsv}:{number}", "", "", problem=record), ""
            continue
        clip, sentence = record.get("path"), record.get("sentence")
        if not clip or sentence is None:
            yield AudioRow(f"{tsv}:{number}", "", "", problem="no path or sentence"), ""
            continue
        problem = None
        votes = record.get("up_votes") or "0"
        if min_upvotes and (not votes.isdigit() or int(votes) < min_upvotes):
            problem = f"fewer than {min_upvotes} up-votes"
        audio = str(folder / "clips" / clip)
        yield AudioRow(clip, audio, sentence, record.get("client_id"), problem), sentence


def upvotes_option(options) -> int:
    value = str(options.get("min_upvotes", 0))
    if not value.isdigit():
        raise UserError(f"-O min_upvotes= takes a whole number, not {value!r}")
    return int(value)


def load_release(language, options):
    folder = locale_folder(language, options)
    least = upvotes_option(options)
    choice = options.get("splits", "official")
    if choice == "official":
        return {
            split: [row for row, _ in _rows(folder, tsv, least)] for split, tsv in OFFICIAL.items()
        }
    if choice != "validated":
        raise UserError(f"splits={choice!r}: use official or validated")
    validation, test = fractions(options)
    splits: dict[str, list] = defaultdict(list)
    held_out: set[str] = set()  # sentences of validation and test
    train: list[tuple[AudioRow, str]] = []
    for row, sentence in _rows(folder, "validated.tsv", least):
        split = speaker_split(row.speaker or row.id, validation, test)
        if split == "train":
            train.append((row, sentence))
        else:
            splits[split].append(row)
            held_out.add(sentence)
    for row, sentence in train:
        if sentence in held_out and not row.problem:
            row = dataclasses.replace(row, problem="sentence is in a held-out split")
        splits["train"].append(row)
    return dict(splits)


def describe_release(language, options):
    return {
        "dataset": "common-voice-release",
        "folder": str(locale_folder(language, options)),
        "splits": options.get("splits", "official"),
        "min_upvotes": upvotes_option(options),
    }
