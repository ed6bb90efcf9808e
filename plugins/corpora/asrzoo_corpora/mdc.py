"""Common Voice from the Mozilla Data Collective (MDC), the only place Mozilla publishes it since
late 2025, through MDC's own client (``datacollective``): an API key in ``MDC_API_KEY`` (or a
``.env``), one dataset id or slug per locale and release, a download that resumes where it
stopped, an archive unpacked once (atomically) beside it in ``$ASRZOO_HOME/downloads/mdc/``.
The unpacked release is read like any release folder (asrzoo_corpora.commonvoice). MDC's terms
forbid mirrors: each user downloads with their own key, after accepting the dataset's terms on
its page. The data itself is CC0.
"""

from __future__ import annotations

import os
from pathlib import Path

from asrzoo import UserError, asrzoo_home, stderr

KEY_VARIABLE = "MDC_API_KEY"
KEY_PAGE = "https://mozilladatacollective.com/api-reference"
SITE = "https://mozilladatacollective.com"
OFFLINE_VARIABLES = ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "ASRZOO_OFFLINE")


def downloads() -> Path:
    return asrzoo_home() / "downloads" / "mdc"


def release_folder(dataset: str, locale: str | None) -> Path:
    """The unpacked release of MDC dataset ``dataset`` (an id or slug): its ``<locale>/``
    folder, downloaded and unpacked on first use."""
    unpacked = _download(dataset)
    found = [clips.parent for clips in sorted(unpacked.glob("**/clips")) if clips.is_dir()]
    found = [f for f in found if (f / "validated.tsv").is_file() or (f / "train.tsv").is_file()]
    preferred = [f for f in found if f.name == locale] or found
    if not preferred:
        raise UserError(f"MDC dataset {dataset} holds no Common Voice release (no clips/ folder)")
    return preferred[0]


def _download(dataset: str) -> Path:
    offline = [v for v in OFFLINE_VARIABLES if os.environ.get(v, "").lower() in ("1", "true")]
    if offline:
        raise UserError(
            f"Common Voice is downloaded from the Mozilla Data Collective, and {offline[0]} is"
            " set (offline mode): unset it, or give a release folder (--dataset FOLDER)"
        )
    import datacollective  # it reads a .env of this folder (or above) at import
    import requests
    from datacollective.errors import DownloadError

    if not os.environ.get(KEY_VARIABLE):
        raise UserError(
            f"Common Voice downloads need a Mozilla Data Collective API key: create one at"
            f" {KEY_PAGE} and set {KEY_VARIABLE} (in the environment or a .env file)"
        )
    page = f"{SITE}/datasets/{dataset}"
    try:
        details = datacollective.get_dataset_details(dataset)
        page = details.datasetUrl or page
        size = f"{(details.sizeBytes or 0) / 2**30:.1f} GiB"
        stderr.print(f"Common Voice: MDC dataset {dataset} ({size}) into {downloads()}")
        return datacollective.download_dataset(
            dataset, download_directory=str(downloads()), show_progress=False, extract=True
        )
    except FileNotFoundError:
        raise UserError(
            f"the Mozilla Data Collective has no dataset {dataset!r}: give the id or slug shown"
            f" on its page ({SITE}/datasets)"
        ) from None
    except datacollective.AuthenticationError:
        raise UserError(
            f"the Mozilla Data Collective refused the API key in {KEY_VARIABLE} (invalid, expired"
            f" or revoked): create a new one at {KEY_PAGE}"
        ) from None
    except PermissionError as error:
        if "Access denied" not in str(error):  # the download folder, not the API
            raise UserError(f"cannot write into {downloads()}: {error}") from None
        raise UserError(
            f"the Mozilla Data Collective has not given this key access to {dataset}: accept the"
            f" dataset's terms on its page, {page}, then run again"
        ) from None
    except datacollective.ResourceRemovedError:
        raise UserError(f"MDC dataset {dataset} was removed from the platform") from None
    except datacollective.RateLimitError:
        raise UserError("the Mozilla Data Collective is rate-limiting: try again later") from None
    except DownloadError as error:  # its .part file stays, and the next run resumes it
        raise UserError(
            f"the download of {dataset} stopped at {error.total_downloaded_bytes} of"
            f" {error.total_archive_bytes} ({_cause(error)}): run the command again to resume it"
        ) from None
    except (requests.ConnectionError, requests.Timeout) as error:
        raise UserError(
            f"cannot reach the Mozilla Data Collective ({_cause(error)}): check the network"
        ) from None
    except requests.HTTPError as error:
        raise UserError(f"the Mozilla Data Collective answered: {_cause(error)}") from None


def _cause(error: BaseException) -> str:
    """The first line of the error, or of the one it was raised from (no URLs with tokens: the
    download URL is pre-signed)."""
    cause = error.__cause__ or error
    text = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
    return text.split("?")[0]  # a pre-signed URL's query holds its signature
