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
from asrzoo.plugin.objects import AudioRow

SPLIT_NAMES = {"train": "train", "validation": "validation", "valid": "validation",
               "val": "validation", "dev": "validation", "test": "test"}  # fmt: skip
# what surrogateescape makes of bytes not in UTF-8, and the lone surrogates JSON can spell
UNDECODABLE = re.compile("[\ud800-\udfff]")


def path_option(options: Mapping, what: str = "FOLDER") -> Path:
    """The ``path`` loader option, which must name something that exists."""
    if not options.get("path"):
        raise UserError(f"this dataset needs -O path={what}")
    path = Path(str(options["path"])).expanduser()
    if not path.exists():
        raise UserError(f"{path} does not exist")
    return path


def read_text_lines(path: str | Path) -> list[str]:
    """The lines of a UTF-8 text file (sentences, a corpus); one that cannot be read, or is not
    UTF-8, is one line saying so."""
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as error:
        raise UserError(f"{path} is not UTF-8 text (byte {error.start} of the file)") from error
    except OSError as error:
        raise UserError(f"cannot read {path}: {error.strerror or error}") from error


def split_name(value: str) -> str | None:
    """train / validation / test for the names corpora use (dev, valid, ...), else None."""
    return SPLIT_NAMES.get(value.strip().lower())


def read_records(
    path: Path, encoding: str = "utf-8", fieldnames: list[str] | None = None
) -> Iterator[tuple[int, dict | str]]:
    """(line number, record or why it is unusable) for every data line of a .csv, .tsv (tab
    separated, whatever the suffix) or .jsonl file. ``fieldnames`` for files without a header.

    A TSV is read with quotes as plain characters (as Common Voice's are read everywhere). In a
    CSV a quoted field may span lines only if it is closed and its record has the header's
    fields; otherwise its first line is reported (a stray quote) and the next lines are read on
    their own, so that one quote never swallows the rows after it."""
    try:
        text = path.read_bytes().decode(encoding, errors="surrogateescape")
    except LookupError as error:
        raise UserError(f"unknown encoding {encoding!r}") from error
    text = text.removeprefix("\ufeff")
    if path.suffix.lower() == ".jsonl":
        yield from _json_lines(text)
        return
    # only \r and \n end lines (not the other characters str.splitlines() cuts at)
    lines = re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)
    if path.suffix.lower() == ".csv":
        parsed = _csv_records(lines, {"delimiter": ",", "strict": True})
    else:
        parsed = _csv_records(lines, {"delimiter": "\t", "quoting": csv.QUOTE_NONE})
    if fieldnames is None:
        header = next(parsed, None)
        if header is None:
            return
        fieldnames = header[1]
        if isinstance(fieldnames, str):
            raise UserError(f"the header of {path} cannot be read: {fieldnames}")
    if any(UNDECODABLE.search(name) for name in fieldnames):
        raise UserError(f"the header of {path} is not {encoding} text")
    twice = sorted({name for name in fieldnames if fieldnames.count(name) > 1})
    if twice:
        raise UserError(f"the header of {path} names the column {twice[0]!r} more than once")
    for number, fields in parsed:
        if isinstance(fields, str):
            yield number, fields
        elif fields:  # blank lines are skipped, as csv.DictReader does
            # a short line's missing fields are empty, as csv.DictReader makes them
            padded = fields + [""] * (len(fieldnames) - len(fields))
            record = dict(zip(fieldnames, padded, strict=False))
            if len(fields) > len(fieldnames):
                yield number, f"more fields than columns ({len(fields) - len(fieldnames)} extra)"
                continue
            yield number, _problem(record) or record


def _csv_records(lines: list[str], dialect: dict) -> Iterator[tuple[int, list[str] | str]]:
    """(first line number, fields or a problem) per record of delimited ``lines``."""
    width = None  # the header's number of fields
    index = 0
    while index < len(lines):
        fields, used = _parse_record(lines, index, dialect, width)
        if width is None and isinstance(fields, list):
            width = len(fields)
        yield index + 1, fields
        index += used


