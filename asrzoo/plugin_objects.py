"""Moved to ``asrzoo.plugin.objects``; plugins import from ``asrzoo`` itself."""

from asrzoo.moved import forward

forward(globals(), __name__, "asrzoo.plugin.objects")
