"""Moved to ``asrzoo.data.manifests``. This name stays, with a deprecation warning, for code
written against the older docs; plugins import from ``asrzoo`` itself."""

import importlib
import warnings

_moved = importlib.import_module("asrzoo.data.manifests")
globals().update({k: v for k, v in vars(_moved).items() if not k.startswith("__")})
warnings.warn(
    "asrzoo.manifests moved to asrzoo.data.manifests: import from asrzoo instead",
    DeprecationWarning,
    stacklevel=2,
)
