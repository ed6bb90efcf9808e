"""Moved to ``asrzoo.models.build``. This name stays, with a deprecation warning, for code
written against the older docs; plugins import from ``asrzoo`` itself."""

import importlib
import warnings

_moved = importlib.import_module("asrzoo.models.build")
globals().update({k: v for k, v in vars(_moved).items() if not k.startswith("__")})
warnings.warn(
    "asrzoo.model_builder moved to asrzoo.models.build: import from asrzoo instead",
    DeprecationWarning,
    stacklevel=2,
)
