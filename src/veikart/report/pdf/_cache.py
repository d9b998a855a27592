"""The disk cache of laid-out parts, and their keys (format, versions, stylesheet, HTML)."""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from functools import cache
from pathlib import Path
from typing import Any

#: Part of every cache key: change it when the way a part's PDF is made changes.
_FORMAT_VERSION = "veikart-pdf-part-4"


#: Cached parts unused for this long are deleted
_CACHE_MAX_AGE = 30 * 24 * 3600


class _Cache:
    """Parts on disk by key; a cache that cannot be read or written only costs time."""

    def __init__(self, root: Path | None):
        self.root = root

    def _path(self, key: str) -> Path:
        assert self.root is not None
        return self.root / key[:2] / f"{key}.part"

    def get(self, key: str) -> bytes | None:
        if self.root is None:
            return None
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        try:
            os.utime(path)  # in use: kept by `prune`
        except OSError:
            pass
        return data

    def has(self, key: str) -> bool:
        return self.root is not None and self._path(key).is_file()

    def put(self, key: str, data: bytes) -> None:
        if self.root is None:
            return
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, path)  # atomic: a parallel build never reads half a file
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            pass

    def prune(self, max_age: float = _CACHE_MAX_AGE) -> None:
        """Delete the parts nobody used for `max_age` seconds."""
        if self.root is None:
            return
        limit = time.time() - max_age
        try:
            for sub in os.scandir(self.root):
                if sub.is_dir():
                    for entry in os.scandir(sub.path):
                        if entry.stat().st_mtime < limit:
                            os.unlink(entry.path)
        except OSError:
            pass


def _default_cache_dir() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("veikart") / "pdf-slides"


@cache
def _versions() -> str:
    """WeasyPrint's and pydyf's versions, without importing them (which takes half a second
    that a build from the cache does not need)."""
    from importlib.metadata import version

    return f"weasyprint {version('weasyprint')}\npydyf {version('pydyf')}\n"


def _key_base(css: str) -> Any:
    """The hash every part's key starts from: the format, the versions, the stylesheet."""
    salt = f"{_FORMAT_VERSION}\n{_versions()}"
    return hashlib.sha256(salt.encode() + hashlib.sha256(css.encode()).digest())


def _part_key(base: Any, page: str) -> str:
    h = base.copy()
    h.update(page.encode("utf-8"))
    return h.hexdigest()
