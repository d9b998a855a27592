"""Veikart: follow a national strategy from its framework and data to the council's status report."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("veikart")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+source"
