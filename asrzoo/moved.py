"""Old import paths of modules that moved (docs of earlier versions named them)."""

import importlib
import warnings


def forward(namespace: dict, old: str, new: str) -> None:
    """Fill module ``old``'s namespace with what module ``new`` holds, and warn once."""
    moved = importlib.import_module(new)
    namespace.update({k: v for k, v in vars(moved).items() if not k.startswith("__")})
    message = f"{old} moved to {new}: import from asrzoo instead"
    warnings.warn(message, DeprecationWarning, stacklevel=3)
