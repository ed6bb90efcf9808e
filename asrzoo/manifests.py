"""Moved to ``asrzoo.data.manifests``; plugins import from ``asrzoo`` itself."""

from asrzoo.moved import forward

forward(globals(), __name__, "asrzoo.data.manifests")
