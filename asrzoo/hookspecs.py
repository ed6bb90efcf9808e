"""Moved to ``asrzoo.plugin.hookspecs``; plugins import from ``asrzoo`` itself."""

from asrzoo.moved import forward

forward(globals(), __name__, "asrzoo.plugin.hookspecs")
