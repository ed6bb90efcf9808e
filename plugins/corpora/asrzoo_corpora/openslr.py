"""OpenSLR corpora in the layout of SLR 52, 53 and 54 (Sinhala, Bengali, Nepali): a
``utt_spk_text.tsv`` (utterance, speaker, transcript; no header) and the audio files, named
``<utterance>.flac``, anywhere below the folder (the archives unpack into data/<xx>/)."""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

from asrzoo import AudioRow, path_option, read_records
from asrzoo_corpora.splits import fractions, speaker_split

INDEX = "utt_spk_text.tsv"
AUDIO_SUFFIXES = (".flac", ".wav")


def detect(folder: Path) -> bool:
    return (folder / INDEX).is_file()


def _audio_files(folder: Path) -> dict[str, str]:
    found = {}
    for parent, _, names in os.walk(folder):
        for name in names:
            stem, suffix = os.path.splitext(name)
            if suffix.lower() in AUDIO_SUFFIXES:
                found[stem] = os.path.join(parent, name)
    return found


def load_openslr(language, options):
    folder = path_option(options)
    validation, test = fractions(options)
    audio = _audio_files(folder)
    splits: dict[str, list] = defaultdict(list)
    columns = ["utterance", "speaker", "text"]
    for number, record in read_records(folder / INDEX, fieldnames=columns):
        if isinstance(record, str):
            splits["train"].append(AudioRow(f"{INDEX}:{number}", "", "", problem=record))
            continue
        utterance, speaker = record["utterance"], record["speaker"] or ""
        split = speaker_split(speaker, validation, test)
        path = audio.get(utterance)
        problem = None if path else "missing file"
        splits[split].append(
            AudioRow(utterance, path or "", record["text"] or "", speaker, problem)
        )
    return dict(splits)
