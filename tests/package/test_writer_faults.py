"""A failed export over an existing package leaves the old package whole; no temporary folder
outlives an export, not even a killed one."""

from __future__ import annotations

import copy
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import MINIMAL
from veikart.package.reader import read_package
from veikart.package.writer import render_package, write_package


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _changed():  # type: ignore[no-untyped-def]
    data = copy.deepcopy(read_package(MINIMAL))
    data.observations["ventetid"].values[0] = 31.0
    return data


@pytest.fixture
def package(tmp_path: Path) -> Path:
    target = tmp_path / "pkg"
    shutil.copytree(MINIMAL, target)
    (target / "README.md").write_text("mine\n", encoding="utf-8")  # not the writer's: it stays
    return target


def test_a_failure_while_swapping_in_leaves_the_old_package_whole(
    package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _files(package)
    real_rename = os.rename
    calls = {"n": 0}

    def failing_rename(src, dst):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 3:  # in the middle of putting the new entries in place
            raise OSError(28, "No space left on device", str(dst))
        return real_rename(src, dst)

    monkeypatch.setattr(os, "rename", failing_rename)
    with pytest.raises(OSError, match="No space left"):
        write_package(_changed(), package)
    monkeypatch.undo()
    assert _files(package) == before
    assert [p.name for p in package.parent.iterdir()] == ["pkg"]  # the temporary folder is gone
    assert [p.name for p in package.iterdir() if p.name.startswith(".")] == []


def test_a_file_that_cannot_be_removed_does_not_half_replace_the_package(
    package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The old data/ holds a file that cannot be removed (its removal fails): the new package
    is in place whole; what could not be removed stays under a name the next export removes."""
    real_unlink = os.unlink

    def stubborn_unlink(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(path).endswith("andel-digital.csv"):  # rmtree passes names relative to a folder
            raise PermissionError(13, "Permission denied", str(path))
        return real_unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", stubborn_unlink)
    new = _changed()
    write_package(new, package)
    monkeypatch.undo()
    written = _files(package)
    expected = render_package(new)
    assert {k: v.decode() for k, v in written.items() if k in expected} == expected
    assert set(expected) <= set(written)
    assert written["README.md"] == b"mine\n"
    write_package(new, package)  # the next export removes the leftover
    assert [p.name for p in package.iterdir() if p.name.startswith(".")] == []
    assert set(_files(package)) == set(expected) | {"README.md"}


def test_a_killed_exports_temporary_folders_are_removed_next_time(package: Path) -> None:
    dead = 2**22 + 12345  # no such process
    stale_tmp = package.parent / f".pkg.veikart-tmp-{dead}-abc"
    (stale_tmp / "data").mkdir(parents=True)
    stale_old = package / f".data.veikart-old-{dead}-abc"
    stale_old.mkdir()
    alive_tmp = package.parent / f".pkg.veikart-tmp-{os.getpid()}-xyz"  # an export running now
    alive_tmp.mkdir()
    write_package(_changed(), package)
    assert not stale_tmp.exists() and not stale_old.exists()
    assert alive_tmp.exists()
