"""asrzoo plugin: public speech corpora for every language that declares where its data is.

- ``common-voice``: Common Voice from the Mozilla Data Collective (-O dataset=ID or slug; a
  parquet copy on the Hub with -O dataset=OWNER/NAME), for languages with a Common Voice locale
- ``common-voice-release``: a Common Voice release folder as downloaded from Mozilla
- ``fleurs``: FLEURS on the Hub, from its parquet conversion (languages with a FLEURS config)
- ``openslr``: an OpenSLR folder in the SLR 52/53/54 layout (any language)
"""

from __future__ import annotations

import os

from asrzoo import DatasetLoader, UserError, hookimpl, path_option
from asrzoo_corpora import commonvoice, mdc, openslr
from asrzoo_corpora.hub import PARQUET_REVISION, HubSource, load_rows

COMMON_VOICE_COLUMNS = {"audio": "audio", "text": "sentence", "speaker": "client_id", "id": "path"}
# FLEURS has no speaker ids; its "id" names a sentence, which several recordings share
FLEURS_COLUMNS = {"audio": "audio", "text": "raw_transcription", "speaker": None, "id": "path"}


# FLEURS is a loading-script dataset, which datasets >= 4 does not run: the loader reads the
# Hub's parquet conversion of it (PARQUET_REVISION)


def hub_loader(name, description, dataset, config_of, columns, revision=None) -> DatasetLoader:
    """A loader of a speech dataset on the Hub (``dataset`` unless -O dataset=), for languages
    whose ``config_of(language)`` names a config."""

    def source(language, options) -> HubSource:
        return HubSource.from_options(options, dataset, config_of(language), revision)

    return DatasetLoader(
        name=name,
        description=description,
        supports=lambda language: bool(config_of(language)),
        load=lambda language, options: load_rows(source(language, options), columns),
        describe=lambda language, options: source(language, options).describe(),
        fingerprint=lambda language, options: source(language, options).fingerprint(),
    )


def _common_voice_dataset(language, options) -> str:
    dataset = str(options.get("dataset") or language.mdc_dataset or "")
    if not dataset:
        key = (
            ""
            if os.environ.get(mdc.KEY_VARIABLE)
            else f"set {mdc.KEY_VARIABLE} (a key from {mdc.KEY_PAGE}) and "
        )
        raise UserError(
            f"Common Voice {language.name} is published on the Mozilla Data Collective: {key}give"
            f" the dataset's id or slug from its page ({mdc.SITE}/datasets) with -O dataset=ID;"
            " a parquet copy on the Hub: -O dataset=OWNER/NAME"
        )
    return dataset


def load_common_voice(language, options):
    """From MDC: the release downloaded, unpacked, read as a release folder; an id with a "/"
    is a parquet copy on the Hub."""
    dataset = _common_voice_dataset(language, options)
    if "/" in dataset:
        return load_rows(
            HubSource.from_options(options, dataset, language.common_voice), COMMON_VOICE_COLUMNS
        )
    folder = mdc.release_folder(dataset, language.common_voice)
    return commonvoice.load_release(language, {**options, "path": str(folder)})


def describe_common_voice(language, options) -> dict:
    dataset = _common_voice_dataset(language, options)
    if "/" in dataset:
        return HubSource.from_options(options, dataset, language.common_voice).describe()
    return {"dataset": dataset, "source": "Mozilla Data Collective", "license": "CC0-1.0"}


@hookimpl
def register_dataset_loaders(register):
    register(
        DatasetLoader(
            name="common-voice",
            description=(
                "Common Voice from the Mozilla Data Collective (-O dataset=ID or slug, key in"
                " MDC_API_KEY); -O dataset=OWNER/NAME: a parquet copy on the Hub"
            ),
            supports=lambda language: bool(language.common_voice),
            load=load_common_voice,
            describe=describe_common_voice,
        )
    )
    register(
        DatasetLoader(
            name="common-voice-release",
            description=(
                "a Common Voice release folder (-O path=FOLDER); -O splits=validated builds"
                " speaker-disjoint splits, -O min_upvotes=N"
            ),
            supports=lambda language: True,
            load=commonvoice.load_release,
            describe=commonvoice.describe_release,
            detect=commonvoice.detect,
        )
    )
    register(
        hub_loader(
            "fleurs",
            f"FLEURS on the Hub, its parquet conversion (-O dataset=ID, default google/fleurs;"
            f" -O revision=, default {PARQUET_REVISION})",
            "google/fleurs",
            lambda language: language.fleurs,
            FLEURS_COLUMNS,
            revision=PARQUET_REVISION,
        )
    )
    register(
        DatasetLoader(
            name="openslr",
            description=(
                "an OpenSLR folder with utt_spk_text.tsv and flac files (SLR 52/53/54);"
                " speaker-disjoint splits (-O validation_fraction=, -O test_fraction=)"
            ),
            supports=lambda language: True,
            load=openslr.load_openslr,
            describe=lambda language, options: {
                "dataset": "openslr",
                "folder": str(path_option(options)),
            },
            detect=openslr.detect,
        )
    )
