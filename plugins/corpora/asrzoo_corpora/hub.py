"""Speech datasets on the Hugging Face Hub, read with ``datasets`` (streamed or downloaded).

Audio is cast to ``Audio(decode=False)``: the engine decodes the bytes itself (soundfile), so
neither torchcodec nor torchaudio is needed. Parquet datasets load from the Hub or from a local
folder in the Hub's layout alike; datasets >= 4 no longer runs loading scripts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from asrzoo import AudioRow, UserError

COMMIT = re.compile(r"@([0-9a-f]{40})/")
# where the Hub keeps its parquet conversion of a dataset (of a loading-script one, say)
PARQUET_REVISION = "refs/convert/parquet"


@dataclass(frozen=True)
class HubSource:
    dataset: str  # a Hub id or a local folder in the Hub's layout
    config: str | None
    revision: str | None
    streaming: bool
    splits: tuple[str, ...]

    @classmethod
    def from_options(
        cls, options: Mapping, dataset: str, config: str | None, revision: str | None = None
    ) -> HubSource:
        splits = str(options.get("splits", "train,validation,test"))
        chosen = str(options.get("dataset", dataset))
        return cls(
            dataset=chosen,
            config=options.get("config", config),
            # a default revision is the default dataset's: a -O dataset= copy has its own
            revision=options.get("revision", revision if chosen == dataset else None),
            streaming=str(options.get("streaming", "false")).lower() in ("1", "true", "yes"),
            splits=tuple(s.strip() for s in splits.split(",") if s.strip()),
        )

    def load(self, split: str):
        import datasets

        # The Hub's parquet conversion of a dataset holds <config>/<split>/*.parquet and no
        # README naming the configs: datasets sees one "default" config over every folder, so a
        # config is read as the folder of that name.
        by_folder = self.revision == PARQUET_REVISION and self.config
        try:
            loaded = datasets.load_dataset(
                self.dataset,
                None if by_folder else self.config,
                data_dir=self.config if by_folder else None,
                split=split,
                revision=self.revision,
                streaming=self.streaming,
            )
        except Exception as error:  # many kinds (offline, gated, scripts, bad config): say which
            raise UserError(self._explain(error)) from error
        return loaded

    def _explain(self, error: Exception) -> str:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        where = f"{self.dataset} ({self.config})" if self.config else self.dataset
        if "scripts are no longer supported" in first:
            return (
                f"{where} is a loading-script dataset, which datasets >= 4 does not run: try its"
                " parquet branch (-O revision=refs/convert/parquet) or a parquet copy (-O dataset=)"
            )
        return f"cannot load {where}: {first}"

    def fingerprint(self) -> str:
        """Downloaded data has datasets' own fingerprint; a stream, its name and revision."""
        if self.streaming:
            return json.dumps([self.dataset, self.config, self.revision, self.splits])
        return json.dumps([self.load(split)._fingerprint for split in self.splits])

    def describe(self) -> dict:
        about = {"dataset": self.dataset, "config": self.config, "revision": self.revision}
        about["splits"] = list(self.splits)
        if not self.streaming:  # the commit the data came from, where datasets recorded it
            checksums = self.load(self.splits[0]).info.download_checksums or {}
            commits = {m.group(1) for url in checksums for m in [COMMIT.search(url)] if m}
            if len(commits) == 1:
                about["commit"] = commits.pop()
        return about


class HubSplit:
    """A split's rows, read one at a time; its length is known unless it is streamed."""

    def __init__(self, dataset, columns: Mapping[str, str | None]):
        import datasets

        self.columns = columns
        self.dataset = dataset.cast_column(columns["audio"], datasets.Audio(decode=False))

    def __len__(self) -> int:
        return len(self.dataset)

    def __iter__(self) -> Iterator[AudioRow]:
        audio_column, text_column = self.columns["audio"], self.columns["text"]
        for index, example in enumerate(self.dataset):
            audio = example.get(audio_column) or {}
            row_id = str(example.get(self.columns.get("id") or "") or audio.get("path") or index)
            source = audio.get("bytes") or audio.get("path")
            if not source:
                yield AudioRow(row_id, "", "", problem="no audio in the dataset")
                continue
            # a row without text is still audio for pretraining and language identification;
            # training a recognizer reports it (an empty transcript)
            text = example.get(text_column)
            text = "" if text is None else str(text)
            speaker = example.get(self.columns.get("speaker") or "")
            yield AudioRow(row_id, source, text, str(speaker) if speaker else None)


def load_rows(source: HubSource, columns: Mapping[str, str | None]) -> dict[str, HubSplit]:
    return {split: HubSplit(source.load(split), columns) for split in source.splits}
