"""Veikart: follow a national strategy from its framework and data to the council's status report."""

from __future__ import annotations

from functools import cache

__all__ = ["__version__"]


@cache
def _version() -> str:
    # importlib.metadata and the lookup of the installed distribution cost about 50 ms: only
    # commands that print or record the version pay for it (every spawned worker imports this
    # package)
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("veikart")
    except PackageNotFoundError:  # running from a source tree without installation
        return "0.0.0+source"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return _version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
