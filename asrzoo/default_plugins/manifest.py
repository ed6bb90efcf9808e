"""Local manifests: CSV, TSV or JSONL with an audio path (relative to the manifest), a
transcript, and optionally a split and a speaker. Column names are configurable."""

from __future__ import annotations

from asrzoo import DatasetLoader, hookimpl, manifest_rows, path_option


@hookimpl
def register_dataset_loaders(register):
    register(
        DatasetLoader(
            name="manifest",
            description=(
                "a local .csv, .tsv or .jsonl manifest: audio, text and optionally split and"
                " speaker columns (-O audio_column=NAME and so on; -O split=test for the whole"
                " file; -O encoding=latin-1)"
            ),
            supports=lambda language: True,
            load=lambda language, options: manifest_rows(path_option(options, "FILE"), options),
            describe=lambda language, options: {"manifest": str(path_option(options, "FILE"))},
        )
    )