def _parse_record(lines, index, dialect, width) -> tuple[list[str] | str, int]:
    """The record starting at ``lines[index]`` and the number of lines it takes."""
    try:
        return _fields(lines[index], dialect), 1
    except csv.Error as error:
        problem = str(error)
    if "unexpected end of data" not in problem:
        return f"malformed line: {problem}", 1
    # An open quote. A real multi-line field closes and gives a full record, and none of the
    # lines it takes in is a full record of its own (those are rows after a stray quote).
    for end in range(index + 2, min(index + MAX_QUOTED_LINES, len(lines)) + 1):
        if width is not None and _is_record(lines[end - 1], dialect, width):
            break
        try:
            fields = _fields("".join(lines[index:end]), dialect)
        except csv.Error:
            continue
        if width is None or len(fields) == width:
            return fields, end - index
        break
    return "a quote that is never closed on its line (a stray quote?)", 1


def _fields(text: str, dialect: dict) -> list[str]:
    return next(csv.reader(io.StringIO(text, newline=""), **dialect), [])


def _is_record(line: str, dialect: dict, width: int) -> bool:
    try:
        return len(_fields(line, dialect)) == width
    except csv.Error:
        return False


MAX_QUOTED_LINES = 20  # the longest quoted field over several lines that is taken as one


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
        if UNDECODABLE.search(column) or isinstance(value, str) and UNDECODABLE.search(value):
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


MANIFEST_OPTIONS = {
    "path", "split", "encoding", "audio_column", "text_column", "split_column", "speaker_column",
}  # fmt: skip


def manifest_rows(
    path: Path, options: Mapping, default_split: str = "train", name: str | None = None
) -> dict[str, list[AudioRow]]:
    """Rows of one manifest, by split; row ids are ``name:line`` (name: the file's). Audio paths
    are relative to the manifest's folder. Options: ``<audio|text|split|speaker>_column``,
    ``split`` (for a manifest without a split column) and ``encoding``; any other is a typo."""
    unknown = sorted(set(options) - MANIFEST_OPTIONS)
    if unknown:
        valid = ", ".join(sorted(MANIFEST_OPTIONS))
        raise UserError(f"unknown option -O {unknown[0]} for {path.name}; valid: {valid}")
    columns = Columns.from_options(options)
    default_split = split_name(str(options.get("split", default_split))) or _bad_split(options)
    name = name or path.name
    splits: dict[str, list[AudioRow]] = defaultdict(list)
    escaping = []  # relative audio paths that climb out of the manifest's folder
    records = list(read_records(path, str(options.get("encoding", "utf-8"))))
    # the columns of every line (JSON lines may differ) name the audio and text columns
    header = {column for _, record in records if isinstance(record, dict) for column in record}
    chosen = _choose_columns(columns, header, path) if header else None
    for number, record in records:
        row_id = f"{name}:{number}"
        if isinstance(record, str):
            splits[default_split].append(AudioRow(row_id, "", "", problem=record))
            continue
        audio_column, text_column = chosen
        # JSON lines may differ: a split or speaker may appear in any line
        split_column = columns.pick(set(record), "split")
        speaker_column = columns.pick(set(record), "speaker")
        split = default_split
        if split_column and record.get(split_column) not in (None, ""):
            split = split_name(str(record[split_column]))
            if split is None:
                problem = f"unknown split {record[split_column]!r}"
                splits[default_split].append(AudioRow(row_id, "", "", problem=problem))
                continue
        missing = [c for c in (audio_column, text_column) if record.get(c) in (None, "")]
        wrong = [c for c in (audio_column, text_column) if not isinstance(record.get(c), str)]
        if missing or wrong:
            problem = (
                f"no value in column {missing[0]!r}"
                if missing
                else f"column {wrong[0]!r} holds a {type(record[wrong[0]]).__name__}, not text"
            )
            splits[split].append(AudioRow(row_id, "", "", problem=problem))
            continue
        audio = str(path.parent / record[audio_column])
        if ".." in Path(record[audio_column]).parts:
            escaping.append(record[audio_column])
        speaker = record.get(speaker_column) if speaker_column else None
        text = str(record[text_column])
        splits[split].append(AudioRow(row_id, audio, text, str(speaker) if speaker else None))
    if escaping:
        from asrzoo.console import stderr

        stderr.print(
            f"[yellow]note:[/] {len(escaping)} audio paths of {name} leave its folder"
            f" (e.g. {escaping[0]!r}): check that they name the files you mean"
        )
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
    return audio, text


def _bad_split(options) -> str:
    raise UserError(f"unknown split {options['split']!r}; use train, validation or test")
