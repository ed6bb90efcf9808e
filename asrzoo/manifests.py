"""Reading manifests (CSV, TSV, JSONL) into rows, for every loader of a local format.

Nothing is lost silently: a line that is not valid UTF-8, not valid JSON, or lacks a value
becomes a row with a ``problem``, which the engine reports; every other line is used.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from asrzoo.errors import UserError
from asrzoo.plugin_objects import AudioRow

SPLIT_NAMES = {"train": "train", "validation": "validation", "valid": "validation",
               "val": "validation", "dev": "validation", "test": "test"}  # fmt: skip
UNDECODABLE = re.compile("[\udc80-\udcff]")  # what surrogateescape makes of bytes not in UTF-8


def path_option(options: Mapping, what: str = "FOLDER") -> Path:
    """The ``path`` loader option, which must name something that exists."""
    if not options.get("path"):
        raise UserError(f"this dataset needs -O path={what}")
    path = Path(str(options["path"])).expanduser()
    if not path.exists():
        raise UserError(f"{path} does not exist")
    return path


def split_name(value: str) -> str | None:
    """train / validation / test for the names corpora use (dev, valid, ...), else None."""
    return SPLIT_NAMES.get(value.strip().lower())


def read_records(
    path: Path,
    encoding: str = "utf-8",
    fieldnames: list[str] | None = None,
    quoting: int = csv.QUOTE_MINIMAL,
) -> Iterator[tuple[int, dict | str]]:
    """(line number, record or why it is unusable) for every data line of a .csv, .tsv (tab
    separated, whatever the suffix) or .jsonl file. ``fieldnames`` for files without a header."""
    try:
        text = path.read_bytes().decode(encoding, errors="surrogateescape")
    except LookupError as error:
        raise UserError(f"unknown encoding {encoding!r}") from error
    text = text.removeprefix("\ufeff")
    if path.suffix.lower() == ".jsonl":
        yield from _json_lines(text)
        return
    delimiter = "," if path.suffix.lower() == ".csv" else "\t"
    # newline="": quoted fields may hold line breaks, and only \r and \n end lines
    lines = io.StringIO(text, newline="")
    reader = csv.DictReader(lines, fieldnames=fieldnames, delimiter=delimiter, quoting=quoting)
    if reader.fieldnames is None:
        return
    if any(UNDECODABLE.search(name) for name in reader.fieldnames):
        raise UserError(f"the header of {path} is not {encoding} text")
    for record in reader:
        problem = _problem(record)
        yield reader.line_num, problem or record


def _json_lines(text: str) -> Iterator[tuple[int, dict | str]]:
    # only \n ends a line: a JSON string may hold U+2028, which splitlines() would cut at
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield number, f"invalid JSON: {error.msg}"
            continue
        if not isinstance(record, dict):
            yield number, "a JSON line that is not an object"
            continue
        yield number, _problem(record) or record


def _problem(record: Mapping) -> str | None:
    for column, value in record.items():
        if column is None:  # csv puts the surplus fields of a long row under None
            return f"more fields than columns ({len(value)} extra)"
        if isinstance(value, str) and UNDECODABLE.search(value):
            return f"not valid text in column {column!r} (wrong encoding?)"
    return None


@dataclass(frozen=True)
class Columns:
    """Which columns hold what; the first name present in the file is used."""

    audio: tuple[str, ...] = ("audio", "path", "file", "file_name", "audio_filepath", "wav")
    text: tuple[str, ...] = ("text", "sentence", "transcription", "transcript")
    split: tuple[str, ...] = ("split",)
    speaker: tuple[str, ...] = ("speaker", "speaker_id", "client_id")

    @classmethod
    def from_options(cls, options: Mapping) -> Columns:
        """``audio_column=...`` and so on override the defaults."""
        chosen = {
            name: (str(options[f"{name}_column"]),)
            for name in ("audio", "text", "split", "speaker")
            if options.get(f"{name}_column")
        }
        return cls(**chosen)

    def pick(self, header: set[str], what: str) -> str | None:
        return next((name for name in getattr(self, what) if name in header), None)


def manifest_rows(
    path: Path, options: Mapping, default_split: str = "train", name: str | None = None
) -> dict[str, list[AudioRow]]:
    """Rows of one manifest, by split; row ids are ``name:line`` (name: the file's). Audio paths
    are relative to the manifest's folder. Options: ``<audio|text|split|speaker>_column``,
    ``split`` (for a manifest without a split column) and ``encoding``."""
    columns = Columns.from_options(options)
    default_split = split_name(str(options.get("split", default_split))) or _bad_split(options)
    name = name or path.name
    splits: dict[str, list[AudioRow]] = defaultdict(list)
    chosen = None
    for number, record in read_records(path, str(options.get("encoding", "utf-8"))):
        row_id = f"{name}:{number}"
        if isinstance(record, str):
            splits[default_split].append(AudioRow(row_id, "", "", problem=record))
            continue
        if chosen is None:  # JSON lines may differ; the first usable one decides
            chosen = _choose_columns(columns, set(record), path)
        audio_column, text_column, split_column, speaker_column = chosen
        split = default_split
        if split_column and record.get(split_column):
            split = split_name(record[split_column])
            if split is None:
                problem = f"unknown split {record[split_column]!r}"
                splits[default_split].append(AudioRow(row_id, "", "", problem=problem))
                continue
        missing = [c for c in (audio_column, text_column) if record.get(c) in (None, "")]
        if missing:
            problem = f"no value in column {missing[0]!r}"
            splits[split].append(AudioRow(row_id, "", "", problem=problem))
            continue
        audio = str(path.parent / str(record[audio_column]))
        speaker = record.get(speaker_column) if speaker_column else None
        text = str(record[text_column])
        splits[split].append(AudioRow(row_id, audio, text, str(speaker) if speaker else None))
    return dict(splits)


def _choose_columns(columns: Columns, header: set[str], path: Path):
    audio, text = columns.pick(header, "audio"), columns.pick(header, "text")
    if audio is None or text is None:
        wanted = columns.audio if audio is None else columns.text
        raise UserError(
            f"{path} has no {'audio' if audio is None else 'text'} column: looked for"
            f" {', '.join(wanted)} (choose one with -O {'audio' if audio is None else 'text'}"
            f"_column=NAME); its columns are {', '.join(sorted(header))}"
        )
    return audio, text, columns.pick(header, "split"), columns.pick(header, "speaker")


def _bad_split(options) -> str:
    raise UserError(f"unknown split {options['split']!r}; use train, validation or test")
