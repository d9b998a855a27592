"""Put a finished folder in place of another in one step.

The export is built in a sibling temporary folder; only when every file is written does it take
the target's place. On Linux, `renameat2(RENAME_EXCHANGE)` swaps the two folders atomically: a
reader sees the old export or the new one, never a mix and never nothing. Where that call is
missing (other systems, some file systems) the old folder is renamed aside and the new one
renamed in: two renames, a window of microseconds without the folder, still never a half-written
export.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from veikart.package.tempdirs import OLD, TMP, remove_leftovers, unique_sibling

__all__ = ["link_or_copy", "new_sibling", "swap_into_place"]

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _renameat2() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False when the system cannot."""
    fn = _renameat2()
    if fn is None:
        return False
    rc = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(err, os.strerror(err), str(b))


def new_sibling(target: Path) -> Path:
    """An empty temporary folder beside `target` (same file system, so renames and links work).
    Folders that killed exports left there (named with their process id) are removed first."""
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(target.parent, f".{target.name}.")
    new = unique_sibling(target.parent, target.name, TMP)
    new.mkdir()
    return new


def swap_into_place(new: Path, target: Path) -> None:
    """Make `new` the folder at `target`; the old folder (if any) is removed afterwards."""
    if not target.exists():
        new.rename(target)
        return
    if _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # `new` now holds the old export
        return
    aside = unique_sibling(target.parent, target.name, OLD)
    target.rename(aside)
    try:
        new.rename(target)
    except OSError:
        aside.rename(target)  # put the old export back
        raise
    shutil.rmtree(aside, ignore_errors=True)


def link_or_copy(src: Path, dst: Path) -> None:
    """A hard link to an unchanged file of the previous export (no bytes copied, its time kept);
    a copy with its time kept where links are not possible."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
