"""Moved to ``asrzoo.models.recipes``; plugins import from ``asrzoo`` itself."""

from asrzoo.moved import forward

forward(globals(), __name__, "asrzoo.models.recipes")
