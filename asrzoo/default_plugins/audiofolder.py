"""Hugging Face's audiofolder layout: audio files beside a metadata.csv or metadata.jsonl whose
``file_name`` column names them, at the top or in one folder per split (train/, test/, ...)."""

from __future__ import annotations

from pathlib import Path

from asrzoo import DatasetLoader, UserError, hookimpl, manifest_rows, path_option, split_name

METADATA = ("metadata.csv", "metadata.jsonl")


def _metadata_files(folder: Path) -> list[tuple[Path, str]]:
    """(metadata file, split) at the top of ``folder`` and in its split folders."""
    found = [(folder / name, "train") for name in METADATA if (folder / name).is_file()]
    for child in sorted(p for p in folder.iterdir() if p.is_dir()):
        split = split_name(child.name)
        found += [(child / name, split) for name in METADATA if split and (child / name).is_file()]
    return found


def detect(folder: Path) -> bool:
    return bool(_metadata_files(folder))


def load_audiofolder(language, options):
    folder = path_option(options)
    files = _metadata_files(folder)
    if not files:
        raise UserError(f"{folder} has no metadata.csv or metadata.jsonl (audiofolder layout)")
    splits: dict[str, list] = {}
    for metadata, split in files:
        name = str(metadata.relative_to(folder))
        rows = manifest_rows(metadata, {"audio_column": "file_name", **options}, split, name)
        for row_split, found in rows.items():
            splits.setdefault(row_split, []).extend(found)
    return splits


@hookimpl
def register_dataset_loaders(register):
    register(
        DatasetLoader(
            name="audiofolder",
            description=(
                "a Hugging Face audiofolder: -O path=FOLDER with metadata.csv/jsonl (file_name"
                " and a transcription, text or sentence column), at the top or per split folder"
            ),
            supports=lambda language: True,
            load=load_audiofolder,
            describe=lambda language, options: {"audiofolder": str(path_option(options))},
            detect=detect,
        )
    )
