"""Moved to ``asrzoo.models.build``; plugins import from ``asrzoo`` itself."""

from asrzoo.moved import forward

forward(globals(), __name__, "asrzoo.models.build")
