"""Temporary and old folders beside what an export replaces, named with the process that made
them (`.<name>.veikart-tmp-<pid>-<random>`, `.<name>.veikart-old-<pid>-<random>`), so that the
next export removes what a killed one left. Standard library only: the open-data export uses
these too and must not pay for the package reader's imports."""

from __future__ import annotations

import os
import re
import secrets
import shutil
from pathlib import Path

__all__ = ["OLD", "TMP", "remove_leftovers", "unique_sibling"]

TMP = "veikart-tmp"  # .<target>.veikart-tmp-<pid>-<random>: a new package being written
OLD = "veikart-old"  # <target>/.<entry>.veikart-old-<pid>-<random>: an old entry being removed
_LEFTOVER = re.compile(rf"^\..+\.(?:{TMP}|{OLD})-(\d+)-[^/]*$")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_leftovers(folder: Path, name_start: str) -> None:
    """Remove what killed or failed exports left in `folder` (entries named by this module
    whose process is gone, and old entries this process could not remove before); an export
    running in another process keeps its folders."""
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        m = _LEFTOVER.match(entry.name)
        if m is None or not entry.name.startswith(name_start):
            continue
        pid = int(m[1])
        if (pid != os.getpid() or f".{TMP}-" in entry.name) and _alive(pid):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def unique_sibling(folder: Path, stem: str, kind: str) -> Path:
    """A new hidden name in `folder` for a temporary (`TMP`) or old (`OLD`) entry of this process."""
    return folder / f".{stem}.{kind}-{os.getpid()}-{secrets.token_hex(4)}"
