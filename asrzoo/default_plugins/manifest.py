"""Local manifests: CSV, TSV or JSONL with columns ``audio`` (path relative to the manifest),
``text`` and optionally ``split`` (train / validation / test) and ``speaker``."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

from asrzoo.errors import UserError
from asrzoo.hookspecs import hookimpl
from asrzoo.plugin_objects import AudioRow, DatasetLoader

SPLITS = ("train", "validation", "test")


def read_manifest_records(path: Path) -> list[tuple[int, dict | str]]:
    """(line number, record or the reason it is unusable) for every data line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise UserError(f"{path} is not UTF-8 ({error.reason} at byte {error.start})") from error
    if path.suffix.lower() == ".jsonl":
        records = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                records.append((number, json.loads(line)))
            except json.JSONDecodeError as error:
                records.append((number, f"invalid JSON: {error.msg}"))
        return records
    reader = csv.DictReader(text.splitlines(), delimiter="\t" if path.suffix == ".tsv" else ",")
    missing = {"audio", "text"} - set(reader.fieldnames or [])
    if missing:
        raise UserError(f"{path} lacks the column(s) {', '.join(sorted(missing))}")
    # line numbers count the header as line 1, as an editor shows them
    return [(number, row) for number, row in enumerate(reader, start=2)]


def load_manifest(language, options) -> dict[str, list[AudioRow]]:
    path = Path(options["path"])
    splits: dict[str, list] = defaultdict(list)
    for number, record in read_manifest_records(path):
        row_id = f"{path.name}:{number}"
        if isinstance(record, str):
            splits["train"].append(AudioRow(row_id, "", "", problem=record))
            continue
        split = (record.get("split") or "train").strip()
        if split not in SPLITS:
            splits["train"].append(AudioRow(row_id, "", "", problem=f"unknown split {split!r}"))
            continue
        audio, text = record.get("audio"), record.get("text")
        if not audio or text is None:
            splits[split].append(AudioRow(row_id, "", "", problem="missing audio or text value"))
            continue
        splits[split].append(
            AudioRow(row_id, path.parent / audio, str(text), record.get("speaker") or None)
        )
    return dict(splits)


@hookimpl
def register_dataset_loaders(register):
    register(
        DatasetLoader(
            name="manifest",
            description="a local .csv, .tsv or .jsonl manifest (columns audio, text, split)",
            supports=lambda language: True,
            load=load_manifest,
            describe=lambda language, options: {"manifest": options["path"]},
        )
    )
