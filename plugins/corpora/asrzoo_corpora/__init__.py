"""asrzoo plugin: public speech corpora for every language that declares where its data is.

- ``common-voice``: Common Voice on the Hugging Face Hub (languages with a Common Voice locale)
- ``common-voice-release``: a Common Voice release folder as downloaded from Mozilla
- ``fleurs``: FLEURS on the Hub (languages with a FLEURS config)
- ``openslr``: an OpenSLR folder in the SLR 52/53/54 layout (any language)
"""

from __future__ import annotations

from asrzoo import DatasetLoader
from asrzoo.hookspecs import hookimpl
from asrzoo.manifests import path_option
from asrzoo_corpora import commonvoice, openslr
from asrzoo_corpora.hub import HubSource, load_rows

COMMON_VOICE_COLUMNS = {"audio": "audio", "text": "sentence", "speaker": "client_id", "id": "path"}
# FLEURS has no speaker ids; its "id" names a sentence, which several recordings share
FLEURS_COLUMNS = {"audio": "audio", "text": "raw_transcription", "speaker": None, "id": "path"}


def _common_voice(language, options) -> HubSource:
    return HubSource.from_options(options, commonvoice.HUB_DATASET, language.common_voice)


def _fleurs(language, options) -> HubSource:
    return HubSource.from_options(options, "google/fleurs", language.fleurs)


@hookimpl
def register_dataset_loaders(register):
    register(
        DatasetLoader(
            name="common-voice",
            description=(
                f"Common Voice on the Hub (-O dataset=ID, default {commonvoice.HUB_DATASET};"
                " -O revision=, -O streaming=true, -O splits=train,validation,test)"
            ),
            supports=lambda language: bool(language.common_voice),
            load=lambda language, options: load_rows(
                _common_voice(language, options), COMMON_VOICE_COLUMNS
            ),
            describe=lambda language, options: _common_voice(language, options).describe(),
            fingerprint=lambda language, options: _common_voice(language, options).fingerprint(),
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
        DatasetLoader(
            name="fleurs",
            description="FLEURS on the Hub (-O dataset=ID, default google/fleurs; -O revision=)",
            supports=lambda language: bool(language.fleurs),
            load=lambda language, options: load_rows(_fleurs(language, options), FLEURS_COLUMNS),
            describe=lambda language, options: _fleurs(language, options).describe(),
            fingerprint=lambda language, options: _fleurs(language, options).fingerprint(),
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
