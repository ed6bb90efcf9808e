"""A folder of audio files and nothing else: every file under ``-O path=FOLDER`` whose suffix is
an audio format, with no transcripts, for pretraining and language identification (``asrzoo
pretrain``). A split folder (train/, dev/, test/) at the top gives its split; the rest is train."""

from __future__ import annotations

from pathlib import Path

from asrzoo import AudioRow, DatasetLoader, UserError, hookimpl, path_option, split_name

AUDIO_SUFFIXES = {".wav", ".flac", ".ogg", ".opus", ".mp3", ".m4a", ".aiff", ".aif", ".au"}


def load_audio_files(language, options):
    folder = path_option(options)
    if not folder.is_dir():
        raise UserError(f"{folder} is not a folder")
    splits: dict[str, list[AudioRow]] = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() not in AUDIO_SUFFIXES or path.is_dir():
            continue
        relative = path.relative_to(folder)
        split = (split_name(relative.parts[0]) if len(relative.parts) > 1 else None) or "train"
        splits.setdefault(split, []).append(AudioRow(id=str(relative), audio=path, text=""))
    if not splits:
        raise UserError(f"{folder} holds no audio files ({', '.join(sorted(AUDIO_SUFFIXES))})")
    return splits


@hookimpl
def register_dataset_loaders(register):
    register(
        DatasetLoader(
            name="audio-files",
            description=(
                "every audio file under -O path=FOLDER, without transcripts (asrzoo pretrain);"
                " train/, dev/, test/ folders give their splits"
            ),
            supports=lambda language: True,
            load=load_audio_files,
            describe=lambda language, options: {"audio_files": str(Path(path_option(options)))},
        )
    )
