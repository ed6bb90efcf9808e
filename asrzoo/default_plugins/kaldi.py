"""Kaldi data directories: ``wav.scp`` (utterance or recording id, file), ``text`` (utterance
id, transcript), and optionally ``segments`` (utterance id, recording id, start, end) and
``utt2spk``. One directory is one split; a folder of train/, dev/, test/ directories gives all.
Relative paths in wav.scp are relative to the recipe folder, as Kaldi runs from there: the data
directory's grandparent (``s5`` for ``s5/data/train``), or ``-O audio_root=DIR``."""

from __future__ import annotations

from pathlib import Path

from asrzoo import (
    UNDECODABLE,
    AudioRow,
    DatasetLoader,
    UserError,
    hookimpl,
    path_option,
    split_name,
)


def _table(path: Path) -> dict[str, str]:
    """A Kaldi table: the first field of each line is the key, the rest its value."""
    if not path.is_file():
        return {}
    table = {}
    for line in path.read_text(encoding="utf-8", errors="surrogateescape").splitlines():
        key, _, value = line.strip().partition(" ")
        if key:
            table[key] = value.strip()
    return table


def _data_dirs(folder: Path) -> list[tuple[Path, str]]:
    if (folder / "wav.scp").is_file():
        return [(folder, "train")]
    dirs = [(d, split_name(d.name)) for d in sorted(folder.iterdir()) if (d / "wav.scp").is_file()]
    return [(d, split) for d, split in dirs if split]


def _rows(data_dir: Path, name: str, audio_root: Path) -> list[AudioRow]:
    recordings = _table(data_dir / "wav.scp")
    texts = _table(data_dir / "text")
    speakers = _table(data_dir / "utt2spk")
    segments = {
        utt: value.split() or [""] for utt, value in _table(data_dir / "segments").items()
    }  # utt -> [recording, start, end]; a line of a lone utterance id names no recording
    utterances = segments or {utt: [utt] for utt in recordings}
    rows = []
    for utt, (recording, *span) in utterances.items():
        row_id = f"{name}:{utt}"
        where = recordings.get(recording)
        problem = None
        if segments and not _is_span(span):
            problem = "a segments line needs: utterance recording start end (in seconds)"
        elif utt not in texts:
            problem = "no transcript in text"
        elif UNDECODABLE.search(texts[utt]):
            problem = "transcript is not valid UTF-8"
        elif where is None:
            problem = f"recording {recording!r} is not in wav.scp"
        elif where.endswith("|"):
            problem = "wav.scp commands (ending in |) are not run; convert the audio to files"
        if problem:
            rows.append(AudioRow(row_id, "", "", problem=problem))
            continue
        audio = str(audio_root / where)  # an absolute path stays as it is
        seconds = (float(span[0]), float(span[1])) if span else None
        rows.append(AudioRow(row_id, audio, texts[utt], speakers.get(utt), span=seconds))
    return rows


def _is_span(span: list[str]) -> bool:
    try:
        return len(span) == 2 and 0 <= float(span[0]) < float(span[1])
    except ValueError:
        return False


def load_kaldi(language, options):
    folder = path_option(options)
    found = _data_dirs(folder)
    if not found:
        raise UserError(f"{folder} is not a Kaldi data directory (no wav.scp)")
    splits: dict[str, list] = {}
    for data_dir, split in found:
        split = split_name(str(options.get("split", split))) or split
        audio_root = Path(options.get("audio_root") or data_dir.parent.parent)
        splits.setdefault(split, []).extend(_rows(data_dir, data_dir.name, audio_root))
    return splits


@hookimpl
def register_dataset_loaders(register):
    register(
        DatasetLoader(
            name="kaldi",
            description=(
                "a Kaldi data directory (-O path=DIR): wav.scp, text, optional segments and"
                " utt2spk; or a folder of train/dev/test data directories"
            ),
            supports=lambda language: True,
            load=load_kaldi,
            describe=lambda language, options: {"kaldi": str(path_option(options))},
            detect=lambda folder: bool(_data_dirs(folder)),
        )
    )
