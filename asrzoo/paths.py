"""Where asrzoo keeps its state: ``$ASRZOO_HOME``, else the user's data directory."""

import os
from pathlib import Path


def asrzoo_home() -> Path:
    if os.environ.get("ASRZOO_HOME"):
        home = Path(os.environ["ASRZOO_HOME"])
    else:
        base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
        home = Path(base) / "asrzoo"
    home.mkdir(parents=True, exist_ok=True)
    return home


def data_dir() -> Path:
    return asrzoo_home() / "data"


def models_dir() -> Path:
    return asrzoo_home() / "models"
