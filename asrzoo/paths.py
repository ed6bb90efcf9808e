"""Where asrzoo keeps its state, and the rules for every file it writes or deletes there.

``$ASRZOO_HOME`` (else the user's data directory) holds the zoo, models, prepared data and push
staging. Two guarantees live here, so that no command has its own version of them:

- A name the user types (zoo id, repo id, dataset label) becomes a path only through
  :func:`folder_name`, which refuses anything that could leave its parent folder.
- asrzoo deletes only what it created: a folder it creates carries a marker file listing the
  entries asrzoo wrote into it (:func:`claim`, :func:`record`), and :func:`delete_owned` removes
  those and nothing else.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from asrzoo.errors import UserError

MARKER = ".asrzoo-owned"  # in every folder asrzoo created: the entries it wrote there


def asrzoo_home() -> Path:
    if os.environ.get("ASRZOO_HOME"):
        home = Path(os.environ["ASRZOO_HOME"])
    else:
        base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
        home = Path(base) / "asrzoo"
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"cannot create the asrzoo home {home}: {error.strerror}") from error
    return home


def data_dir() -> Path:
    return asrzoo_home() / "data"


def models_dir() -> Path:
    return asrzoo_home() / "models"


def folder_name(value: str, what: str) -> str:
    """``value`` as one path component, or a UserError: never empty, ``.``, ``..``, hidden, or
    holding a separator, so that ``parent / folder_name(...)`` stays inside ``parent``."""
    if (
        not value
        or value.startswith(".")
        or any(c in value for c in "/\\\0")
        or value != value.strip()
        or len(value.encode()) > 200
    ):
        raise UserError(f"{what} {value!r} cannot name a folder: use letters, digits, - _ .")
    return value


def repo_folder_name(repo_id: str) -> str:
    """A Hub repo id (``owner/name``), checked as the Hub checks it, as one folder name."""
    from huggingface_hub.utils import HFValidationError, validate_repo_id

    try:
        validate_repo_id(repo_id)
    except HFValidationError as error:
        raise UserError(f"invalid repo id {repo_id!r}: {str(error).splitlines()[0]}") from error
    if repo_id.count("/") > 1 or any(p in (".", "..") for p in repo_id.split("/")):
        raise UserError(f"invalid repo id {repo_id!r}: give owner/name")
    return folder_name(repo_id.replace("/", "--"), "repo id")


def file_slug(label: str) -> str:
    """A free-form label (a dataset name or path) as a safe part of a file name."""
    return re.sub(r"[^\w.-]+", "_", label).strip("._") or "dataset"


def claim(folder: Path) -> Path:
    """Create ``folder`` (or adopt an empty one) as asrzoo's: it gets the marker file."""
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / MARKER
    if not marker.exists():
        marker.write_text(json.dumps({"entries": []}), "utf-8")
    return folder


def _marker(folder: Path) -> dict | None:
    try:
        marker = json.loads((folder / MARKER).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return marker if isinstance(marker, dict) and isinstance(marker.get("entries"), list) else None


def owned_entries(folder: Path) -> list[str] | None:
    """The entries asrzoo wrote into ``folder``, or None if asrzoo did not create it."""
    marker = _marker(folder)
    return None if marker is None else marker["entries"]


def foreign_entries(folder: Path) -> list[str]:
    """The entries of ``folder`` that asrzoo did not write (all of them in a folder it did not
    create)."""
    owned = set(owned_entries(folder) or ())
    return sorted(p.name for p in folder.iterdir() if p.name not in owned | {MARKER})


def record(folder: Path, *names: str) -> None:
    """Note that asrzoo wrote ``names`` (top-level entries) into its folder ``folder``."""
    marker = _marker(folder)
    if marker is None:
        claim(folder)
        marker = {"entries": []}
    marker["entries"] = sorted(set(marker["entries"]) | set(names))
    write_atomic(folder / MARKER, json.dumps(marker))


def note_theirs(folder: Path) -> None:
    """Before a run writes into asrzoo's ``folder``: note what is the user's there, so that
    :func:`record_all_but_theirs` leaves it theirs."""
    marker = _marker(folder) or {"entries": []}
    write_atomic(folder / MARKER, json.dumps({**marker, "theirs": foreign_entries(folder)}))


def record_all_but_theirs(folder: Path) -> None:
    """Record every entry of ``folder`` as asrzoo's but those :func:`note_theirs` found."""
    theirs = set((_marker(folder) or {}).get("theirs", ()))
    record(folder, *(name for name in foreign_entries(folder) if name not in theirs))


def delete_owned(folder: Path) -> list[str]:
    """Delete what asrzoo wrote into ``folder`` and, if nothing else is left, the folder; returns
    the names of the entries left there (the user's). A folder asrzoo wrote that has its own
    marker (an export inside a model) is emptied the same way. Refuses a folder asrzoo did not
    create."""
    entries = owned_entries(folder)
    if entries is None:
        raise UserError(f"{folder} was not created by asrzoo (no {MARKER}): not deleting it")
    for name in entries:
        path = folder / folder_name(name, "entry")
        if path.is_dir() and not path.is_symlink():
            if owned_entries(path) is not None:
                delete_owned(path)
            else:
                shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
    (folder / MARKER).unlink()
    left = sorted(p.name for p in folder.iterdir())
    if not left:
        folder.rmdir()
    return left


def write_atomic(path: Path, text: str) -> None:
    """Write ``path`` whole or not at all, through a temporary file renamed over it: a symlink
    planted at ``path`` is replaced, never followed."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.chmod(temporary, 0o666 & ~_umask())  # as open() would make it, not mkstemp's 0600
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
