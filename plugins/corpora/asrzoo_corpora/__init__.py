"""asrzoo plugin: public speech corpora for every language that declares where its data is.

- ``common-voice``: Common Voice on the Hugging Face Hub (languages with a Common Voice locale)
- ``common-voice-release``: a Common Voice release folder as downloaded from Mozilla
- ``fleurs``: FLEURS on the Hub (languages with a FLEURS config)
- ``openslr``: an OpenSLR folder in the SLR 52/53/54 layout (any language)
"""

from __future__ import annotations

from asrzoo import DatasetLoader, hookimpl, path_option
from asrzoo_corpora import commonvoice, openslr
from asrzoo_corpora.hub import HubSource, load_rows

COMMON_VOICE_COLUMNS = {"audio": "audio", "text": "sentence", "speaker": "client_id", "id": "path"}
# FLEURS has no speaker ids; its "id" names a sentence, which several recordings share
FLEURS_COLUMNS = {"audio": "audio", "text": "raw_transcription", "speaker": None, "id": "path"}


def hub_loader(name, description, dataset, config_of, columns) -> DatasetLoader:
    """A loader of a speech dataset on the Hub (``dataset`` unless -O dataset=), for languages
    whose ``config_of(language)`` names a config."""

    def source(language, options) -> HubSource:
        return HubSource.from_options(options, dataset, config_of(language))

    return DatasetLoader(
        name=name,
        description=description,
        supports=lambda language: bool(config_of(language)),
        load=lambda language, options: load_rows(source(language, options), columns),
        describe=lambda language, options: source(language, options).describe(),
        fingerprint=lambda language, options: source(language, options).fingerprint(),
    )


@hookimpl
def register_dataset_loaders(register):
    register(
        hub_loader(
            "common-voice",
            f"Common Voice on the Hub (-O dataset=ID, default {commonvoice.HUB_DATASET};"
            " -O revision=, -O streaming=true, -O splits=train,validation,test)",
            commonvoice.HUB_DATASET,
            lambda language: language.common_voice,
            COMMON_VOICE_COLUMNS,
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
            "FLEURS on the Hub (-O dataset=ID, default google/fleurs; -O revision=)",
            "google/fleurs",
            lambda language: language.fleurs,
            FLEURS_COLUMNS,
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
