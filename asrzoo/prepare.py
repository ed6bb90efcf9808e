"""Moved to ``asrzoo.data.prepare``. This name stays, with a deprecation warning, for code
written against the older docs; plugins import from ``asrzoo`` itself."""

import importlib
import warnings

_moved = importlib.import_module("asrzoo.data.prepare")
globals().update({k: v for k, v in vars(_moved).items() if not k.startswith("__")})
warnings.warn(
    "asrzoo.prepare moved to asrzoo.data.prepare: import from asrzoo instead",
    DeprecationWarning,
    stacklevel=2,
)
